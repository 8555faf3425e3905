package opendialog

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/confab-dev/confab/client"
)

// message is one user-sent interaction as received.
type message struct {
	t    time.Time
	typ  string
	text string
	data json.RawMessage
	raw  json.RawMessage // the interaction object verbatim
}

// userBlock is one user object of a response: its fields without interactions, and its
// interactions.
type userBlock struct {
	id   string
	head json.RawMessage // the user object without "interactions"
	msgs []message
}

// decodeResponse reads {"data": [ {"<user_id>": {…}}, … ]}. It also accepts one object
// holding several user keys, and data as a single object.
func decodeResponse(body []byte) ([]userBlock, error) {
	var env struct {
		Data json.RawMessage `json:"data"`
	}
	if err := json.Unmarshal(body, &env); err != nil {
		return nil, fmt.Errorf("malformed JSON: %w", err)
	}
	d := bytes.TrimSpace(env.Data)
	if len(d) == 0 {
		return nil, errors.New(`the response has no "data"`)
	}
	var elems []json.RawMessage
	switch d[0] {
	case '[':
		if err := json.Unmarshal(d, &elems); err != nil {
			return nil, fmt.Errorf("malformed data: %w", err)
		}
	case '{':
		elems = []json.RawMessage{d}
	case 'n':
		return nil, nil
	default:
		return nil, errors.New(`"data" is neither an array nor an object`)
	}
	var out []userBlock
	for _, e := range elems {
		var users map[string]json.RawMessage
		if err := json.Unmarshal(e, &users); err != nil {
			return nil, fmt.Errorf("an element of data is not an object keyed by user id: %w", err)
		}
		keys := make([]string, 0, len(users))
		for k := range users {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			b, err := decodeUser(k, users[k])
			if err != nil {
				return nil, fmt.Errorf("user %q: %w", k, err)
			}
			out = append(out, b)
		}
	}
	return out, nil
}

func decodeUser(key string, raw json.RawMessage) (userBlock, error) {
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(raw, &fields); err != nil {
		return userBlock{}, fmt.Errorf("not an object: %w", err)
	}
	b := userBlock{id: key}
	if b.id == "" {
		_ = json.Unmarshal(fields["user_id"], &b.id)
	}
	var items []json.RawMessage
	if ir, ok := fields["interactions"]; ok {
		if err := json.Unmarshal(ir, &items); err != nil {
			return userBlock{}, fmt.Errorf("interactions: %w", err)
		}
		delete(fields, "interactions")
	}
	head, err := json.Marshal(fields)
	if err != nil {
		return userBlock{}, err
	}
	b.head = head
	for _, it := range items {
		m, err := decodeMessage(it)
		if err != nil {
			return userBlock{}, err
		}
		b.msgs = append(b.msgs, m)
	}
	return b, nil
}

func decodeMessage(raw json.RawMessage) (message, error) {
	var it struct {
		Type string          `json:"type"`
		Date string          `json:"date"`
		Text json.RawMessage `json:"text"`
		Data json.RawMessage `json:"data"`
	}
	if err := json.Unmarshal(raw, &it); err != nil {
		return message{}, fmt.Errorf("interaction: %w", err)
	}
	t, err := time.Parse(time.RFC3339Nano, it.Date)
	if err != nil {
		return message{}, fmt.Errorf("interaction date %q is not an ISO 8601 time", it.Date)
	}
	m := message{t: t.UTC(), typ: it.Type, text: scalarText(it.Text), raw: raw}
	if d := bytes.TrimSpace(it.Data); len(d) > 0 && !bytes.Equal(d, []byte("null")) {
		m.data = d
	}
	return m, nil
}

// scalarText renders a JSON scalar as text ("" for null or a composite value).
func scalarText(raw json.RawMessage) string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return ""
	}
	switch raw[0] {
	case '"':
		var s string
		if json.Unmarshal(raw, &s) == nil {
			return s
		}
	case '{', '[', 'n':
		return ""
	}
	return string(raw)
}

