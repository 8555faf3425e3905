package filterbar

import (
	"github.com/confab-dev/confab/tui/internal/cmdtest"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/confab-dev/confab/client"
	"github.com/confab-dev/confab/client/odata"
	"github.com/confab-dev/confab/client/opendialog"
	"github.com/confab-dev/confab/client/talkdesk"
)

var now = time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)

func talkdeskSpec(t *testing.T) client.FilterSpec {
	t.Helper()
	src, err := talkdesk.New(talkdesk.Config{Name: "td", Region: "us", Account: "acme", ClientID: "id", Secret: "s",
		Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	return src.FilterSpec()
}

// TestValidatePositions checks the message and position the bar shows for each source kind:
// the same *client.FilterError `confab list --filter` prints.
func TestValidatePositions(t *testing.T) {
	mw := odata.Spec(odata.Conversations)
	od := opendialog.Spec(func() time.Time { return now })
	td := talkdeskSpec(t)
	tests := []struct {
		name   string
		spec   client.FilterSpec
		text   string
		pos    int    // -2: valid
		msg    string // a part of the message
		column int    // the caret's cell column
	}{
		{"mw valid", mw, "primary_domain eq 'IT' and created_time ge 2026-11-01T00:00:00Z", -2, "", 0},
		{"mw empty", mw, "   ", -2, "", 0},
		{"mw unknown field", mw, "plaform eq 'slack'", 0, "unknown field", 0},
		{"mw interaction field", mw, "route eq 'DM' and platform eq 'slack'", 18, "field of interactions", 18},
		{"mw unbalanced", mw, "primary_domain eq 'IT' and (route eq 'DM'", 27, "unclosed (", 27},
		{"mw impossible date", mw, "created_time ge '2026-13-01'", 16, "month out of range", 16},
		{"mw unsupported function", mw, "substringof('x', id)", 0, "not supported", 0},
		{"mw wide chars before", mw, "detail/content eq '打印机' and plaform eq 'x'", 34, "unknown field", 31},
		{"td valid", td, "since:7d sentiment=negative intent~password", -2, "", 0},
		{"td unknown field", td, "since:7d mood=bad", 9, "", 9},
		{"td until before since", td, "since:2026-11-10 until:2026-11-01", 17, "not after since", 17},
		{"td impossible date", td, "since:2026-02-30", 6, "cannot read time", 6},
		{"od valid", od, "country=us from:2w", -2, "", 0},
		{"od not allow-listed", od, "country=us favourite_colour=red", 11, "", 11},
		{"od inverted range", od, "from:2026-11-10 to:2026-11-01", 16, "inverted", 16},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Validate(tt.spec, tt.text)
			if tt.pos == -2 {
				if err != nil {
					t.Fatalf("Validate(%q) = %v, want valid", tt.text, err)
				}
				return
			}
			if err == nil {
				t.Fatalf("Validate(%q) = nil, want an error", tt.text)
			}
			if tt.pos >= 0 && err.Pos != tt.pos {
				t.Errorf("Validate(%q) pos = %d (%v), want %d", tt.text, err.Pos, err, tt.pos)
			}
			if !strings.Contains(err.Msg, tt.msg) {
				t.Errorf("Validate(%q) msg = %q, want it to contain %q", tt.text, err.Msg, tt.msg)
			}
			if err.Pos >= 0 && tt.pos >= 0 {
				if c := CaretColumn(tt.text, err.Pos); c != tt.column {
					t.Errorf("caret column = %d, want %d", c, tt.column)
				}
			}
			// The bar renders the same words as the CLI and a caret under the position.
			m := New("filter", tt.spec, DefaultKeys(), Styles{})
			m.SetWidth(120)
			m.Edit()
			m.input.SetValue(tt.text)
			m.changed()
			v := m.View("newest first")
			lines := strings.Split(v, "\n")
			// The message wraps under the bar (TestErrorWrapsUnderTheBar): its words, in order.
			want := strings.Join(strings.Fields(err.Error()), " ")
			shown := strings.Join(strings.Fields(strings.Join(lines[min(2, len(lines)):], " ")), " ")
			if len(lines) < 3 || len(lines) != m.Height() || !strings.HasPrefix(want, strings.TrimSuffix(shown, "…")) {
				t.Fatalf("bar view:\n%s\nwant the message %q", v, err.Error())
			}
			if err.Pos >= 0 && strings.Index(lines[1], "^") != labelW+tt.column {
				t.Fatalf("caret at %d, want %d:\n%s", strings.Index(lines[1], "^"), labelW+tt.column, v)
			}
		})
	}
}

