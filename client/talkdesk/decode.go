package talkdesk

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"sort"
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

// agent is one element of `agents[]`; its sub-fields were not captured (APIS.md §2.6), so
// confab reads the usual ones and shows the first it finds.
type agent struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Email string `json:"email"`
}

func (a agent) label() string {
	switch {
	case a.Name != "":
		return a.Name
	case a.Email != "":
		return a.Email
	}
	return a.ID
}

// message is one element of `messages[]`.
type message struct {
	MessageID      string   `json:"message_id"`
	MessageIndex   *int     `json:"message_index"`
	MessageStartAt string   `json:"message_start_at"`
	Text           string   `json:"text"`
	Channel        string   `json:"channel"`
	Participant    string   `json:"participant"`
	SourceSystem   string   `json:"source_system"`
	Sentiment      string   `json:"sentiment"`
	Intent         string   `json:"intent"`
	IntentScore    *float64 `json:"intent_confidence_score"`
	IntentFallback *bool    `json:"intent_is_fallback"`
	StartTime      *float64 `json:"start_time"`
	EndTime        *float64 `json:"end_time"`

	at time.Time // message_start_at, parsed (zero when absent)
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

// sortMessages orders messages by message_index, then message_start_at, then start_time
// (absent values last), keeping the received order among equals.
func sortMessages(ms []message) {
	sort.SliceStable(ms, func(i, j int) bool {
		a, b := &ms[i], &ms[j]
		if c := cmpIntPtr(a.MessageIndex, b.MessageIndex); c != 0 {
			return c < 0
		}
		switch {
		case a.at.IsZero() != b.at.IsZero():
			return !a.at.IsZero()
		case !a.at.Equal(b.at):
			return a.at.Before(b.at)
		}
		return cmpFloatPtr(a.StartTime, b.StartTime) < 0
	})
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
	return *a - *b
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
		if ch != "" && !contains(channels, ch) {
			channels = append(channels, ch)
		}
	}
	var agents []string
	for _, a := range it.Agents {
		if l := a.label(); l != "" && !contains(agents, l) {
			agents = append(agents, l)
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

// interactions maps the (ordered) messages onto confab interactions: a linear thread.
func (it *interaction) interactions() []client.Interaction {
	out := make([]client.Interaction, 0, len(it.Messages))
	for i, m := range it.Messages {
		id := m.MessageID
		if id == "" {
			id = fmt.Sprintf("%s#%d", it.ID, i)
		}
		kind := client.KindMessage
		if strings.EqualFold(m.Channel, "VOICE") {
			kind = client.KindVoice
		}
		at := m.at
		if at.IsZero() {
			at = it.started
			if m.StartTime != nil && !math.IsNaN(*m.StartTime) && *m.StartTime >= 0 && *m.StartTime < 1e7 {
				at = at.Add(time.Duration(*m.StartTime * float64(time.Second)))
			}
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
		raw, _ := json.Marshal(messageRaw(m))
		out = append(out, client.Interaction{
			ID: id, ConversationID: it.ID, Actor: actorOf(m.Participant), Kind: kind, Text: m.Text, Time: at,
			Attrs: client.Attrs(nil).
				Add("channel", strings.ToLower(m.Channel)).
				Add("sentiment", strings.ToLower(m.Sentiment)).
				Add("intent", intent).
				Add("fallback", fallback).
				Add("source_system", src).
				Add("audio", audioSpan(m.StartTime, m.EndTime)),
			Raw: raw,
		})
	}
	return out
}

// messageRaw is a message as received (re-encoded from the parsed fields).
type messageRaw message

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

func contains(xs []string, s string) bool {
	for _, x := range xs {
		if x == s {
			return true
		}
	}
	return false
}
