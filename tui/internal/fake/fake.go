// Package fake is an in-memory, seeded, deterministic client.Source for the TUI's tests and
// benchmarks. Its corpus has threads that branch, an orphan interaction, and a hostile record
// full of escape sequences.
package fake

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/confab-dev/confab/client"
)

// Base is the start time of the newest conversation.
var Base = time.Date(2026, 11, 21, 14, 5, 0, 0, time.UTC)

// Hostile is vendor text that tries to clear the screen, set the window title, write the
// clipboard and colour the terminal.
const Hostile = "\x1b]0;pwned\x07\x1b[2J\x1b[H\x1b]52;c;ZXZpbA==\x07\x1b[31mred\x9b31m\u202eevil\x00"

// HostileIndex is the index of the hostile conversation in every corpus of at least 4.
const HostileIndex = 3

// Source is a fake client.Source. Its exported fields may be changed between requests, not
// while one runs.
type Source struct {
	name  string
	n     int
	seed  int64
	attrs []client.Attrs // the six attribute sets the rows share

	// PageSize is the page size when the query does not give one.
	PageSize int
	// WithTotal makes pages report the total.
	WithTotal bool
	// Before, when set, is called at the start of every request with its context and its
	// call ("page:<cursor>", "thread:<id>"), outside any lock: a test can report retries
	// (client.NotifyRetry), block until it lets the request go on, or panic.
	Before func(ctx context.Context, call string)

	mu sync.Mutex
	// FailOnce makes the next request for a cursor fail with the error, once.
	failOnce map[string]error
	// ThreadErr, when set, fails every Thread request.
	threadErr error
	calls     []string
}

var summaries = []string{
	"Reset my VPN password",
	"Laptop will not boot after update",
	"How many vacation days do I have left?",
	"", // no summary: the list shows the attributes
	"Request access to the finance share",
	"Printer on floor 3 jams — 打印机卡纸 🖨️",
	"Benefits enrollment deadline",
}

// New returns a source named name with n conversations generated from seed. The rows are
// generated when asked for (a page, a lookup), not kept: a benchmark's million-row corpus
// is not in its heap, as a vendor's rows are not in confab's.
func New(name string, n int, seed int64) *Source {
	s := &Source{name: name, n: n, seed: seed, PageSize: 50, failOnce: map[string]error{}}
	s.attrs = make([]client.Attrs, 6)
	for k := range s.attrs {
		s.attrs[k] = client.Attrs{
			{Key: "domain", Value: []string{"IT", "HR", "Finance"}[k%3]},
			{Key: "route", Value: []string{"dm", "channel", "web"}[k%3]},
			{Key: "platform", Value: []string{"slack", "msteams"}[k%2]},
		}
	}
	return s
}

// conv is conversation i of the corpus.
func (s *Source) conv(i int) client.Conversation {
	k := int(s.seed) + i
	c := client.Conversation{
		Source:  s.name,
		ID:      fmt.Sprintf("conv-%06d", i),
		UserID:  fmt.Sprintf("u-%05d", (k*7919)%100000),
		Started: Base.Add(-time.Duration(i) * 7 * time.Minute),
		Summary: summaries[k%len(summaries)],
		Attrs:   s.attrs[k%6],
	}
	if i == HostileIndex {
		c.Summary = Hostile
		c.UserID = "u-\x1b[7mX"
		c.Attrs = append(c.Attrs[:len(c.Attrs):len(c.Attrs)], client.Attr{Key: "evil\x1b[1m", Value: Hostile})
	}
	return c
}

// Name is the source name.
func (s *Source) Name() string { return s.name }

// Kind is "fake".
func (s *Source) Kind() string { return "fake" }

// FilterSpec is nil: the fake has no filter language beyond substring matching.
func (s *Source) FilterSpec() client.FilterSpec { return nil }

// FailOnce makes the next request for cursor fail with err.
func (s *Source) FailOnce(cursor string, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failOnce[cursor] = err
}

// FailThreads makes every Thread request fail with err (nil: succeed again).
func (s *Source) FailThreads(err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.threadErr = err
}

// Calls lists the requests made so far ("page:<cursor>", "thread:<id>").
func (s *Source) Calls() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.calls...)
}