// run is one conversation being assembled: one user's messages in time order. Its exported
// fields are what a cursor carries.
type run struct {
	User string            `json:"u"`
	Head json.RawMessage   `json:"h,omitempty"`
	Msgs []json.RawMessage `json:"m"`
	msgs []message
}

func (r *run) add(m message) {
	r.msgs = append(r.msgs, m)
	r.Msgs = append(r.Msgs, m.raw)
}

// join appends newer, the continuation of r from a newer window.
func (r *run) join(newer *run) {
	for _, m := range newer.msgs {
		r.add(m)
	}
}

func (r *run) first() time.Time { return r.msgs[0].t }
func (r *run) last() time.Time  { return r.msgs[len(r.msgs)-1].t }

// index decodes Msgs (after a cursor was read).
func (r *run) index() error {
	r.msgs = r.msgs[:0]
	for _, raw := range r.Msgs {
		m, err := decodeMessage(raw)
		if err != nil {
			return err
		}
		r.msgs = append(r.msgs, m)
	}
	if len(r.msgs) == 0 {
		return errors.New("an empty pending session")
	}
	return nil
}

// idTime is the time part of a conversation id: UTC with microseconds, no spaces.
const idTime = "2006-01-02T15:04:05.000000Z"

// ID returns the conversation id of user's run starting at first: the user id (with
// characters outside [A-Za-z0-9._~:+-] and '@' percent-encoded), '@', and the time.
func ID(user string, first time.Time) string {
	return escapeUser(user) + "@" + first.UTC().Format(idTime)
}

// ParseID splits a conversation id into the user id and the first message's time.
func ParseID(id string) (user string, first time.Time, err error) {
	i := strings.LastIndexByte(id, '@')
	if i <= 0 {
		return "", time.Time{}, fmt.Errorf("%q is not an OpenDialog conversation id (USER@TIME)", id)
	}
	user, err = url.PathUnescape(id[:i])
	if err != nil {
		return "", time.Time{}, fmt.Errorf("%q: bad user id: %w", id, err)
	}
	first, err = time.Parse(time.RFC3339Nano, id[i+1:])
	if err != nil {
		return "", time.Time{}, fmt.Errorf("%q: bad time after '@' (want e.g. 2026-11-08T14:05:00.000000Z)", id)
	}
	return user, first.UTC(), nil
}

func escapeUser(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("._~:+-", c) >= 0 {
			b.WriteByte(c)
			continue
		}
		fmt.Fprintf(&b, "%%%02X", c)
	}
	return b.String()
}

// userData is the user's own data: the chatbot_user_data object of the user object. Only
// it describes the user. The other top-level keys of the user object (from, to, user_id,
// selected_scenario, browser, …) echo the filters of the request (APIS.md §3.4), so they
// are never shown as the user's attributes; they stay in Raw.
type userData map[string]json.RawMessage

// userDataOf reads chatbot_user_data from the user object head (nil when absent or not an
// object).
func userDataOf(head json.RawMessage) userData {
	var top map[string]json.RawMessage
	if json.Unmarshal(head, &top) != nil {
		return nil
	}
	var d userData
	if json.Unmarshal(top["chatbot_user_data"], &d) != nil {
		return nil
	}
	return d
}

// attr returns the user's value of the first of keys found in chatbot_user_data, then in
// its custom block (the legacy and export shapes: APIS.md §3.4).
func (d userData) attr(keys ...string) string {
	for _, k := range keys {
		if v := strings.TrimSpace(scalarText(d[k])); v != "" {
			return v
		}
	}
	if c, ok := d["custom"]; ok {
		var custom map[string]json.RawMessage
		if json.Unmarshal(c, &custom) == nil {
			for _, k := range keys {
				if v := strings.TrimSpace(scalarText(custom[k])); v != "" {
					return v
				}
			}
		}
	}
	return ""
}

// name is the user's name: chatbot_user_data.name, else the legacy first_name and
// last_name.
func (d userData) name() string {
	if n := d.attr("name"); n != "" {
		return n
	}
	return strings.TrimSpace(d.attr("first_name") + " " + d.attr("last_name"))
}