func TestComplete(t *testing.T) {
	mw := odata.Spec(odata.Conversations)
	od := opendialog.Spec(func() time.Time { return now })
	td := talkdeskSpec(t)
	seen := map[string][]string{"country": {"us", "uk"}, "domain": {"IT"}}
	tests := []struct {
		name    string
		spec    client.FilterSpec
		before  string
		partial string
		first   []string
		suffix  string
	}{
		{"mw field", mw, "prim", "prim", []string{"primary_domain"}, ""},
		{"mw operator after field", mw, "route ", "", []string{"eq", "ne", "gt"}, ""},
		{"mw quoted value", mw, "route eq 'D", "D", []string{"DM"}, "'"},
		{"mw in list", mw, "route in ('DM', 'N", "N", []string{"Notification"}, "'"},
		{"mw bare value", mw, "route eq ", "", []string{"'DM'", "'Notification'"}, ""},
		{"mw keyword", mw, "route eq 'DM' an", "an", []string{"and"}, ""},
		{"td field", td, "since:7d sen", "sen", []string{"sentiment"}, ""},
		{"td value", td, "sentiment=ne", "ne", []string{"neutral", "negative"}, ""},
		{"td since keyword", td, "sin", "sin", []string{"since:"}, ""},
		{"od seen value", od, "country=u", "u", []string{"us", "uk"}, ""},
		{"od known value", od, "platform=", "", []string{"desktop", "mobile", "tablet"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := Complete(tt.spec, seen, tt.before)
			if c.Partial != tt.partial || c.Suffix != tt.suffix {
				t.Fatalf("Complete(%q) partial %q suffix %q, want %q %q", tt.before, c.Partial, c.Suffix, tt.partial, tt.suffix)
			}
			if len(c.Candidates) < len(tt.first) || !reflect.DeepEqual(c.Candidates[:len(tt.first)], tt.first) {
				t.Fatalf("Complete(%q) = %q, want it to start with %q", tt.before, c.Candidates, tt.first)
			}
		})
	}
}

func typeIn(m *Model, s string) Event {
	ev := None
	for _, r := range s {
		ev = m.Update(kp(string(r)))
	}
	return ev
}

func TestStatesAndEvents(t *testing.T) {
	m := New("filter", odata.Spec(odata.Conversations), DefaultKeys(), Styles{})
	m.SetWidth(100)
	if m.State() != Idle {
		t.Fatalf("new bar state %v", m.State())
	}
	m.Edit()
	if ev := typeIn(m, "route eq 'DM"); ev != Changed || m.Err() == nil {
		t.Fatalf("typing: event %v err %v", ev, m.Err())
	}
	tag := m.Tag()
	if ev := m.Update(kp("enter")); ev != None || !m.Editing() {
		t.Fatal("enter on an invalid filter left editing")
	}
	if ev := typeIn(m, "'"); ev != Changed || m.Err() != nil || m.Tag() == tag {
		t.Fatalf("closing quote: err %v tag %d→%d", m.Err(), tag, m.Tag())
	}
	if ev := m.Update(kp("enter")); ev != Submit || m.State() != Applied || m.Applied() != "route eq 'DM'" {
		t.Fatalf("enter: state %v applied %q", m.State(), m.Applied())
	}
	m.Edit()
	typeIn(m, " and x")
	if ev := m.Update(kp("esc")); ev != Cancel || m.Value() != "route eq 'DM'" || m.State() != Applied {
		t.Fatalf("esc: value %q state %v", m.Value(), m.State())
	}
	// Tab opens the menu and cycles; another key closes it.
	m.Edit()
	m.input.SetValue("")
	typeIn(m, "route eq '")
	m.Update(kp("tab"))
	if !m.MenuOpen() || m.Value() != "route eq 'DM'" {
		t.Fatalf("tab: menu %v value %q", m.MenuOpen(), m.Value())
	}
	m.Update(kp("tab"))
	if m.Value() != "route eq 'Notification'" {
		t.Fatalf("second tab: %q", m.Value())
	}
	if m.Height() != 1+3 {
		t.Fatalf("height with a 3-item menu = %d", m.Height())
	}
	m.Update(kp("esc"))
	if m.MenuOpen() || !m.Editing() {
		t.Fatal("esc with the menu open should close only the menu")
	}
	// History: up recalls newest first, down returns to the draft.
	m.SetHistory([]string{"a eq 'x'", "route eq 'DM'"})
	m.Update(kp("up"))
	if m.Value() != "route eq 'DM'" {
		t.Fatalf("up: %q", m.Value())
	}
	m.Update(kp("up"))
	m.Update(kp("up"))
	if m.Value() != "a eq 'x'" {
		t.Fatalf("up up up: %q", m.Value())
	}
	m.Update(kp("down"))
	m.Update(kp("down"))
	if m.Value() != "route eq 'Notification'" {
		t.Fatalf("down to the draft: %q", m.Value())
	}
}

func TestNarrowWidthKeepsPlaceholder(t *testing.T) {
	m := New("filter", odata.Spec(odata.Conversations), DefaultKeys(), Styles{})
	m.SetWidth(40)
	m.Edit()
	v := m.View("newest first")
	if !strings.Contains(ansi.Strip(v), "e.g. crea") {
		t.Fatalf("placeholder cut to one character: %q", v)
	}
}

var kp = cmdtest.Key
