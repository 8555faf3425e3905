package talkdesk

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/confab-dev/confab/client"
)

// page is one response of the interactions endpoint (APIS.md §2.5).
type page struct {
	Embedded struct {
		Interactions []json.RawMessage `json:"interactions"`
	} `json:"_embedded"`
	Links struct {
		Next *struct {
			Href string `json:"href"`
		} `json:"next"`
	} `json:"_links"`
}

func (p *page) next() string {
	if p.Links.Next == nil {
		return ""
	}
	return strings.TrimSpace(p.Links.Next.Href)
}

// idString is a string field that APIS.md could not type (agent_id, agent_name,
// transcription_type: not captured): a JSON string is its value, a number is kept as written,
// null is "", and any other value (a boolean, an object, an array) is kept as its JSON text,
// so an unexpected type never makes the interaction unreadable.
type idString string

// UnmarshalJSON reads any JSON value (see idString).
func (s *idString) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case len(b) > 0 && b[0] == '"':
		var v string
		if err := json.Unmarshal(b, &v); err != nil {
			return err
		}
		*s = idString(v)
	case string(b) == "null":
		*s = ""
	default:
		*s = idString(b)
	}
	return nil
}

// optInt is an integer field that APIS.md could not type (message_index, recording_index:
// not captured): a JSON number with an integer value, or a string holding one, sets it; null,
// other numbers and other values leave it unset rather than make the interaction unreadable.
type optInt struct {
	v  int
	ok bool
}

// UnmarshalJSON reads any JSON value (see optInt).
func (o *optInt) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 1 && b[0] == '"' {
		b = b[1 : len(b)-1]
	}
	*o = optInt{}
	if n, err := strconv.Atoi(string(b)); err == nil {
		*o = optInt{v: n, ok: true}
	} else if f, err := strconv.ParseFloat(string(b), 64); err == nil && f == math.Trunc(f) && math.Abs(f) < 1<<53 {
		*o = optInt{v: int(f), ok: true}
	}
	return nil
}

// ptr is the value as a pointer, nil when unset.
func (o optInt) ptr() *int {
	if !o.ok {
		return nil
	}
	return &o.v
}

// agent is one element of `agents[]`; its sub-fields were not captured (APIS.md §2.6), so
// confab reads the usual ones (id or agent_id, name or agent_name, email) and shows the
// first it finds.
type agent struct {
	ID        idString `json:"id"`
	AgentID   idString `json:"agent_id"`
	Name      string   `json:"name"`
	AgentName idString `json:"agent_name"`
	Email     string   `json:"email"`
}

func (a agent) id() string {
	if a.ID != "" {
		return string(a.ID)
	}
	return string(a.AgentID)
}

func (a agent) name() string {
	if a.Name != "" {
		return a.Name
	}
	return string(a.AgentName)
}

func (a agent) label() string {
	if n := a.name(); n != "" {
		return n
	}
	if a.Email != "" {
		return a.Email
	}
	return a.id()
}

// message is one element of `messages[]`. raw is the element exactly as received, so the
// JSON export carries the vendor's record, not one rebuilt from the fields confab knows.
type message struct {
	MessageID         string   `json:"message_id"`
	MessageIndex      optInt   `json:"message_index"`
	RecordingIndex    optInt   `json:"recording_index"`
	MessageStartAt    string   `json:"message_start_at"`
	Text              string   `json:"text"`
	Channel           string   `json:"channel"`
	Participant       string   `json:"participant"`
	AgentID           idString `json:"agent_id"`
	AgentName         idString `json:"agent_name"`
	TranscriptionType idString `json:"transcription_type"`
	SourceSystem      string   `json:"source_system"`
	Sentiment         string   `json:"sentiment"`
	Intent            string   `json:"intent"`
	IntentScore       *float64 `json:"intent_confidence_score"`
	IntentFallback    *bool    `json:"intent_is_fallback"`
	StartTime         *float64 `json:"start_time"`
	EndTime           *float64 `json:"end_time"`

	at  time.Time       // message_start_at, parsed (zero when absent)
	raw json.RawMessage // the element as received
}

// UnmarshalJSON reads the known fields and keeps a copy of the element as received.
func (m *message) UnmarshalJSON(b []byte) error {
	type fields message // without this method
	var f fields
	if err := json.Unmarshal(b, &f); err != nil {
		return err
	}
	*m = message(f)
	m.raw = append(json.RawMessage(nil), bytes.TrimSpace(b)...)
	return nil
}

