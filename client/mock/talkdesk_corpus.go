package mock

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"sort"
	"time"
)

// The Talkdesk corpus: contact-centre traffic shaped like the Conversations API's
// interactions (APIS.md §2.6): voice calls transcribed by STT with agent and customer turns,
// virtual-agent web chats, SMS and voice, and digital (DCE) chats and SMS, with sentiment and
// intents, several agents and ring groups, and whole days without any interaction.

// tdAgent is one contact-centre agent; the sub-fields of `agents[]` were not captured
// (APIS.md §2.6), so the mock sends id, name and email.
type tdAgent struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Email string `json:"email"`
}

// tdMessage is one element of an interaction's `messages[]`. message_start_at is optional
// and often absent; voice messages carry recording_index (message_index counts from 0 in each
// recording, and so do the audio offsets start_time/end_time) and transcription_type; agent
// messages carry agent_id, and agent_name only sometimes (then the name is in `agents[]`).
type tdMessage struct {
	MessageID         string   `json:"message_id"`
	MessageIndex      int      `json:"message_index"`
	RecordingIndex    *int     `json:"recording_index,omitempty"`
	MessageStartAt    string   `json:"message_start_at,omitempty"`
	Text              string   `json:"text"`
	Channel           string   `json:"channel"`
	Participant       string   `json:"participant"`
	AgentID           string   `json:"agent_id,omitempty"`
	AgentName         string   `json:"agent_name,omitempty"`
	TranscriptionType string   `json:"transcription_type,omitempty"`
	SourceSystem      string   `json:"source_system"`
	Sentiment         string   `json:"sentiment,omitempty"`
	Intent            string   `json:"intent,omitempty"`
	IntentScore       *float64 `json:"intent_confidence_score,omitempty"`
	IntentFallback    *bool    `json:"intent_is_fallback,omitempty"`
	StartTime         *float64 `json:"start_time,omitempty"`
	EndTime           *float64 `json:"end_time,omitempty"`
}

// tdInteraction is one element of `_embedded.interactions`.
type tdInteraction struct {
	ID           string      `json:"id"`
	CustomerID   string      `json:"customer_id"`
	StartedAt    string      `json:"started_at"`
	EndedAt      string      `json:"ended_at"`
	Direction    string      `json:"direction"`
	RingGroups   []string    `json:"ring_groups"`
	Agents       []tdAgent   `json:"agents"`
	SourceSystem string      `json:"source_system"`
	Messages     []tdMessage `json:"messages"`
}

// tdRecord is an interaction with its start instant and its encoded JSON.
type tdRecord struct {
	started time.Time
	id      string
	raw     json.RawMessage
}

