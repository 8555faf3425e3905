// Package client holds confab's vendor-neutral domain model (conversations, interactions,
// queries, pages, sources), its typed errors, and the HTTP plumbing shared by the vendor
// clients: timeouts, a User-Agent, a response size cap, retries with Retry-After, and
// credentials attached only to the origins a source allows.
//
// client never imports Bubble Tea; vendor packages import client, never the reverse.
package client

import (
	"context"
	"encoding/json"
	"fmt"
	"time"
)

// Version is confab's version, reported in the User-Agent and by `confab version`.
// Release builds set it with -ldflags "-X github.com/confab-dev/confab/client.Version=…".
var Version = "dev"

// Actor is who produced an interaction. Vendors' own participant names are mapped onto
// these; an unknown vendor value is kept as is (lower-cased) rather than dropped.
type Actor string

// The actors confab knows how to label.
const (
	ActorUser         Actor = "user"
	ActorBot          Actor = "bot"
	ActorAgent        Actor = "agent"
	ActorCustomer     Actor = "customer"
	ActorVirtualAgent Actor = "virtual_agent"
	ActorSystem       Actor = "system"
)

// Label is the human label of an actor ("User", "Bot", "Virtual agent"…).
func (a Actor) Label() string {
	switch a {
	case ActorUser:
		return "User"
	case ActorBot:
		return "Bot"
	case ActorAgent:
		return "Agent"
	case ActorCustomer:
		return "Customer"
	case ActorVirtualAgent:
		return "Virtual agent"
	case ActorSystem:
		return "System"
	case "":
		return "Unknown"
	}
	return string(a)
}

// Kinds of interaction confab knows; vendors may produce others (Kind is free text).
const (
	KindText    = "text"    // free text typed by a person
	KindBot     = "bot"     // a bot message
	KindButton  = "button"  // a button click
	KindLink    = "link"    // a link click
	KindForm    = "form"    // a form submission
	KindUpload  = "upload"  // a file upload
	KindVoice   = "voice"   // a transcribed voice utterance
	KindMessage = "message" // a chat/SMS message of a contact-centre conversation
)

// Attr is one named attribute of a conversation or interaction (domain, platform, channel…).
type Attr struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// Attrs is an ordered list of attributes; order is the order to display them in.
type Attrs []Attr

// Get returns the value of the first attribute named key.
func (a Attrs) Get(key string) (string, bool) {
	for _, kv := range a {
		if kv.Key == key {
			return kv.Value, true
		}
	}
	return "", false
}

// Value returns the value of the first attribute named key, or "".
func (a Attrs) Value(key string) string {
	v, _ := a.Get(key)
	return v
}

// Add appends key=value when value is not empty, and returns the result.
func (a Attrs) Add(key, value string) Attrs {
	if value == "" {
		return a
	}
	return append(a, Attr{Key: key, Value: value})
}

// Conversation is one conversation as the list shows it.
type Conversation struct {
	Source  string    `json:"source"`            // the configured source's name
	ID      string    `json:"id"`                // the vendor's id (always a string)
	UserID  string    `json:"user_id,omitempty"` // the vendor's user id (always a string)
	Started time.Time `json:"started"`
	Updated time.Time `json:"updated,omitzero"`  // last update or end time, when known
	Summary string    `json:"summary,omitempty"` // a one-line summary (first user text)
	Attrs   Attrs     `json:"attrs,omitempty"`
	// Raw is the vendor's record exactly as received, so nothing the vendor sent is lost.
	Raw json.RawMessage `json:"raw,omitempty"`
}

// Attribute keys a source sets when the vendor names a conversation's user (OpenDialog's
// chatbot_user_data.name and .email): views show them as the user (Conversation.UserLabel)
// in place of the bare UserID.
const (
	AttrUserName  = "user_name"
	AttrUserEmail = "user_email"
)

// UserLabel is how views name the conversation's user: "Name <e-mail>", the name or the
// e-mail alone when only one is known (attributes AttrUserName, AttrUserEmail), else UserID.
func (c *Conversation) UserLabel() string {
	name, email := c.Attrs.Value(AttrUserName), c.Attrs.Value(AttrUserEmail)
	switch {
	case name != "" && email != "" && name != email:
		return name + " <" + email + ">"
	case name != "":
		return name
	case email != "":
		return email
	}
	return c.UserID
}