// Conversations pages through the conversations whose summary contains q.Filter.
func (s *Source) Conversations(ctx context.Context, q client.Query, cursor string) (client.Page, error) {
	s.mu.Lock()
	s.calls = append(s.calls, "page:"+cursor)
	err := s.failOnce[cursor]
	delete(s.failOnce, cursor)
	s.mu.Unlock()
	if s.Before != nil {
		s.Before(ctx, "page:"+cursor)
	}
	if err != nil {
		return client.Page{}, fmt.Errorf("fake page %q: %w", cursor, err)
	}
	if err := ctx.Err(); err != nil {
		return client.Page{}, fmt.Errorf("fake page: %w", err)
	}
	var all []int // the matching rows (nil: every row)
	count := s.n
	if q.Filter != "" {
		all = []int{}
		for i := range s.n {
			if c := s.conv(i); strings.Contains(c.Summary, q.Filter) {
				all = append(all, i)
			}
		}
		count = len(all)
	}
	off := 0
	if cursor != "" {
		off, err = strconv.Atoi(cursor)
		if err != nil {
			return client.Page{}, fmt.Errorf("fake page: bad cursor %q: %w", cursor, client.ErrBadResponse)
		}
	}
	size := q.PageSize
	if size <= 0 {
		size = s.PageSize
	}
	end := min(count, off+size)
	p := client.Page{Conversations: make([]client.Conversation, 0, max(0, end-off)), Total: -1}
	for r := min(off, end); r < end; r++ {
		i := r
		if all != nil {
			i = all[r]
		}
		p.Conversations = append(p.Conversations, s.conv(i))
	}
	if end < count {
		p.Next = strconv.Itoa(end)
	}
	if s.WithTotal {
		p.Total = count
	}
	return p, nil
}

// Thread returns c's interactions: a user question, a bot answer with two branches (a button
// click and a follow-up), an orphan whose parent is missing, and, for the hostile
// conversation, hostile text.
func (s *Source) Thread(ctx context.Context, c client.Conversation) ([]client.Interaction, error) {
	s.mu.Lock()
	s.calls = append(s.calls, "thread:"+c.ID)
	err := s.threadErr
	s.mu.Unlock()
	if s.Before != nil {
		s.Before(ctx, "thread:"+c.ID)
	}
	if err != nil {
		return nil, fmt.Errorf("fake thread %s: %w", c.ID, err)
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("fake thread: %w", err)
	}
	return Thread(c), nil
}

// Thread is the deterministic thread of c.
func Thread(c client.Conversation) []client.Interaction {
	t := c.Started
	id := func(n int) string { return fmt.Sprintf("%s-i%d", c.ID, n) }
	text := c.Summary
	if text == "" {
		text = "(voice call)"
	}
	items := []client.Interaction{
		{ID: id(1), Actor: client.ActorUser, Kind: client.KindText, Text: text, Time: t},
		{ID: id(2), ParentID: id(1), Actor: client.ActorBot, Kind: client.KindBot,
			Text: "I can help with that. Choose an option:\nA. Reset now\nB. Talk to an agent", Time: t.Add(2 * time.Second),
			Attrs: client.Attrs{{Key: "intent", Value: "it.help"}}},
		{ID: id(3), ParentID: id(2), Actor: client.ActorUser, Kind: client.KindButton, Text: "Reset now", Time: t.Add(20 * time.Second)},
		{ID: id(4), ParentID: id(3), Actor: client.ActorBot, Kind: client.KindLink, Text: "https://example.com/reset", Time: t.Add(21 * time.Second)},
		{ID: id(5), ParentID: id(2), Actor: client.ActorUser, Kind: client.KindText, Text: "Actually, talk to an agent", Time: t.Add(40 * time.Second)},
		{ID: id(6), ParentID: id(5), Actor: client.ActorAgent, Kind: client.KindMessage, Text: "Hi, this is Sam from the service desk.", Time: t.Add(90 * time.Second)},
		{ID: id(7), ParentID: "missing-parent", Actor: client.ActorSystem, Kind: "form", Text: "Orphaned form submission", Time: t.Add(95 * time.Second)},
	}
	if c.Summary == Hostile {
		items = append(items, client.Interaction{ID: id(8), ParentID: id(6), Actor: client.Actor("evil\x1b[5m"),
			Kind: "\x1b[2J", Text: Hostile + "\nsecond line " + Hostile, Time: t.Add(100 * time.Second),
			Attrs: client.Attrs{{Key: "\x1b]0;t\x07", Value: Hostile}}})
	}
	for i := range items {
		items[i].ConversationID = c.ID
	}
	return items
}

// Conversation looks one conversation up by id.
func (s *Source) Conversation(_ context.Context, id string) (client.Conversation, error) {
	if i, err := strconv.Atoi(strings.TrimPrefix(id, "conv-")); err == nil && i >= 0 && i < s.n {
		if c := s.conv(i); c.ID == id {
			return c, nil
		}
	}
	return client.Conversation{}, fmt.Errorf("fake conversation %q: %w", id, client.ErrNotFound)
}