// tdStamp formats t as Talkdesk does: UTC with microseconds and Z (`2020-03-10T00:00:00.000000Z`).
func tdStamp(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000000Z") }

// tdTopic is one reason customers contact the centre.
type tdTopic struct {
	Intent    string
	Customer  []string // what customers say first
	FollowUps []string // later customer turns
	Agent     []string // what agents answer
	Bot       []string // what the virtual agent answers
	Weight    float64
}

var tdTopics = []tdTopic{
	{Intent: "reset_password", Weight: 6,
		Customer:  []string{"I can't log in to my account, I think I forgot my password", "my password reset email never arrived", "locked out of the app again 😩"},
		FollowUps: []string{"the email is jane.doe@example.com", "ok I got it now", "still nothing in my inbox"},
		Agent:     []string{"I'm sorry about that. Let me send you a new reset link.", "I've unlocked your account; please try again now.", "Could you confirm the email address on the account?"},
		Bot:       []string{"I can help you reset your password. What's the email on your account?", "I've sent a reset link. It expires in 15 minutes."}},
	{Intent: "billing_dispute", Weight: 5,
		Customer:  []string{"I was charged twice this month", "why is my bill $40 higher than usual?", "there's a charge I don't recognise on my invoice"},
		FollowUps: []string{"invoice number INV-20431", "can you refund it to my card?", "that's really frustrating"},
		Agent:     []string{"I can see the duplicate charge; I'll refund it now.", "The increase comes from the end of your promotional rate.", "The refund will show in 3 to 5 business days."},
		Bot:       []string{"I can look into billing questions. Which invoice is it about?", "Let me connect you with a billing specialist."}},
	{Intent: "order_status", Weight: 6,
		Customer:  []string{"where is my order?", "my package says delivered but it isn't here", "¿dónde está mi pedido?", "注文の配送状況を知りたい"},
		FollowUps: []string{"order 1187-2290", "it was supposed to arrive Tuesday", "thanks, that helps"},
		Agent:     []string{"Your order left our warehouse yesterday and arrives tomorrow.", "I've opened a claim with the carrier for you.", "I'll send a replacement at no charge."},
		Bot:       []string{"I can check that. What's your order number?", "Your order is out for delivery today 🚚"}},
	{Intent: "cancel_subscription", Weight: 3,
		Customer:  []string{"I want to cancel my subscription", "how do I stop auto-renewal?"},
		FollowUps: []string{"yes, cancel it please", "is there a fee?"},
		Agent:     []string{"I can help with that. May I ask why you're cancelling?", "Your subscription is cancelled; you keep access until the end of the month."},
		Bot:       []string{"I'm sorry to see you go. Would a discount change your mind?", "Transferring you to an agent who can cancel your plan."}},
	{Intent: "update_address", Weight: 3,
		Customer:  []string{"I moved, I need to update my address", "change the delivery address on my account"},
		FollowUps: []string{"the new one is 12 Rue de la Paix, Paris", "same for billing please"},
		Agent:     []string{"Done — your address is updated for future orders.", "I've updated both the shipping and billing address."},
		Bot:       []string{"You can update your address in Settings → Profile. Want me to send a link?"}},
	{Intent: "technical_issue", Weight: 4,
		Customer:  []string{"the app crashes when I open it", "your website keeps giving me an error 500", "router lights are blinking orange"},
		FollowUps: []string{"I'm on Android 15", "already restarted it twice", "it works now 🎉"},
		Agent:     []string{"Let's try clearing the app cache first.", "We had an outage this morning; it's fixed now.", "I'll book a technician visit for Thursday."},
		Bot:       []string{"Have you tried restarting the device?", "I've found a known issue; our team is on it."}},
}

var tdTopicWeights = func() []float64 {
	ws := make([]float64, len(tdTopics))
	for i, t := range tdTopics {
		ws[i] = t.Weight
	}
	return ws
}()

var (
	tdRingGroups   = []string{"support", "billing", "sales", "retention", "tier2"}
	tdAgentNames   = []string{"Ana Souza", "Ben Okafor", "Chloé Martin", "Dmitri Ivanov", "Emi Tanaka", "Farah Haddad", "Gustavo Lima", "Hannah Schmidt"}
	tdNeutralLines = []string{"ok", "yes", "one moment please", "sure", "let me check"}
	tdGoodbyes     = []string{"thanks, bye!", "perfect, thank you", "ok thanks 👍"}
	tdAgentClosers = []string{"Is there anything else I can help you with today?", "Thanks for calling, have a great day!"}
)

// tdKind is one shape of contact.
type tdKind struct {
	source, channel string
	weight          float64
}

var tdKinds = []tdKind{
	{"STT", "VOICE", 5}, {"VA", "WEBCHAT", 3}, {"VA", "SMS", 1.5}, {"VA", "VOICE", 1},
	{"DCE", "CHAT", 2.5}, {"DCE", "SMS", 1}, {"VA", "DIGITAL_CONNECT", 0.5},
}

var tdKindWeights = func() []float64 {
	ws := make([]float64, len(tdKinds))
	for i, k := range tdKinds {
		ws[i] = k.weight
	}
	return ws
}()

// tdCorpus is the generated corpus, newest first.
type tdCorpus struct {
	recs      []tdRecord
	emptyDays []time.Time // the UTC days without any interaction
}

func uuid(r *rand.Rand) string {
	var b [16]byte
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}

// genTalkdesk generates about PerDay×Days interactions in [End-Days, End).
func genTalkdesk(opts Options) *tdCorpus {
	opts = opts.withDefaults()
	r := newRand(opts.Seed, 3003)
	// x draws the fields added after the corpus was first shaped (agents, recordings, absent
	// start times), so the rest of the corpus (ids, times, texts) stays as it was.
	x := newRand(opts.Seed, 3005)
	// y picks the technical calls about campus wifi (tdCampus), drawn apart for the same reason.
	y := newRand(opts.Seed, 3007)
	agents := make([]tdAgent, len(tdAgentNames))
	for i, n := range tdAgentNames {
		agents[i] = tdAgent{ID: uuid(r), Name: n, Email: fmt.Sprintf("agent%d@example.com", i+1)}
	}
	customers := make([]string, 150)
	for i := range customers {
		customers[i] = uuid(r)
	}
	c := &tdCorpus{}
	start := opts.End.Add(-time.Duration(opts.Days) * 24 * time.Hour).Truncate(24 * time.Hour)
	empty := map[time.Time]bool{}
	for len(empty) < min(2, opts.Days-1) {
		d := start.AddDate(0, 0, 1+r.IntN(opts.Days-1))
		if d.Before(opts.End) {
			empty[d] = true
		}
	}
	for d := range empty {
		c.emptyDays = append(c.emptyDays, d)
	}
	sort.Slice(c.emptyDays, func(i, j int) bool { return c.emptyDays[i].Before(c.emptyDays[j]) })
	times := rhythmTimes(r, 30*opts.Days, opts.End, opts.Days, 30*time.Minute)
	for _, t := range times {
		if empty[t.UTC().Truncate(24*time.Hour)] {
			continue
		}
		t = t.Add(time.Duration(r.IntN(1000)) * time.Microsecond)
		it := tdGenerate(r, t, agents, pick(r, customers))
		tdSpeakers(x, &it)
		tdCampus(y, &it)
		raw, err := json.Marshal(it)
		if err != nil {
			panic(err) // plain structs always encode
		}
		c.recs = append(c.recs, tdRecord{started: t, id: it.ID, raw: raw})
	}
	if opts.Hostile {
		hostile := tdHostile(opts.End, customers[0])
		c.recs = append(c.recs, hostile...)
		days := c.emptyDays[:0]
		for _, d := range c.emptyDays {
			if d.After(hostile[len(hostile)-1].started) || !d.Add(24*time.Hour).After(hostile[len(hostile)-1].started) {
				days = append(days, d)
			}
		}
		c.emptyDays = days
	}
	sort.SliceStable(c.recs, func(i, j int) bool { return c.recs[i].started.After(c.recs[j].started) })
	return c
}

func ptr[T any](v T) *T { return &v }

// tdCampusLines are what a customer of the technical line says about a campus's wifi: the
// words a search across every vendor's corpus (eduroam) finds in Talkdesk's too.
var tdCampusLines = []string{"my laptop won't join eduroam since your router update", "eduroam keeps dropping on the campus wifi you installed"}

// tdCampus turns about one technical call in four into one about campus wifi: its first
// customer message (the one with the technical_issue intent) says a tdCampusLines line. It
// draws only from y, so every other field of the corpus stays as it was.
func tdCampus(y *rand.Rand, it *tdInteraction) {
	if !chance(y, 0.25) {
		return
	}
	line := pick(y, tdCampusLines)
	for i := range it.Messages {
		if m := &it.Messages[i]; m.Participant == "CUSTOMER" {
			if m.Intent == "technical_issue" {
				m.Text = line
			}
			return
		}
	}
}

// tdGenerate makes one interaction starting at t.
func tdGenerate(r *rand.Rand, t time.Time, agents []tdAgent, customer string) tdInteraction {
	k := tdKinds[weighted(r, tdKindWeights)]
	tp := tdTopics[weighted(r, tdTopicWeights)]
	it := tdInteraction{ID: uuid(r), CustomerID: customer, StartedAt: tdStamp(t), Direction: "INBOUND",
		RingGroups: []string{}, Agents: []tdAgent{}, SourceSystem: k.source}
	human := k.source != "VA"
	if human {
		it.RingGroups = append(it.RingGroups, pick(r, tdRingGroups))
		if chance(r, 0.15) {
			it.RingGroups = append(it.RingGroups, "tier2")
		}
		it.Agents = append(it.Agents, pick(r, agents))
		if chance(r, 0.12) {
			it.Agents = append(it.Agents, pick(r, agents))
		}
		if k.channel == "VOICE" && chance(r, 0.15) {
			it.Direction = "OUTBOUND"
		}
	}
	mood := pick(r, []string{"NEGATIVE", "NEUTRAL", "NEUTRAL", "POSITIVE"})
	at, offset := t, 0.0
	idx := 0
	add := func(participant, text string) *tdMessage {
		dur := 1.5 + float64(len([]rune(text)))/14 + r.Float64()*2
		m := tdMessage{MessageID: uuid(r), MessageIndex: idx, MessageStartAt: tdStamp(at), Text: text,
			Channel: k.channel, Participant: participant, SourceSystem: k.source}
		if k.source == "STT" {
			m.StartTime = ptr(float64(int(offset*10)) / 10)
			m.EndTime = ptr(float64(int((offset+dur)*10)) / 10)
		}
		idx++
		gap := time.Duration((dur + 0.5 + r.Float64()*4) * float64(time.Second))
		if k.channel != "VOICE" {
			gap += time.Duration(r.IntN(40)) * time.Second
		}
		offset += dur + 0.4 + r.Float64()
		at = at.Add(gap).Truncate(time.Microsecond)
		it.Messages = append(it.Messages, m)
		return &it.Messages[len(it.Messages)-1]
	}
	customerSays := func(text string, first bool) {
		m := add("CUSTOMER", text)
		m.Sentiment = mood
		if first || chance(r, 0.3) {
			m.Intent = tp.Intent
			fallback := chance(r, 0.08)
			score := 0.55 + r.Float64()*0.44
			if fallback {
				m.Intent, score = "fallback", 0.1+r.Float64()*0.3
			}
			m.IntentScore = ptr(float64(int(score*100)) / 100)
			m.IntentFallback = ptr(fallback)
		}
	}
	if human && k.channel == "VOICE" && it.Direction == "INBOUND" {
		add("AGENT", "Thank you for calling, my name is "+it.Agents[0].Name+". How can I help?")
	}
	if k.source == "VA" {
		add("VIRTUAL_AGENT", "Hi! I'm the virtual assistant. What can I help you with?")
	}
	if it.Direction == "OUTBOUND" {
		add("AGENT", "Hello, this is "+it.Agents[0].Name+" returning your call about your recent request.")
		customerSays(pick(r, tp.Customer), true)
	} else {
		customerSays(pick(r, tp.Customer), true)
	}
	turns := 1 + r.IntN(4)
	for i := range turns {
		if human {
			add("AGENT", pick(r, tp.Agent))
		} else {
			add("VIRTUAL_AGENT", pick(r, tp.Bot))
		}
		if i < turns-1 {
			if chance(r, 0.3) {
				customerSays(pick(r, tdNeutralLines), false)
			} else {
				customerSays(pick(r, tp.FollowUps), false)
			}
		}
	}
	if human {
		add("AGENT", pick(r, tdAgentClosers))
	}
	if chance(r, 0.6) {
		customerSays(pick(r, tdGoodbyes), false)
	}
	it.EndedAt = tdStamp(at)
	// The API does not promise any order of messages[]: shuffle some, so clients sort.
	if chance(r, 0.25) {
		r.Shuffle(len(it.Messages), func(i, j int) { it.Messages[i], it.Messages[j] = it.Messages[j], it.Messages[i] })
	}
	return it
}

// tdTranscriptionTypes are the transcription_type values the mock sends on voice messages;
// the vendor's list was not captured (APIS.md §2.6).
var tdTranscriptionTypes = []string{"POST_CALL", "REAL_TIME"}

// tdSpeakers adds what a later look at Talkdesk's messages showed (and the corpus first
// lacked), drawing from x only: agent messages name their agent by agent_id, and by
// agent_name in about half the interactions (else the name is only in `agents[]`); voice
// messages carry recording_index and transcription_type, and about a third of the calls
// with four or more messages span two recordings (the second with the second agent when
// there is one), message_index and the audio offsets starting again from 0 in each; and
// message_start_at is absent from most voice interactions and some others. Messages keep
// whatever order tdGenerate left them in (sometimes shuffled).
func tdSpeakers(x *rand.Rand, it *tdInteraction) {
	ms := it.Messages
	byIndex := make([]int, len(ms)) // message_index → position in ms
	for i, m := range ms {
		byIndex[m.MessageIndex] = i
	}
	voice := len(ms) > 0 && ms[0].Channel == "VOICE"
	split := len(ms) // the first message_index of the second recording
	if voice && len(ms) >= 4 && chance(x, 0.35) {
		split = len(ms) / 2
	}
	named := chance(x, 0.5)
	ttype := pick(x, tdTranscriptionTypes)
	noStart := chance(x, 0.3)
	if voice {
		noStart = chance(x, 0.75)
	}
	var offset0 float64 // start_time of the second recording's first message
	if split < len(ms) && ms[byIndex[split]].StartTime != nil {
		offset0 = *ms[byIndex[split]].StartTime
	}
	for idx, pos := range byIndex {
		m := &ms[pos]
		rec := 0
		if idx >= split {
			rec = 1
			m.MessageIndex = idx - split
			if m.StartTime != nil {
				m.StartTime = ptr(float64(int((*m.StartTime-offset0)*10)) / 10)
			}
			if m.EndTime != nil {
				m.EndTime = ptr(float64(int((*m.EndTime-offset0)*10)) / 10)
			}
		}
		if voice {
			m.RecordingIndex = ptr(rec)
			m.TranscriptionType = ttype
		}
		if m.Participant == "AGENT" && len(it.Agents) > 0 {
			a := it.Agents[0]
			if rec == 1 && len(it.Agents) > 1 {
				a = it.Agents[1]
			}
			m.AgentID = a.ID
			if named {
				m.AgentName = a.Name
			}
		}
		if noStart {
			m.MessageStartAt = ""
		}
	}
}