// Interaction is one turn, message or action within a conversation.
type Interaction struct {
	ID             string `json:"id"`
	ConversationID string `json:"conversation_id"`
	ParentID       string `json:"parent_id,omitempty"` // empty when the vendor has no parent
	Actor          Actor  `json:"actor"`
	// Speaker is the name of who spoke when the vendor gives one (a Talkdesk agent's name);
	// "" when unknown. See SpeakerLabel.
	Speaker string `json:"speaker,omitempty"`
	Kind    string `json:"kind"` // see the Kind… constants; free text
	Text    string `json:"text"`
	// Time is when the interaction happened; the zero time when the vendor does not say (a
	// Talkdesk message without message_start_at), rather than an invented one.
	Time time.Time `json:"time,omitzero"`
	// Seq, when positive, is the interaction's 1-based position in the vendor's own order of
	// the conversation (Talkdesk: recording_index, then message_index). client/thread orders
	// siblings by Seq before Time, so that order holds even where times are missing or equal;
	// items without a Seq (0) come after those with one. Zero for vendors whose order is
	// their times.
	Seq int `json:"seq,omitempty"`
	// UserID is the vendor's id of the user the interaction belongs to (a string: Moveworks
	// user ids exceed int64), when the vendor says.
	UserID string `json:"user_id,omitempty"`
	// Updated is when the vendor last wrote the record (Moveworks last_updated_time), when known.
	Updated time.Time       `json:"updated,omitzero"`
	Attrs   Attrs           `json:"attrs,omitempty"`
	Raw     json.RawMessage `json:"raw,omitempty"`
}

// SpeakerLabel is the actor's label with the speaker's name when known: "Agent (Jane Doe)",
// else "Agent".
func (it *Interaction) SpeakerLabel() string {
	l := it.Actor.Label()
	if it.Speaker != "" && it.Speaker != l {
		return l + " (" + it.Speaker + ")"
	}
	return l
}

// Order is the order conversations are listed in.
type Order int

// The orders a source may support.
const (
	NewestFirst Order = iota
	OldestFirst
)

// String names the order as the UI shows it.
func (o Order) String() string {
	if o == OldestFirst {
		return "oldest first"
	}
	return "newest first"
}

// Query is what the user asked a source for.
type Query struct {
	// Filter is the source's native filter text (OData $filter for Moveworks, name=value pairs
	// for OpenDialog, conditions for Talkdesk). Empty means no filter.
	Filter string
	// Since and Until bound the time window; zero means the source's default.
	Since, Until time.Time
	Order        Order
	// OrderBy is the vendor's own sort, for a source that has one (OrderByChecker: Moveworks
	// $orderby text such as "last_updated_time desc, id"); empty sorts by time, per Order.
	OrderBy string
	// PageSize is a hint; zero means the source's default.
	PageSize int
	// MaxWindows bounds the requests a source that walks its range window by window
	// (OpenDialog, Talkdesk) may need for this listing: zero means the source's limit
	// (max_windows, by default DefaultMaxWindows), a negative value means no limit. A range
	// that needs more is refused before any request with a *TooBroadError.
	MaxWindows int
}

// OrderByChecker is a source that can list conversations in a vendor-native order
// (Query.OrderBy). CheckOrderBy validates the text and returns it as it will be sent.
type OrderByChecker interface {
	CheckOrderBy(text string) (string, error)
}

// Page is one page of conversations.
type Page struct {
	Conversations []Conversation
	// Next is an opaque cursor for the next page; empty at the end of the list.
	Next string
	// Total is the number of matching conversations when the vendor says so, else -1.
	Total int
	// Progress optionally says where a windowed source is ("2026-11-08 … 2026-11-15").
	Progress string
}

