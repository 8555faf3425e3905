package mock

import (
	"encoding/json"
	"math/rand/v2"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// The Moveworks corpus: conversations and interactions rows as the Data API exports them
// (APIS.md §1.6), pre-serialized with alphabetical keys and indexed for cheap requests.

// mwConversationCount is the size of the default corpus.
const mwConversationCount = 3000

// Ids of the special records kept for the UI (each a valid 12-character id).
const (
	SpecialDeepThread = "deep-thread1" // a deeply branched thread
	SpecialOrphan     = "orphan-conv1" // holds a bot message whose parent does not exist
	SpecialLong       = "long-message" // a very long user message and bot answer
	SpecialHostile    = "hostile-text" // escape sequences and control characters in text
	// MissingParent is the parent_interaction_id of the orphan; no interaction has this id.
	MissingParent = "gone-parent1"
)

// mwRecord is one exported row.
type mwRecord struct {
	fields  obj    // top-level fields, sorted by key
	raw     []byte // fields as JSON, alphabetical keys
	id      string
	conv    string // conversation_id (interactions)
	created string // created_time as written
}

// str returns the string value of a top-level field and whether it is non-null.
func (r *mwRecord) str(k string) (string, bool) {
	v, _ := r.fields.get(k)
	s, ok := v.(string)
	return s, ok
}

// mwCollection is one collection in default order (created_time asc, then id asc).
type mwCollection struct {
	name   string
	fields map[string]bool // top-level field names, for $select and $orderby
	recs   []*mwRecord

	mapsOnce sync.Once
	maps     []map[string]any // JSON-decoded records, for $filter; built on first use
}

// decoded returns the JSON-decoded form of record i.
func (c *mwCollection) decoded() []map[string]any {
	c.mapsOnce.Do(func() {
		c.maps = make([]map[string]any, len(c.recs))
		for i, r := range c.recs {
			c.maps[i] = decodeRecord(r.raw)
		}
	})
	return c.maps
}

func decodeRecord(raw []byte) map[string]any {
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		panic("mock: corpus record is not valid JSON: " + err.Error())
	}
	return m
}

// mwCorpus is the whole Moveworks corpus.
type mwCorpus struct {
	conversations mwCollection
	interactions  mwCollection
	convIndex     map[string]int   // conversation id -> index in conversations
	interByConv   map[string][]int // conversation id -> indexes in interactions, ascending
}

type mwUser struct {
	id       string
	platform string
}

type mwPending struct {
	id, actor, typ, parent string
	at                     time.Time
	label                  any
	detail                 any
}

type mwGen struct {
	r     *rand.Rand
	ids   *idGen
	end   time.Time
	convs []*mwRecord
	inter []*mwRecord
	arena []byte // the records' JSON, allocated in large chunks
}

// genMoveworks builds the corpus for opts (already defaulted).
func genMoveworks(opts Options) *mwCorpus {
	r := newRand(opts.Seed, 1)
	g := &mwGen{r: r, end: opts.End,
		ids: newIDGen(r, SpecialDeepThread, SpecialOrphan, SpecialLong, SpecialHostile, MissingParent)}
	users := make([]mwUser, 350)
	for i := range users {
		users[i] = mwUser{id: userID(r), platform: platforms[weighted(r, []float64{5, 4, 1})]}
	}
	// Scale the count with the span so a shorter corpus keeps the same density.
	n := mwConversationCount * opts.Days / 28
	n = max(n, 8)
	specials := 4
	// Ordinary traffic stops two hours before End, so the deep thread (End-95min) is always
	// the newest conversation: the demo opens on it whatever the day or hour.
	starts := rhythmTimes(r, n-specials, opts.End, opts.Days, 2*time.Hour)
	g.convs = make([]*mwRecord, 0, n)
	g.inter = make([]*mwRecord, 0, n*11)
	for _, t := range starts {
		u := users[r.IntN(len(users))]
		g.conversation(t, u)
	}
	g.specials(users[0])
	if opts.Hostile {
		g.hostile(users)
	}
	return g.index()
}