// conversation maps the run onto the model.
func (r *run) conversation(source string) client.Conversation {
	u := userDataOf(r.Head)
	c := client.Conversation{
		Source:  source,
		ID:      ID(r.User, r.first()),
		UserID:  r.User,
		Started: r.first(),
		Updated: r.last(),
	}
	for _, m := range r.msgs {
		if kindOf(m.typ) == client.KindText && strings.TrimSpace(m.text) != "" {
			c.Summary = client.FirstLine(m.text)
			break
		}
	}
	if c.Summary == "" {
		for _, m := range r.msgs {
			if t := strings.TrimSpace(m.text); t != "" {
				c.Summary = client.FirstLine(t)
				break
			}
		}
	}
	n := len(r.msgs)
	msgs := strconv.Itoa(n) + " msgs"
	if n == 1 {
		msgs = "1 msg"
	}
	// The first three attributes are the list's columns. Only the user's own data is read:
	// the documented chatbot_user_data is id, name and email; richer shapes (the legacy
	// custom.selected_scenario, the export's browser data) are shown when the vendor sends
	// them there, never from the echoed filters beside it.
	c.Attrs = client.Attrs{}.
		Add(client.AttrUserName, u.name()).
		Add(client.AttrUserEmail, u.attr("email")).
		Add("messages", msgs).
		Add("scenario", u.attr("selected_scenario")).
		Add("country", u.attr("country")).
		Add("browser", u.attr("browser")).
		Add("os", u.attr("os")).
		Add("platform", u.attr("platform")).
		Add("language", u.attr("browser_language")).
		Add(NoteKey, Note)
	c.Raw = r.raw()
	return c
}

// raw is the user object with only this run's interactions.
func (r *run) raw() json.RawMessage {
	head := bytes.TrimSpace(r.Head)
	if len(head) < 2 || head[0] != '{' {
		head = []byte("{}")
	}
	var b bytes.Buffer
	b.Write(head[:len(head)-1])
	if len(bytes.TrimSpace(head[1:len(head)-1])) > 0 {
		b.WriteByte(',')
	}
	b.WriteString(`"interactions":[`)
	for i, m := range r.Msgs {
		if i > 0 {
			b.WriteByte(',')
		}
		b.Write(m)
	}
	b.WriteString("]}")
	return b.Bytes()
}

// runFromRaw reads a run back from a conversation's Raw.
func runFromRaw(user string, raw json.RawMessage) (*run, error) {
	if len(raw) == 0 {
		return &run{User: user}, nil
	}
	b, err := decodeUser(user, raw)
	if err != nil {
		return nil, err
	}
	r := &run{User: user, Head: b.head}
	for _, m := range b.msgs {
		r.add(m)
	}
	return r, nil
}

// kindOf maps an interaction type onto the model's kinds; unknown types are kept.
func kindOf(typ string) string {
	switch t := strings.ToLower(strings.TrimSpace(typ)); t {
	case "text", "longtext_response", "longtext":
		return client.KindText
	case "button", "button_response":
		return client.KindButton
	case "form", "form_response":
		return client.KindForm
	case "url_click", "link":
		return client.KindLink
	default:
		return t
	}
}

// interactions maps the run's messages onto the model, in time order.
func (r *run) interactions(convID string) []client.Interaction {
	out := make([]client.Interaction, 0, len(r.msgs))
	for i, m := range r.msgs {
		it := client.Interaction{
			ID:             convID + "#" + strconv.Itoa(i+1),
			ConversationID: convID,
			Actor:          client.ActorUser,
			Kind:           kindOf(m.typ),
			Text:           m.text,
			Time:           m.t,
			Raw:            m.raw,
		}
		if it.Kind != m.typ {
			it.Attrs = it.Attrs.Add("type", m.typ)
		}
		it.Attrs = append(it.Attrs, dataAttrs(m.data)...)
		if it.Text == "" {
			it.Text = it.Attrs.Value("name")
			if it.Text == "" {
				it.Text = it.Attrs.Value("value")
			}
			if it.Text == "" {
				it.Text = it.Attrs.Value("url")
			}
			if it.Text == "" {
				it.Text = it.Attrs.Value("form_name")
			}
		}
		out = append(out, it)
	}
	return out
}

