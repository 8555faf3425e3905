package pane

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode"

	tea "charm.land/bubbletea/v2"

	"github.com/confab-dev/confab/tui/internal/cmdtest"
	"github.com/confab-dev/confab/tui/internal/fake"
	"github.com/confab-dev/confab/tui/quickfilter"
)

// pauses holds the quick filter's pause ticks instead of firing them, so a test decides when
// typing pauses; every other tick fires at once.
type pauses struct{ held []tea.Cmd }

func (h *pauses) tick(d time.Duration, fn func(time.Time) tea.Msg) tea.Cmd {
	if d == quickDelay {
		h.held = append(h.held, func() tea.Msg { return fn(fixedNow) })
		return nil
	}
	return instantTick(d, fn)
}

// scans feeds the messages cmd leads to back to the pane, like drain, and counts the quick
// filter runs among them: the scans that ran, and those cancelled before they matched.
func scans(t *testing.T, p *Pane, cmd tea.Cmd) (ran, cancelled int) {
	t.Helper()
	cmdtest.Drain(t, cmd, func(msg tea.Msg) tea.Cmd {
		if q, ok := msg.(quickMsg); ok {
			if errors.Is(q.err, context.Canceled) {
				cancelled++
			} else {
				ran++
			}
		}
		if _, ok := msg.(Routed); !ok {
			return nil
		}
		_, next := p.Update(msg)
		return next
	})
	return ran, cancelled
}