// Source is one configured vendor source. Implementations are safe for concurrent use.
type Source interface {
	// Name is the configured source name (the tab title).
	Name() string
	// Kind is the vendor kind: "moveworks", "talkdesk" or "opendialog".
	Kind() string
	// Conversations returns the page at cursor ("" for the first page) of q's results.
	Conversations(ctx context.Context, q Query, cursor string) (Page, error)
	// Thread returns every interaction of c, in the vendor's order (paging internally).
	Thread(ctx context.Context, c Conversation) ([]Interaction, error)
	// Conversation looks up one conversation by id (for `confab export`); ErrNotFound if absent.
	Conversation(ctx context.Context, id string) (Conversation, error)
	// FilterSpec describes the source's filter language for validation and completion.
	FilterSpec() FilterSpec
}

// Summarizer is a Source whose conversations carry no text of their own (Moveworks: the list
// has only a domain and a route), but which can fetch a conversation's summary, its first
// user message, more cheaply than its whole thread: views call it lazily, for the rows on
// screen. Summary returns the message's text as the vendor sent it (unsanitized), "" when
// the conversation has no user message with text.
type Summarizer interface {
	Summary(ctx context.Context, c Conversation) (string, error)
}

// Field describes one filterable field.
type Field struct {
	Name string
	Type string // "string", "datetime", "int", "bool", "enum"
	// Values are known values for completion (may be empty).
	Values []string
	Doc    string
}

// FilterWarning is a form in a valid filter that the vendor's documents do not promise to
// support (Moveworks' contains, in, detail/… paths): the filter is still sent as written, and
// the user is told, in the filter bar or on stderr.
type FilterWarning struct {
	Msg   string // what is not promised, e.g. "contains is not in the vendor's documentation"
	Pos   int    // byte offset of the token in the filter text, -1 if unknown
	Token string // the token as written, if known
}

func (w FilterWarning) String() string {
	if w.Pos >= 0 {
		return fmt.Sprintf("column %d: %s", w.Pos+1, w.Msg)
	}
	return w.Msg
}

// FilterWarner is a FilterSpec that also warns about filters it accepts.
type FilterWarner interface {
	// Warnings returns the warnings of text, in text order; nil when there are none or when
	// Validate refuses text.
	Warnings(text string) []FilterWarning
}

// FilterWarnings returns spec's warnings about text: nil when spec is nil or no FilterWarner.
func FilterWarnings(spec FilterSpec, text string) []FilterWarning {
	if w, ok := spec.(FilterWarner); ok {
		return w.Warnings(text)
	}
	return nil
}

// WindowFilter is a FilterSpec whose language can bound time (Talkdesk's since:/until:,
// OpenDialog's from:/to:). Window reports whether text is a time window and nothing else, and
// the window it names (zero: unbounded on that side), relative times counted from now: the
// local store can then list it without the vendor.
type WindowFilter interface {
	Window(text string, now time.Time) (since, until time.Time, ok bool)
}

// FilterWindow asks spec for the window of text (WindowFilter); ok is false when spec is not
// a WindowFilter or text is more than a time window.
func FilterWindow(spec FilterSpec, text string, now time.Time) (since, until time.Time, ok bool) {
	if w, isW := spec.(WindowFilter); isW {
		return w.Window(text, now)
	}
	return time.Time{}, time.Time{}, false
}

// Completion is what a filter language offers at a cursor: Candidates replace text[From:To]
// (To is the cursor), best first.
type Completion struct {
	From, To   int
	Candidates []string
	// Suffix follows an inserted candidate unless the text already has it (a closing quote).
	Suffix string
	// Field is the field whose value the cursor is in ("" elsewhere): a caller may add values
	// of it seen in loaded data when the language knows none.
	Field string
	// Wrap, when not "", is the quote a value of Field is written in here (no quote typed
	// yet): a caller adding seen values wraps each in it, doubling any inside.
	Wrap string
}

// FilterSpec is a source's filter language: what the filter bar validates and completes.
type FilterSpec interface {
	// Fields are the filterable fields, in display order.
	Fields() []Field
	// Operators are the operators and keywords of the language, for completion.
	Operators() []string
	// Examples are a few valid filters to show in help and placeholders.
	Examples() []string
	// Validate checks text without any I/O. A *FilterError says what is wrong and where.
	Validate(text string) error
	// Complete returns the completions at byte offset cursor of text, from the language's
	// own lexer (a term language: client/filterterm.Complete).
	Complete(text string, cursor int) Completion
}