// dataAttrs flattens an interaction's data into attributes: name, value and callback_id
// first, then the other keys in order (nested objects as parent.child).
func dataAttrs(data json.RawMessage) client.Attrs {
	if len(data) == 0 {
		return nil
	}
	var flat client.Attrs
	flatten("", data, &flat, 0)
	rank := map[string]int{"name": 0, "value": 1, "callback_id": 2}
	sort.SliceStable(flat, func(i, j int) bool {
		ri, oki := rank[flat[i].Key]
		rj, okj := rank[flat[j].Key]
		switch {
		case oki && okj:
			return ri < rj
		case oki != okj:
			return oki
		}
		return false
	})
	return flat
}

func flatten(prefix string, raw json.RawMessage, out *client.Attrs, depth int) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || depth > 4 {
		return
	}
	key := func(k string) string {
		if prefix == "" {
			return k
		}
		return prefix + "." + k
	}
	switch raw[0] {
	case '{':
		dec := json.NewDecoder(bytes.NewReader(raw))
		if _, err := dec.Token(); err != nil {
			return
		}
		for dec.More() {
			tk, err := dec.Token()
			if err != nil {
				return
			}
			k, _ := tk.(string)
			var v json.RawMessage
			if err := dec.Decode(&v); err != nil {
				return
			}
			flatten(key(k), v, out, depth+1)
		}
	case '[':
		var items []json.RawMessage
		if json.Unmarshal(raw, &items) != nil {
			return
		}
		var parts []string
		for i, it := range items {
			if s := scalarText(it); s != "" || len(bytes.TrimSpace(it)) == 0 || it[0] != '{' {
				parts = append(parts, s)
				continue
			}
			flatten(key(strconv.Itoa(i)), it, out, depth+1)
		}
		if len(parts) > 0 {
			*out = out.Add(prefix, strings.Join(parts, ", "))
		}
	default:
		if prefix == "" {
			prefix = "data"
		}
		*out = out.Add(prefix, scalarText(raw))
	}
}

// cursor is the position of a listing: the resolved range, the order, the edge of the next
// window to read, and the runs held back at the last window's edge.
type cursor struct {
	V    int   `json:"v"`
	From int64 `json:"f"` // range start, Unix µs (inclusive)
	To   int64 `json:"t"` // range end, Unix µs (exclusive)
	// End is the end of the next window (newest first) or, with Asc, its start; Unix µs.
	End     int64  `json:"e"`
	Asc     bool   `json:"a,omitempty"` // oldest first
	Pending []*run `json:"p,omitempty"`
}

const cursorVersion = 1

func (c cursor) encode() (string, error) {
	b, err := json.Marshal(c)
	if err != nil {
		return "", fmt.Errorf("opendialog: encode cursor: %w", err)
	}
	return "od1." + base64.RawURLEncoding.EncodeToString(b), nil
}

func decodeCursor(s string) (cursor, error) {
	bad := func(why string) (cursor, error) {
		return cursor{}, &client.APIError{Kind: client.ErrBadResponse, Message: "not an OpenDialog page cursor: " + why}
	}
	rest, ok := strings.CutPrefix(s, "od1.")
	if !ok {
		return bad("unknown prefix")
	}
	b, err := base64.RawURLEncoding.DecodeString(rest)
	if err != nil {
		return bad("bad encoding")
	}
	var c cursor
	if err := json.Unmarshal(b, &c); err != nil || c.V != cursorVersion {
		return bad("bad content")
	}
	if !c.Asc && (c.End <= c.From || c.End > c.To) || c.Asc && (c.End < c.From || c.End >= c.To) {
		return bad("position outside the range")
	}
	return c, nil
}
