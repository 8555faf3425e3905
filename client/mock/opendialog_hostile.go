package mock

import (
	"time"
)

// User ids of the hostile OpenDialog users (Options.Hostile), for tests. A conversation's id
// is its user id and first message time (opendialog.ID), so tests find them by UserID.
const (
	// OpenDialogHostileUser has one session per hostile string (in texts, button data and its
	// own user data) and hostile strings in its chatbot_user_data name and email.
	OpenDialogHostileUser = "hostile-od-user"
	// OpenDialogHostileLongUser has one session with two 200 KB messages.
	OpenDialogHostileLongUser = "hostile-od-long"
	// OpenDialogHostileNullsUser has nulls wherever strings are expected: in chatbot_user_data
	// (id, name, email), in texts, types and data.
	OpenDialogHostileNullsUser = "hostile-od-nulls"
	// OpenDialogHostileEscapeUser is a user id that is itself hostile.
	OpenDialogHostileEscapeUser = "od\x1b]0;pwned\x07-\u202euser"
)

// odHostile adds the hostile users to the corpus. Their sessions end before end, in the last
// day, at least odMinSeparation apart.
func (c *odCorpus) odHostile(end time.Time) {
	hs := HostileStrings()
	sessionStart := func(k int) time.Time { // k sessions back from end
		return end.Add(-time.Duration(k) * 50 * time.Minute).Truncate(time.Second).Add(271828 * time.Microsecond)
	}
	attrs := func(v string) map[string]string {
		m := map[string]string{}
		for _, k := range openDialogFilters {
			m[k] = v
		}
		return m
	}

	u := &odUser{id: OpenDialogHostileUser, attrs: attrs(hs[0])}
	u.data = obj{{"email", hs[5]}, {"id", u.id}, {"name", hs[8]}}
	for i := len(hs) - 1; i >= 0; i-- {
		s := hs[i]
		at := sessionStart(i + 2)
		u.sessions = append(u.sessions, []*odMessage{
			{at: at, typ: "text", text: s},
			{at: at.Add(20 * time.Second), typ: "button_response", text: HostileString(i + 1), data: obj{{"callback_id", s}, {"value", s}}},
			{at: at.Add(40 * time.Second), typ: "longtext_response", text: HostileString(i + 2)},
			{at: at.Add(60 * time.Second), typ: s, text: s, data: obj{{"url", s}}},
		})
	}
	c.users = append(c.users, u)

	at := sessionStart(1)
	c.users = append(c.users, &odUser{id: OpenDialogHostileLongUser, attrs: attrs("long"),
		data: obj{{"id", OpenDialogHostileLongUser}, {"name", "Long Messages"}},
		sessions: [][]*odMessage{{
			{at: at, typ: "text", text: HostileLong(HostileLongSize, true)},
			{at: at.Add(30 * time.Second), typ: "longtext_response", text: HostileLong(HostileLongSize, false)},
		}}})

	at = sessionStart(3)
	c.users = append(c.users, &odUser{id: OpenDialogHostileNullsUser, attrs: attrs(""),
		data: obj{{"email", nil}, {"id", nil}, {"name", nil}},
		sessions: [][]*odMessage{{
			{at: at, typ: "text", null: true},
			{at: at.Add(10 * time.Second), typ: "", null: true, nullType: true},
			{at: at.Add(20 * time.Second), typ: "text", text: "after the nulls"},
		}}})

	at = sessionStart(4)
	c.users = append(c.users, &odUser{id: OpenDialogHostileEscapeUser, attrs: attrs(hs[0]),
		data: obj{{"id", OpenDialogHostileEscapeUser}, {"name", hs[1]}},
		sessions: [][]*odMessage{{
			{at: at, typ: "text", text: "my user id is hostile"},
		}}})
}