func (g *mwGen) index() *mwCorpus {
	less := func(rs []*mwRecord) func(i, j int) bool {
		return func(i, j int) bool {
			if rs[i].created != rs[j].created {
				return rs[i].created < rs[j].created
			}
			return rs[i].id < rs[j].id
		}
	}
	sort.Slice(g.convs, less(g.convs))
	sort.Slice(g.inter, less(g.inter))
	c := &mwCorpus{
		conversations: mwCollection{name: "conversations", recs: g.convs, fields: fieldSet(g.convs)},
		interactions:  mwCollection{name: "interactions", recs: g.inter, fields: fieldSet(g.inter)},
		convIndex:     make(map[string]int, len(g.convs)),
		interByConv:   make(map[string][]int, len(g.convs)),
	}
	for i, rec := range g.convs {
		c.convIndex[rec.id] = i
	}
	for i, rec := range g.inter {
		c.interByConv[rec.conv] = append(c.interByConv[rec.conv], i)
	}
	return c
}

func fieldSet(rs []*mwRecord) map[string]bool {
	m := map[string]bool{}
	if len(rs) > 0 {
		for _, f := range rs[0].fields {
			m[f.K] = true
		}
	}
	return m
}

// convCtx accumulates one conversation's interactions.
type convCtx struct {
	id, user, platform string
	items              []mwPending
}

func (c *convCtx) add(g *mwGen, actor, typ, parent string, at time.Time, label, detail any) string {
	id := g.ids.next()
	c.items = append(c.items, mwPending{id: id, actor: actor, typ: typ, parent: parent, at: at, label: label, detail: detail})
	return id
}

// finish writes the conversation row and its interaction rows.
func (g *mwGen) finish(c *convCtx, domain any, route string, ctype, cdetail any) {
	first, last := c.items[0].at, c.items[0].at
	for _, it := range c.items {
		if it.at.Before(first) {
			first = it.at
		}
		if it.at.After(last) {
			last = it.at
		}
	}
	// Rows land in a daily batch around 06:00 UTC the next day (APIS.md §1.7); the most
	// recent rows, whose batch would be after End, were written shortly after the fact.
	day := last.Truncate(24 * time.Hour)
	lu := day.Add(30*time.Hour + time.Duration(g.r.IntN(600))*time.Second + time.Duration(g.r.IntN(1000))*time.Millisecond)
	if g.r.IntN(40) == 0 { // a reprocessed (backfilled) subset
		lu = lu.Add(time.Duration(36+g.r.IntN(12)) * time.Hour)
	}
	if lu.After(g.end) {
		lu = last.Add(time.Duration(g.r.IntN(120_000)) * time.Millisecond)
		if lu.After(g.end) {
			lu = last
		}
	}
	// Values shared by every row of the conversation are boxed once.
	var lus, idv, userv, platv any = stamp(lu), c.id, c.user, c.platform
	conv := obj{
		{"created_time", stamp(first)},
		{"detail", cdetail},
		{"id", idv},
		{"last_updated_time", lus},
		{"primary_domain", domain},
		{"route", route},
		{"type", ctype},
		{"user_id", userv},
	}
	g.convs = append(g.convs, g.newRecord(conv, c.id, ""))
	for _, it := range c.items {
		var parent any
		if it.parent != "" {
			parent = it.parent
		}
		o := obj{
			{"actor", it.actor},
			{"conversation_id", idv},
			{"created_time", stamp(it.at)},
			{"detail", it.detail},
			{"id", it.id},
			{"label", it.label},
			{"last_updated_time", lus},
			{"parent_interaction_id", parent},
			{"platform", platv},
			{"type", it.typ},
			{"user_id", userv},
		}
		g.inter = append(g.inter, g.newRecord(o, it.id, c.id))
	}
}