// wantQuick fails unless the rows shown are those of the loaded rows that match query.
func wantQuick(t *testing.T, p *Pane, query string) {
	t.Helper()
	m, err := quickfilter.Parse(query)
	if err != nil {
		t.Fatal(err)
	}
	want, err := quickfilter.FilterRows(t.Context(), p.ls.items.View(), m, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(want) == 0 || !reflect.DeepEqual(p.ls.idx, want) {
		t.Fatalf("rows shown for %q: %d, want %d (%v)", query, len(p.ls.idx), len(want), p.ls.idx)
	}
}

// TestQuickTypingRunsOneScan: ten keys typed fast (no pause between them) run one scan, after
// the pause that follows the last; Enter before the pause matches at once.
func TestQuickTypingRunsOneScan(t *testing.T) {
	const text = "reset my v"
	for _, enter := range []bool{false, true} {
		h := &pauses{}
		p := newTestPane(t, fake.New("mw", 3000, 1), 100, 20, 100, func(c *Config) { c.Tick = h.tick })
		drain(t, p, p.Init())
		send(t, p, press("/"))
		total := 0
		for _, k := range typed(text) {
			_, cmd := p.Update(k)
			ran, _ := scans(t, p, cmd)
			total += ran
		}
		if total != 0 || len(h.held) != len(text) {
			t.Fatalf("typing ran %d scans and scheduled %d pauses, want 0 and %d", total, len(h.held), len(text))
		}
		if enter {
			_, cmd := p.Update(press("enter"))
			ran, _ := scans(t, p, cmd)
			total += ran
		}
		for _, tick := range h.held {
			ran, _ := scans(t, p, tick)
			total += ran
		}
		if total != 1 {
			t.Fatalf("typing %d keys fast ran %d scans, want 1 (enter %v)", len(text), total, enter)
		}
		wantQuick(t, p, text)
	}
}

// TestQuickTypingCancelsScan: a key typed while a scan runs cancels it; its result is dropped
// and the scan after the next pause shows the new text's rows.
func TestQuickTypingCancelsScan(t *testing.T) {
	h := &pauses{}
	p := newTestPane(t, fake.New("mw", 3000, 1), 100, 20, 100, func(c *Config) { c.Tick = h.tick })
	drain(t, p, p.Init())
	send(t, p, press("/"))
	send(t, p, typed("v")...)
	// The pause ends: the scan for "v" starts, and is still running when p is typed.
	var tick tea.Msg
	for _, c := range h.held {
		tick = c()
	}
	h.held = nil
	_, scan := p.Update(tick)
	send(t, p, typed("p")...)
	ran, cancelled := scans(t, p, scan)
	if ran != 0 || cancelled != 1 {
		t.Fatalf("the scan typing superseded: %d ran, %d cancelled; want it cancelled", ran, cancelled)
	}
	for _, c := range h.held {
		scans(t, p, c)
	}
	wantQuick(t, p, "vp")
}

// TestQuickFindsFetchedSummaries: the quick filter matches the summaries fetched for the rows
// on screen (kept apart from the rows), including one that arrives while a scan runs; the
// scan runs in its own goroutine meanwhile (go test -race).
func TestQuickFindsFetchedSummaries(t *testing.T) {
	srv := newSummaryServer(t)
	h := &pauses{}
	p := newTestPane(t, srv.src, 100, 14, 100, func(c *Config) { c.MaxSummaries, c.Tick = 4, h.tick })
	held := runHolding(t, p, p.Init())
	if len(held) < 2 {
		t.Fatalf("%d summary requests in flight, want 2 or more", len(held))
	}
	late := held[len(held)-1]
	for _, m := range held[:len(held)-1] {
		sendHolding(t, p, m) // the requests they lead to are left in flight
	}
	word := longestWord(late.text)
	early := held[0]
	wordEarly := longestWord(early.text)
	if word == "" || wordEarly == "" {
		t.Fatalf("summaries without a word: %q, %q", late.text, early.text)
	}

	// A summary that arrives while the scan runs.
	send(t, p, press("/"))
	sendHolding(t, p, typed("summary:"+word)...)
	var tick tea.Msg
	for _, c := range h.held {
		tick = c()
	}
	h.held = nil
	_, cmd := p.Update(tick)
	done := make(chan []tea.Msg)
	go func() { done <- run(cmd) }()
	sendHolding(t, p, late)
	for _, m := range <-done {
		sendHolding(t, p, m)
	}
	if !shows(p, late.convID) {
		t.Fatalf("summary:%s does not show %s, whose summary %q arrived during the scan", word, late.convID, late.text)
	}

	// A summary fetched before the scan.
	send(t, p, press("ctrl+u"))
	sendHolding(t, p, typed("summary:"+wordEarly)...)
	for _, c := range h.held {
		sendHolding(t, p, c())
	}
	if !shows(p, early.convID) {
		t.Fatalf("summary:%s does not show %s, whose fetched summary is %q", wordEarly, early.convID, early.text)
	}
}

// run runs cmd, expanding batches, and returns its messages (off the test's goroutine).
func run(cmd tea.Cmd) []tea.Msg {
	var out []tea.Msg
	queue := []tea.Cmd{cmd}
	for len(queue) > 0 {
		c := queue[0]
		queue = queue[1:]
		if c == nil {
			continue
		}
		switch msg := c().(type) {
		case tea.BatchMsg:
			queue = append(queue, msg...)
		case nil:
		default:
			out = append(out, msg)
		}
	}
	return out
}

// shows reports whether the quick filter's rows hold conversation id.
func shows(p *Pane, id string) bool {
	for _, r := range p.ls.idx {
		if p.ls.items.ID(r) == id {
			return true
		}
	}
	return false
}

// longestWord is the longest run of letters in s.
func longestWord(s string) string {
	best := ""
	for _, w := range strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) }) {
		if len(w) > len(best) {
			best = w
		}
	}
	return best
}

// TestQuickEnterAfterStoppedScan: typing stops the scan of the text matched; when the text
// typed comes back to it and Enter comes before the pause, the scan runs again, so no row
// is missing.
func TestQuickEnterAfterStoppedScan(t *testing.T) {
	h := &pauses{}
	p := newTestPane(t, fake.New("mw", 3000, 1), 100, 20, 100, func(c *Config) { c.Tick = h.tick })
	drain(t, p, p.Init())
	send(t, p, press("/"))
	send(t, p, typed("v")...)
	tick := h.held[0]()
	h.held = nil
	_, scan := p.Update(tick) // the scan for "v" starts…
	send(t, p, typed("x")...) // …and typing stops it
	send(t, p, press("backspace"))
	if ran, _ := scans(t, p, scan); ran != 0 {
		t.Fatal("the stopped scan ran")
	}
	_, cmd := p.Update(press("enter"))
	if ran, _ := scans(t, p, cmd); ran != 1 {
		t.Fatalf("enter ran %d scans, want 1", ran)
	}
	wantQuick(t, p, "v")
}