// interaction is one element of `_embedded.interactions`.
type interaction struct {
	ID           string    `json:"id"`
	CustomerID   string    `json:"customer_id"`
	StartedAt    string    `json:"started_at"`
	EndedAt      string    `json:"ended_at"`
	Direction    string    `json:"direction"`
	RingGroups   []string  `json:"ring_groups"`
	Agents       []agent   `json:"agents"`
	SourceSystem string    `json:"source_system"`
	Messages     []message `json:"messages"`

	started, ended time.Time
	raw            json.RawMessage
}

// parseTime reads a Talkdesk date-time (RFC 3339, microseconds, Z).
func parseTime(s string) (time.Time, error) {
	return time.Parse(time.RFC3339Nano, strings.TrimSpace(s))
}

// decodeInteraction reads one interaction and orders its messages.
func decodeInteraction(raw json.RawMessage) (*interaction, error) {
	it := &interaction{raw: raw}
	if err := json.Unmarshal(raw, it); err != nil {
		return nil, fmt.Errorf("malformed interaction: %w", err)
	}
	if it.ID == "" {
		return nil, errors.New("an interaction has no id")
	}
	var err error
	if it.started, err = parseTime(it.StartedAt); err != nil {
		return nil, fmt.Errorf("interaction %s: started_at %q is not a date-time", it.ID, it.StartedAt)
	}
	if it.EndedAt != "" {
		if it.ended, err = parseTime(it.EndedAt); err != nil {
			return nil, fmt.Errorf("interaction %s: ended_at %q is not a date-time", it.ID, it.EndedAt)
		}
	}
	for i := range it.Messages {
		if s := it.Messages[i].MessageStartAt; s != "" {
			it.Messages[i].at, _ = parseTime(s) // a bad one only loses its place in the order
		}
	}
	sortMessages(it.Messages)
	return it, nil
}

// sortMessages puts messages in the order they were spoken: by recording_index, then
// message_index, then (where both are equal or absent) message_start_at, then start_time, an
// absent value after every present one, keeping the received order among equals. Messages
// may arrive in any order, and message_start_at is optional, so times come last.
func sortMessages(ms []message) {
	sort.SliceStable(ms, func(i, j int) bool { return cmpMessages(&ms[i], &ms[j]) < 0 })
}

func cmpMessages(a, b *message) int {
	if c := cmpIntPtr(a.RecordingIndex.ptr(), b.RecordingIndex.ptr()); c != 0 {
		return c
	}
	if c := cmpIntPtr(a.MessageIndex.ptr(), b.MessageIndex.ptr()); c != 0 {
		return c
	}
	switch {
	case a.at.IsZero() != b.at.IsZero():
		if a.at.IsZero() {
			return 1
		}
		return -1
	case !a.at.Equal(b.at):
		return a.at.Compare(b.at)
	}
	return cmpFloatPtr(a.StartTime, b.StartTime)
}

func cmpIntPtr(a, b *int) int {
	switch {
	case a == nil && b == nil:
		return 0
	case a == nil:
		return 1
	case b == nil:
		return -1
	}
	return cmp.Compare(*a, *b)
}

func cmpFloatPtr(a, b *float64) int {
	switch {
	case a == nil && b == nil:
		return 0
	case a == nil:
		return 1
	case b == nil:
		return -1
	case *a < *b:
		return -1
	case *a > *b:
		return 1
	}
	return 0
}

// actorOf maps a Talkdesk participant onto a confab actor; unknown values are kept,
// lower-cased.
func actorOf(p string) client.Actor {
	v := strings.ToLower(strings.TrimSpace(p))
	switch strings.NewReplacer("-", "_", " ", "_").Replace(v) {
	case "agent", "human_agent":
		return client.ActorAgent
	case "customer", "contact", "caller", "client":
		return client.ActorCustomer
	case "virtual_agent", "virtualagent", "va", "bot":
		return client.ActorVirtualAgent
	case "system":
		return client.ActorSystem
	}
	return client.Actor(v)
}

// summaryRunes is the length of a conversation's summary.
const summaryRunes = 100