func (g *mwGen) newRecord(o obj, id, conv string) *mwRecord {
	created, _ := o.get("created_time")
	if cap(g.arena)-len(g.arena) < 4096 {
		g.arena = make([]byte, 0, 1<<20)
	}
	start := len(g.arena)
	g.arena = appendObj(g.arena, o, nil)
	raw := g.arena[start:len(g.arena):len(g.arena)]
	return &mwRecord{fields: o, raw: raw, id: id, conv: conv, created: created.(string)}
}

// Interaction types (APIS.md §1.6).
const (
	itFreeText = "INTERACTION_TYPE_FREE_TEXT"
	itBot      = "INTERACTION_TYPE_BOT_MESSAGE"
	itButton   = "INTERACTION_TYPE_BUTTON_CLICK"
	itLink     = "INTERACTION_TYPE_LINK_CLICK"
	itForm     = "INTERACTION_TYPE_UIFORM_SUBMISSION"
	itUpload   = "INTERACTION_TYPE_CONTENT_UPLOAD"
)

var (
	internalLinks = []string{"GET_HELP", "INFO", "UI_FORM", "HELPFUL", "UNHELPFUL"}
	formLabels    = []string{"file_ticket", "handoff", "mw_form"}
	notifTypes    = []string{
		"CONVERSATION_TYPE_APPROVAL_REQUEST_NOTIFICATION", "CONVERSATION_TYPE_EVENTS_NOTIFICATION",
		"CONVERSATION_TYPE_AMBIENT_AGENT_NOTIFICATION", "CONVERSATION_TYPE_TICKET_UPDATE_NOTIFICATION",
		"CONVERSATION_TYPE_TICKET_WATCHER_NOTIFICATION", "CONVERSATION_TYPE_TICKET_WAITING_NOTIFICATION",
		"CONVERSATION_TYPE_TICKET_NUDGE_NOTIFICATION", "CONVERSATION_TYPE_COMMS_NOTIFICATION",
	}
	notifWeights = []float64{4, 1, 1, 4, 1, 1, 2, 2}
	campaigns    = []string{"Security awareness month 🔐", "Open enrollment reminder", "Office move: Building C", "Quarterly all-hands"}
	usecases     = []string{"Laptop refresh reminder", "Expiring password warning", "Pending expense approval"}
)

func (g *mwGen) ticketID() string {
	return pick(g.r, ticketPrefixes) + strconv.Itoa(10000+g.r.IntN(90000)) + strconv.Itoa(g.r.IntN(10))
}

