package pane

import (
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/confab-dev/confab/client"
	"github.com/confab-dev/confab/client/sanitize"
	"github.com/confab-dev/confab/tui/internal/fake"
)

// headerConv is a conversation with every part of the header: an OpenDialog-like user with
// a name and an e-mail, a start and an end on the same day, a summary.
func headerConv() client.Conversation {
	t0 := time.Date(2026, 11, 8, 9, 30, 0, 0, time.UTC)
	return client.Conversation{
		Source: "mw", ID: "Q7fTz2LmX0aB", UserID: "15392314957513647503",
		Started: t0, Updated: t0.Add(5 * time.Minute), Summary: "I can't log in to the VPN",
		Attrs: client.Attrs{{Key: client.AttrUserName, Value: "Jane Doe"}, {Key: client.AttrUserEmail, Value: "jane@example.com"}},
	}
}

// TestThreadHeader checks the header's text at 80 and 200 columns (the thread column's width
// less its leading space), and how it gives way: the summary, the end, the start, the user,
// then the id's start, never the id silently.
func TestThreadHeader(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Skip("no time zone data:", err)
	}
	c := headerConv()
	longID := "conv-" + strings.Repeat("0123456789", 12) + "-END42"
	hostile := c
	hostile.ID = "evil\x1b]0;pwned\x07id"
	hostile.Attrs = client.Attrs{{Key: client.AttrUserName, Value: "\x1b[2J\x1b[31mMallory\u202e\x07 <x>"}}
	hostile.Summary = "\x1b]52;c;cHduZWQ=\x07copy"
	tests := []struct {
		name string
		c    client.Conversation
		src  string
		loc  *time.Location
		w    int
		want string
	}{
		{"200 every part", c, "", time.UTC, 199,
			"source mw · id Q7fTz2LmX0aB · user Jane Doe <jane@example.com> · started 2026-11-08 09:30 · ended 09:35 · I can't log in to the VPN"},
		{"80 the summary goes first", c, "", time.UTC, 79,
			"source mw · id Q7fTz2LmX0aB · user Jane Doe <jane@example.com>"},
		{"the TUI's zone", c, "", berlin, 199,
			"source mw · id Q7fTz2LmX0aB · user Jane Doe <jane@example.com> · started 2026-11-08 10:30 · ended 10:35 · I can't log in to the VPN"},
		{"ended on another day", func() client.Conversation {
			x := c
			x.Updated = x.Started.Add(30 * time.Hour)
			x.Summary = ""
			return x
		}(), "", time.UTC, 199,
			"source mw · id Q7fTz2LmX0aB · user Jane Doe <jane@example.com> · started 2026-11-08 09:30 · ended 2026-11-09 15:30"},
		{"the pane's name when the row has no source", func() client.Conversation { x := c; x.Source = ""; return x }(), "td", time.UTC, 79,
			"source td · id Q7fTz2LmX0aB · user Jane Doe <jane@example.com>"},
		{"the user id when there is no name", func() client.Conversation { x := c; x.Attrs = nil; return x }(), "", time.UTC, 79,
			"source mw · id Q7fTz2LmX0aB · user 15392314957513647503"},
		{"a long id at 200 keeps the id whole", func() client.Conversation { x := c; x.ID = longID; return x }(), "", time.UTC, 199,
			"source mw · id " + longID + " · user Jane Doe <jane@example.com>"},
		{"a long id at 80 shows its end", func() client.Conversation { x := c; x.ID = longID; return x }(), "", time.UTC, 79,
			"source mw · id …" + longID[len(longID)-63:]},
		{"the user shortened", func() client.Conversation {
			x := c
			x.ID = strings.Repeat("a", 40)
			return x
		}(), "", time.UTC, 79,
			"source mw · id " + strings.Repeat("a", 40) + " · user Jane Doe <jane@…"},
		{"the end goes before the start", func() client.Conversation {
			x := c
			x.Attrs = client.Attrs{{Key: client.AttrUserName, Value: "jane"}}
			return x
		}(), "", time.UTC, 79,
			"source mw · id Q7fTz2LmX0aB · user jane · started 2026-11-08 09:30"},
		{"narrow: the source shortened, the id's end", func() client.Conversation {
			x := c
			x.Source = "a-very-long-source-name"
			x.ID = longID
			return x
		}(), "", time.UTC, 40,
			"source a-very-… · id …" + longID[len(longID)-18:]},
		{"too narrow for the source", func() client.Conversation { x := c; x.ID = longID; return x }(), "", time.UTC, 16,
			"id …" + longID[len(longID)-12:]},
		{"hostile text is escaped", hostile, "", time.UTC, 199,
			`source mw · id evil\x1b]0;pwned\x07id · user \x1b[2J\x1b[31mMallory\u202e\x07 <x> · started 2026-11-08 09:30 · ended 09:35 · \x1b]52;c;cHduZWQ=\x07copy`},
		{"hostile at 80", hostile, "", time.UTC, 79,
			`source mw · id evil\x1b]0;pwned\x07id · user \x1b[2J\x1b[31mMallory\u202e\x07 …`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := new(headerMemo).threadHeader(tt.c, tt.src, tt.loc, tt.w)
			if got != tt.want {
				t.Errorf("threadHeader(w=%d) =\n%q\nwant\n%q", tt.w, got, tt.want)
			}
			if w := sanitize.Width(got); w > tt.w {
				t.Errorf("%d cells wide, more than %d", w, tt.w)
			}
			if strings.ContainsAny(got, "\x1b\x07\u202e") {
				t.Errorf("raw control characters reached the header: %q", got)
			}
		})
	}
}

// TestThreadHeaderInView opens a thread at 80 columns (the thread over the whole pane) and at
// 200 (beside the list) and checks the header line the pane renders.
func TestThreadHeaderInView(t *testing.T) {
	tests := []struct {
		name     string
		w, listW int
		want     string // the thread column's first line, trimmed
	}{
		{"80", 80, 80, "source fake · id conv-000000 · user u-07919 · started 2026-11-21 14:05"},
		{"200", 200, 90, "source fake · id conv-000000 · user u-07919 · started 2026-11-21 14:05 · Laptop will not boot after update"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := fake.New("fake", 20, 1)
			p := newTestPane(t, src, tt.w, 24, tt.listW, nil)
			drain(t, p, p.Init())
			send(t, p, press("enter"))
			if p.thr.state != threadReady {
				t.Fatalf("thread state %v, want ready", p.thr.state)
			}
			tw, x := p.threadBox()
			var line, got string
			for _, l := range strings.Split(p.View(), "\n") {
				if col := strings.TrimPrefix(strings.TrimSpace(ansi.Cut(ansi.Strip(l), x, x+tw)), focusMark); strings.HasPrefix(col, "source ") {
					line, got = l, col
					break
				}
			}
			if got != tt.want {
				t.Fatalf("header %q, want %q:\n%s", got, tt.want, p.View())
			}
			if w := ansi.StringWidth(line); w != tt.w {
				t.Errorf("the first line is %d cells wide, want %d", w, tt.w)
			}
		})
	}
}