// conversation maps an interaction onto a confab conversation.
func (it *interaction) conversation(source string) client.Conversation {
	c := client.Conversation{Source: source, ID: it.ID, UserID: it.CustomerID, Started: it.started,
		Updated: it.ended, Raw: it.raw}
	for i := range it.Messages {
		if actorOf(it.Messages[i].Participant) == client.ActorCustomer && strings.TrimSpace(it.Messages[i].Text) != "" {
			c.Summary = short(oneLine(it.Messages[i].Text), summaryRunes)
			break
		}
	}
	var channels []string
	for _, m := range it.Messages {
		ch := strings.ToLower(m.Channel)
		if ch != "" && !slices.Contains(channels, ch) {
			channels = append(channels, ch)
		}
	}
	var agents []string
	for _, a := range it.Agents {
		if l := a.label(); l != "" && !slices.Contains(agents, l) {
			agents = append(agents, l)
		}
	}
	for i := range it.Messages {
		if n := strings.TrimSpace(string(it.Messages[i].AgentName)); n != "" && !slices.Contains(agents, n) {
			agents = append(agents, n)
		}
	}
	dur := ""
	if !it.ended.IsZero() && !it.ended.Before(it.started) {
		dur = it.ended.Sub(it.started).Round(time.Second).String()
	}
	c.Attrs = c.Attrs.
		Add("direction", strings.ToLower(it.Direction)).
		Add("channel", strings.Join(channels, ", ")).
		Add("duration", dur).
		Add("ring_groups", strings.Join(it.RingGroups, ", ")).
		Add("agents", strings.Join(agents, ", ")).
		Add("sentiment", it.sentimentSummary())
	return c
}

// sentimentSummary is the customer's sentiment: "negative", or "negative → positive" when it
// changed between the first and the last customer message that has one.
func (it *interaction) sentimentSummary() string {
	first, last := "", ""
	for _, m := range it.Messages {
		if m.Sentiment == "" || actorOf(m.Participant) != client.ActorCustomer {
			continue
		}
		s := strings.ToLower(m.Sentiment)
		if first == "" {
			first = s
		}
		last = s
	}
	if first == last {
		return first
	}
	return first + " → " + last
}

// speaker is the name of who said m: its agent_name, else the name of the agent in
// `agents[]` whose id is its agent_id; "" when neither says.
func (it *interaction) speaker(m *message) string {
	if n := strings.TrimSpace(string(m.AgentName)); n != "" {
		return n
	}
	if m.AgentID == "" {
		return ""
	}
	for _, a := range it.Agents {
		if a.id() == string(m.AgentID) {
			return strings.TrimSpace(a.name())
		}
	}
	return ""
}

// interactions maps the (ordered) messages onto confab interactions: a linear thread whose
// Seq is each message's place in that order. A message without message_start_at has no
// Time (the zero time): confab does not invent one, and the order does not depend on it.
func (it *interaction) interactions() []client.Interaction {
	out := make([]client.Interaction, 0, len(it.Messages))
	for i := range it.Messages {
		m := &it.Messages[i]
		id := m.MessageID
		if id == "" {
			id = fmt.Sprintf("%s#%d", it.ID, i)
		}
		kind := client.KindMessage
		if strings.EqualFold(m.Channel, "VOICE") {
			kind = client.KindVoice
		}
		src := m.SourceSystem
		if src == "" {
			src = it.SourceSystem
		}
		intent := m.Intent
		if intent != "" && m.IntentScore != nil {
			intent = fmt.Sprintf("%s (%.2f)", intent, *m.IntentScore)
		}
		fallback := ""
		if m.IntentFallback != nil && *m.IntentFallback {
			fallback = "yes"
		}
		raw := m.raw
		if len(raw) == 0 {
			raw = nil
		}
		out = append(out, client.Interaction{
			ID: id, ConversationID: it.ID, Actor: actorOf(m.Participant), Speaker: it.speaker(m), Kind: kind,
			Text: m.Text, Time: m.at, Seq: i + 1,
			Attrs: client.Attrs(nil).
				Add("channel", strings.ToLower(m.Channel)).
				Add("sentiment", strings.ToLower(m.Sentiment)).
				Add("intent", intent).
				Add("fallback", fallback).
				Add("source_system", src).
				Add("recording_index", intString(m.RecordingIndex.ptr())).
				Add("message_index", intString(m.MessageIndex.ptr())).
				Add("audio", audioSpan(m.StartTime, m.EndTime)).
				Add("transcription_type", string(m.TranscriptionType)).
				Add("agent_id", string(m.AgentID)),
			Raw: raw,
		})
	}
	return out
}

func intString(p *int) string {
	if p == nil {
		return ""
	}
	return strconv.Itoa(*p)
}

// audioSpan formats audio offsets as "00:12.3–00:15.9"; "" without a start.
func audioSpan(start, end *float64) string {
	if start == nil {
		return ""
	}
	s := offset(*start)
	if end != nil {
		s += "–" + offset(*end)
	}
	return s
}

func offset(sec float64) string {
	if math.IsNaN(sec) || sec < 0 || sec > 1e7 {
		return "?"
	}
	tenths := int64(math.Round(sec * 10))
	m, t := tenths/600, tenths%600
	return fmt.Sprintf("%02d:%02d.%d", m, t/10, t%10)
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

func short(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