func (g *mwGen) conversation(start time.Time, u mwUser) {
	r := g.r
	tp := topics[weighted(r, topicWeights)]
	c := &convCtx{id: g.ids.next(), user: u.id, platform: u.platform}
	if chance(r, 0.15) {
		c.platform = pick(r, platforms)
	}
	var domain any = tp.Domain
	if chance(r, 0.06) {
		domain = nil
	}
	at := start
	switch x := r.Float64(); {
	case x < 0.12: // a notification opens the conversation
		ti := weighted(r, notifWeights)
		ctype := notifTypes[ti]
		detail := g.notifDetail(ctype, tp)
		note := c.add(g, "bot", itBot, "", at, nil, obj{{"content", notificationText(ctype, detail)}})
		turns := r.IntN(3)
		for i := range turns {
			at = at.Add(time.Duration(30+r.IntN(3600)) * time.Second)
			parent := ""
			if i == 0 && chance(r, 0.6) {
				parent = note
			}
			uid := c.add(g, "user", itButton, parent, at, nil, obj{{"content", pick(r, append(tp.Buttons[:len(tp.Buttons):len(tp.Buttons)], "Approve", "Deny", "Snooze"))}})
			at, _ = g.replies(c, tp, uid, at, 1+r.IntN(2))
		}
		g.finish(c, domain, "Notification", ctype, detail)
		return
	case x < 0.17: // the bot intercepted a ticket
		tid := g.ticketID()
		text := pick(r, tp.Utterances)
		uid := c.add(g, "user", itFreeText, "", at, nil, obj{{"content", text}, {"domain", tp.Domain}, {"entity", tp.Entity}})
		at, _ = g.replies(c, tp, uid, at, 1+r.IntN(3))
		if chance(r, 0.5) {
			at = at.Add(time.Duration(20+r.IntN(300)) * time.Second)
			bid := c.add(g, "user", itButton, "", at, nil, obj{{"content", pick(r, []string{"Resolve my ticket", "Keep it open"})}})
			g.replies(c, tp, bid, at, 1)
		}
		g.finish(c, domain, "Ticket_Interception", "CONVERSATION_TYPE_TICKET_INTERCEPTION",
			obj{{"content", text}, {"ticket_id", tid}})
		return
	}
	turns := 1 + weighted(r, []float64{25, 25, 20, 12, 8, 5, 3, 2})
	lastBot := ""
	for i := range turns {
		kind := 0
		if i > 0 {
			kind = weighted(r, []float64{45, 25, 10, 12, 8})
		} else if chance(r, 0.02) {
			kind = 4
		}
		parent := ""
		var uid string
		nReplies := 1 + weighted(r, []float64{55, 33, 12})
		switch kind {
		case 0:
			text := pick(r, tp.Utterances)
			if i > 0 {
				text = pick(r, tp.FollowUps)
			}
			uid = c.add(g, "user", itFreeText, "", at, nil, obj{{"content", text}, {"domain", tp.Domain}, {"entity", tp.Entity}})
		case 1:
			if lastBot != "" && chance(r, 0.15) {
				parent = lastBot
			}
			label := pick(r, tp.Buttons)
			if chance(r, 0.3) {
				label = pick(r, helpfulButtons)
			}
			uid = c.add(g, "user", itButton, parent, at, nil, obj{{"content", label}})
		case 2:
			if lastBot != "" && chance(r, 0.15) {
				parent = lastBot
			}
			var d obj
			if chance(r, 0.6) {
				d = obj{{"resource_id", pick(r, internalLinks)}, {"type", "RESOURCE_TYPE_INTERNAL_LINK"}}
			} else {
				d = obj{{"content", pick(r, articleTitles)}, {"resource_id", g.ids.next()},
					{"type", pick(r, []string{"RESOURCE_TYPE_RECORD", "RESOURCE_TYPE_FORM", "RESOURCE_TYPE_UNSPECIFIED"})}}
			}
			uid = c.add(g, "user", itLink, parent, at, nil, d)
			nReplies = r.IntN(2)
		case 3:
			var d obj
			forms := tp.Forms
			if len(forms) == 0 {
				forms = []string{"General request"}
			}
			if chance(r, 0.6) {
				d = obj{{"detail", g.ticketID()}, {"resource_id", g.ids.next()}, {"type", "RESOURCE_TYPE_FORM"}}
			} else {
				d = obj{{"detail", pick(r, forms)}}
			}
			uid = c.add(g, "user", itForm, "", at, pick(r, formLabels), d)
		case 4:
			ft := []string{pick(r, fileTypes)}
			if chance(r, 0.2) {
				ft = append(ft, pick(r, fileTypes))
			}
			uid = c.add(g, "user", itUpload, "", at, nil, obj{{"content", nil}, {"file_types", ft}})
		}
		if nReplies > 0 {
			at, lastBot = g.replies(c, tp, uid, at, nReplies)
		}
		at = at.Add(time.Duration(8_000+r.IntN(240_000)) * time.Millisecond)
	}
	var ctype, cdetail any
	g.finish(c, domain, "DM", ctype, cdetail)
}

