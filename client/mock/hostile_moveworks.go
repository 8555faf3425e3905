package mock

import (
	"strconv"
	"time"
)

// Ids of the hostile Moveworks records (Options.Hostile), for tests.
const (
	// HostileDuplicateID is the id of two different conversations far apart in time (so on
	// different pages), as an export that was re-run might hold.
	HostileDuplicateID = "dupl-conv-01"
	// HostileCyclesID holds interactions whose parents form cycles, a self-parent, an orphan and
	// a duplicated interaction id.
	HostileCyclesID = "cyclic-conv1"
	// HostileNullsID has nulls wherever the API promises strings.
	HostileNullsID = "nulls-conv01"
	// HostileMissingID lacks most optional fields altogether.
	HostileMissingID = "missing-conv"
	// HostileLongID holds 200 KB messages (with and without line breaks).
	HostileLongID = "hostile-long"
	// HostileEscapeID is itself hostile: an id holding an escape sequence and a quote.
	HostileEscapeID = "esc\x1b[2J'id"
)

// hostile adds the hostile conversations to the Moveworks corpus: one per hostile string (in
// the summary, the domain, the route, the messages and, for some, the user id), 200 KB
// messages, nulls and missing fields, orphan and cyclic parents, duplicate ids. They all fall
// in the last day of the corpus, so a newest-first listing meets them early.
func (g *mwGen) hostile(users []mwUser) {
	u := users[len(users)-1]
	at := g.end.Add(-26 * time.Hour).Truncate(time.Second).Add(314 * time.Millisecond)
	next := func() time.Time { at = at.Add(47 * time.Minute); return at }
	sec := func(t time.Time, s int) time.Time { return t.Add(time.Duration(s) * time.Second) }
	hs := HostileStrings()

	// One conversation per hostile string, everywhere a string is displayed.
	for i, s := range hs {
		t := next()
		user := u.id
		if i%4 == 1 {
			user = s // user ids are strings too
		}
		c := &convCtx{id: g.ids.next(), user: user, platform: u.platform}
		q := c.add(g, "user", itFreeText, "", t, nil, obj{{"content", s}, {"domain", s}, {"entity", s}})
		b := c.add(g, "bot", itBot, q, sec(t, 2), nil, obj{{"content", HostileString(i + 1)}})
		c.add(g, "user", itButton, b, sec(t, 9), s, obj{{"content", HostileString(i + 2)}})
		c.add(g, "user", itLink, b, sec(t, 12), nil, obj{{"content", s}, {"resource_id", s}, {"type", "RESOURCE_TYPE_RECORD"}})
		g.finish(c, s, s, "CONVERSATION_TYPE_TICKET_INTERCEPTION",
			obj{{"content", s}, {"ticket_id", "INC" + strconv.Itoa(i) + s}})
	}

	// 200 KB messages: the summary source, a user message with lines, a bot answer without.
	t := next()
	c := &convCtx{id: HostileLongID, user: u.id, platform: "web"}
	long := HostileLong(HostileLongSize, true)
	q := c.add(g, "user", itFreeText, "", t, nil, obj{{"content", long}, {"domain", "IT"}, {"entity", "vpn"}})
	c.add(g, "bot", itBot, q, sec(t, 3), nil, obj{{"content", HostileLong(HostileLongSize, false)}})
	g.finish(c, "IT", "DM", "CONVERSATION_TYPE_TICKET_INTERCEPTION", obj{{"content", long}, {"ticket_id", "INC0000200"}})

	// An id that is itself hostile.
	t = next()
	c = &convCtx{id: HostileEscapeID, user: u.id, platform: "slack"}
	q = c.add(g, "user", itFreeText, "", t, nil, obj{{"content", "my id is " + HostileEscapeID}, {"domain", "IT"}, {"entity", "vpn"}})
	c.add(g, "bot", itBot, q, sec(t, 2), nil, obj{{"content", "noted"}})
	g.finish(c, "IT", "DM", nil, nil)

	// Orphan and cyclic parents, a self-parent, a duplicated interaction id.
	t = next()
	c = &convCtx{id: HostileCyclesID, user: u.id, platform: "msteams"}
	root := c.add(g, "user", itFreeText, "", t, nil, obj{{"content", "cycles ahead"}, {"domain", "IT"}, {"entity", "vpn"}})
	c.add(g, "bot", itBot, root, sec(t, 1), nil, obj{{"content", "a normal answer"}})
	c.add(g, "bot", itBot, "no-such-par1", sec(t, 2), nil, obj{{"content", "orphan: my parent was never exported"}})
	a, b := g.ids.next(), g.ids.next()
	c.items = append(c.items,
		mwPending{id: a, actor: "user", typ: itButton, parent: b, at: sec(t, 3), detail: obj{{"content", "A (parent B)"}}},
		mwPending{id: b, actor: "bot", typ: itBot, parent: a, at: sec(t, 4), detail: obj{{"content", "B (parent A)"}}})
	self := g.ids.next()
	c.items = append(c.items, mwPending{id: self, actor: "bot", typ: itBot, parent: self, at: sec(t, 5), detail: obj{{"content", "my own parent"}}})
	d, e, f := g.ids.next(), g.ids.next(), g.ids.next()
	c.items = append(c.items,
		mwPending{id: d, actor: "user", typ: itButton, parent: f, at: sec(t, 6), detail: obj{{"content", "D (parent F)"}}},
		mwPending{id: e, actor: "bot", typ: itBot, parent: d, at: sec(t, 7), detail: obj{{"content", "E (parent D)"}}},
		mwPending{id: f, actor: "user", typ: itButton, parent: e, at: sec(t, 8), detail: obj{{"content", "F (parent E)"}}},
		mwPending{id: root, actor: "bot", typ: itBot, parent: root, at: sec(t, 9), detail: obj{{"content", "same id as the first message, and my own parent"}}})
	g.finish(c, "IT", "DM", nil, nil)

	// Duplicate conversation ids, 20 hours apart (different pages of any listing).
	for k, dt := range []time.Time{g.end.Add(-25*time.Hour - 7*time.Minute), g.end.Add(-5*time.Hour - 11*time.Minute)} {
		c = &convCtx{id: HostileDuplicateID, user: u.id, platform: "slack"}
		q = c.add(g, "user", itFreeText, "", dt, nil, obj{{"content", "duplicate id, copy " + strconv.Itoa(k+1)}, {"domain", "IT"}, {"entity", "vpn"}})
		c.add(g, "bot", itBot, q, sec(dt, 2), nil, obj{{"content", "answer to copy " + strconv.Itoa(k+1)}})
		g.finish(c, "IT", "DM", "CONVERSATION_TYPE_TICKET_INTERCEPTION", obj{{"content", "duplicate id, copy " + strconv.Itoa(k+1)}, {"ticket_id", "INC0000300"}})
	}

	// Nulls where strings are expected, and missing fields; records written by hand.
	t = next()
	g.convs = append(g.convs, g.rawRecord(obj{
		{"created_time", stamp(t)},
		{"detail", obj{{"content", nil}, {"ticket_id", nil}}},
		{"id", HostileNullsID},
		{"last_updated_time", nil},
		{"primary_domain", nil},
		{"route", nil},
		{"type", nil},
		{"user_id", nil},
	}, HostileNullsID, ""))
	nullInteraction := func(id string, created any) {
		g.inter = append(g.inter, g.rawRecord(obj{
			{"actor", nil},
			{"conversation_id", HostileNullsID},
			{"created_time", created},
			{"detail", obj{{"content", nil}, {"domain", nil}}},
			{"id", id},
			{"label", nil},
			{"last_updated_time", nil},
			{"parent_interaction_id", nil},
			{"platform", nil},
			{"type", nil},
			{"user_id", nil},
		}, id, HostileNullsID))
	}
	nullInteraction(g.ids.next(), stamp(t))
	nullInteraction(g.ids.next(), nil) // no timestamp at all
	g.inter = append(g.inter, g.rawRecord(obj{
		{"conversation_id", HostileNullsID}, {"created_time", stamp(sec(t, 2))}, {"detail", nil}, {"id", g.ids.next()},
	}, "", HostileNullsID))

	t = next()
	g.convs = append(g.convs, g.rawRecord(obj{{"created_time", stamp(t)}, {"id", HostileMissingID}}, HostileMissingID, ""))
	g.inter = append(g.inter,
		g.rawRecord(obj{{"conversation_id", HostileMissingID}, {"created_time", stamp(t)}, {"id", g.ids.next()}}, "", HostileMissingID),
		g.rawRecord(obj{{"conversation_id", HostileMissingID}, {"created_time", stamp(sec(t, 1))}, {"detail", obj{}}, {"id", g.ids.next()}, {"type", itBot}}, "", HostileMissingID))
}

// rawRecord is newRecord for hand-written records, which may lack created_time (or hold null
// there); such a record sorts first.
func (g *mwGen) rawRecord(o obj, id, conv string) *mwRecord {
	raw := appendObj(nil, o, nil)
	v, _ := o.get("created_time")
	created, _ := v.(string)
	if id == "" {
		idv, _ := o.get("id")
		id, _ = idv.(string)
	}
	return &mwRecord{fields: o, raw: raw, id: id, conv: conv, created: created}
}