func (g *mwGen) notifDetail(ctype string, tp topic) obj {
	r := g.r
	switch {
	case strings.Contains(ctype, "APPROVAL"):
		return obj{{"domain", tp.Domain}, {"source", pick(r, []string{"ServiceNow", "Workday", "Coupa", "Jira"})}, {"type", pick(r, []string{"SOFTWARE_ACCESS", "PURCHASE", "TIME_OFF"})}}
	case strings.Contains(ctype, "EVENTS"), strings.Contains(ctype, "AMBIENT"):
		return obj{{"usecase_id", g.ids.next()}, {"usecase_name", pick(r, usecases)}}
	case strings.Contains(ctype, "COMMS"):
		return obj{{"campaign_id", g.ids.next()}, {"campaign_name", pick(r, campaigns)}}
	default:
		return obj{{"ticket_id", g.ticketID()}}
	}
}

func notificationText(ctype string, d obj) string {
	get := func(k string) string { v, _ := d.get(k); s, _ := v.(string); return s }
	switch {
	case strings.Contains(ctype, "APPROVAL"):
		return "📝 Approval needed: a " + strings.ToLower(strings.ReplaceAll(get("type"), "_", " ")) + " request from " + get("source") + " is waiting for you."
	case strings.Contains(ctype, "COMMS"):
		return "📣 " + get("campaign_name") + ": please read the update from the People team."
	case strings.Contains(ctype, "EVENTS"), strings.Contains(ctype, "AMBIENT"):
		return "🔔 " + get("usecase_name")
	case strings.Contains(ctype, "NUDGE"):
		return "Your ticket " + get("ticket_id") + " needs your reply to move forward."
	case strings.Contains(ctype, "WAITING"):
		return "Ticket " + get("ticket_id") + " is waiting on you."
	default:
		return "Update on ticket " + get("ticket_id") + ": the status changed to *In progress*."
	}
}

// replies adds n bot messages answering parent; it returns the time of the last one and its id.
func (g *mwGen) replies(c *convCtx, tp topic, parent string, at time.Time, n int) (time.Time, string) {
	r := g.r
	last := ""
	for j := range n {
		at = at.Add(time.Duration(700+r.IntN(3500)) * time.Millisecond)
		var text string
		switch {
		case j == 0:
			text = pick(r, tp.Replies)
		case j == n-1 && chance(r, 0.6):
			text = pick(r, helpfulPrompts)
		default:
			text = "Here's an article that might help: " + pick(r, articleTitles)
		}
		last = c.add(g, "bot", itBot, parent, at, nil, obj{{"content", text}})
	}
	return at, last
}

// specials adds the hand-made records the UI needs to be tested against.
func (g *mwGen) specials(u mwUser) {
	r := g.r
	it := topics[0]
	ft := func(s string) obj { return obj{{"content", s}, {"domain", "IT"}, {"entity", "vpn"}} }
	bot := func(s string) obj { return obj{{"content", s}} }
	sec := func(t time.Time, s int) time.Time { return t.Add(time.Duration(s) * time.Second) }

	// A deeply branched thread: three answers, clicks on earlier bot messages, and a chain of
	// eight click → answer levels.
	at := g.end.Add(-95 * time.Minute).Truncate(time.Second).Add(123 * time.Millisecond)
	c := &convCtx{id: SpecialDeepThread, user: u.id, platform: "slack"}
	root := c.add(g, "user", itFreeText, "", at, nil, ft("my VPN and my email are both broken 😵"))
	var answers []string
	for i := range 3 {
		answers = append(answers, c.add(g, "bot", itBot, root, sec(at, 2+i), nil, bot([]string{"Let's look at the VPN first.", "Then the email.", "Which one is more urgent?"}[i])))
	}
	at = sec(at, 20)
	side := c.add(g, "user", itLink, answers[0], at, nil, obj{{"content", "How to connect to the VPN"}, {"resource_id", "KB0012345"}, {"type", "RESOURCE_TYPE_RECORD"}})
	c.add(g, "bot", itBot, side, sec(at, 2), nil, bot("Opening the article for you."))
	parent := answers[2]
	for depth := range 8 {
		at = sec(at, 30)
		click := c.add(g, "user", itButton, parent, at, nil, obj{{"content", "Level " + strconv.Itoa(depth+1) + ": tell me more"}})
		parent = c.add(g, "bot", itBot, click, sec(at, 2), nil, bot("Here is more detail, level "+strconv.Itoa(depth+1)+"."))
		if depth%3 == 1 {
			c.add(g, "bot", itBot, click, sec(at, 3), nil, bot("(and a second answer at level "+strconv.Itoa(depth+1)+")"))
		}
	}
	at = sec(at, 60)
	f := c.add(g, "user", itFreeText, "", at, nil, obj{{"content", "and the email? 📧"}, {"domain", "IT"}, {"entity", "email"}})
	c.add(g, "bot", itBot, f, sec(at, 2), nil, bot("Your mailbox was over quota; I've archived old items."))
	c.add(g, "bot", itBot, f, sec(at, 4), nil, bot(pick(r, helpfulPrompts)))
	g.finish(c, "IT", "DM", nil, nil)

	// An orphan: a bot message whose parent is not in the export.
	at = g.end.Add(-3 * time.Hour).Truncate(time.Second).Add(456 * time.Millisecond)
	c = &convCtx{id: SpecialOrphan, user: u.id, platform: "msteams"}
	c.add(g, "bot", itBot, MissingParent, at, nil, bot("(answer to a message that was not exported)"))
	q := c.add(g, "user", itFreeText, "", sec(at, 40), nil, ft("what was that about?"))
	c.add(g, "bot", itBot, q, sec(at, 42), nil, bot("Sorry, I lost the context. How can I help?"))
	g.finish(c, "IT", "DM", nil, nil)

	// A very long message and answer.
	at = g.end.Add(-5 * time.Hour).Truncate(time.Second).Add(789 * time.Millisecond)
	c = &convCtx{id: SpecialLong, user: u.id, platform: "web"}
	var long strings.Builder
	for i := range 40 {
		long.WriteString("Step ")
		long.WriteString(strconv.Itoa(i + 1))
		long.WriteString(": I tried restarting the laptop, reinstalling the client, switching networks (home Wi-Fi, tethering 📱, the café downstairs) and clearing the keychain; nothing changed. 同じエラーが出ます。\n")
	}
	q = c.add(g, "user", itFreeText, "", at, nil, ft(long.String()))
	var ans strings.Builder
	for i := range 120 {
		ans.WriteString("Paragraph ")
		ans.WriteString(strconv.Itoa(i + 1))
		ans.WriteString(". ")
		ans.WriteString(pick(r, it.Replies))
		ans.WriteString(" Ünïcödé, emoji 🧪 and 中文 keep the wrapping honest. ")
		if i%10 == 9 {
			ans.WriteString("\n\n")
		}
	}
	c.add(g, "bot", itBot, q, sec(at, 3), nil, bot(ans.String()))
	g.finish(c, "IT", "DM", nil, nil)

	// Hostile text: terminal escape sequences, control characters, bidi overrides.
	at = g.end.Add(-7 * time.Hour).Truncate(time.Second).Add(42 * time.Millisecond)
	c = &convCtx{id: SpecialHostile, user: u.id, platform: "slack"}
	q = c.add(g, "user", itFreeText, "", at, nil, ft("\x1b[2J\x1b[31mRED ALERT\x1b[0m\a and \x1b]52;c;ZXZpbA==\x07 plus \u202etxt.exe\u202c and a\rcarriage return\x00nul"))
	c.add(g, "bot", itBot, q, sec(at, 2), nil, bot("I can't help with that \x1b]8;;https://example.invalid\x1b\\link\x1b]8;;\x1b\\."))
	g.finish(c, "OTHER", "DM", nil, nil)
}
