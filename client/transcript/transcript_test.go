package transcript

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/golden"

	"github.com/confab-dev/confab/client"
	"github.com/confab-dev/confab/client/thread"
)

type fixture struct {
	name  string
	kind  string
	build func() (client.Conversation, []client.Interaction)
}

var fixtures = []fixture{
	{"moveworks_branched", "moveworks", moveworksThread},
	{"talkdesk_voice", "talkdesk", talkdeskCall},
	{"opendialog_session", "opendialog", openDialogSession},
	{"hostile", "moveworks", hostileThread},
}

func render(t *testing.T, f Format, c client.Conversation, items []client.Interaction, opt Options) string {
	t.Helper()
	var b bytes.Buffer
	st, err := Render(&b, f, c, items, opt)
	if err != nil {
		t.Fatalf("Render: %v", err)
	}
	if st.Bytes != int64(b.Len()) {
		t.Errorf("Stats.Bytes = %d, wrote %d", st.Bytes, b.Len())
	}
	return b.String()
}

// TestGolden renders every fixture in every format, plain and redacted.
func TestGolden(t *testing.T) {
	for _, fx := range fixtures {
		for _, f := range []Format{FormatMarkdown, FormatText, FormatJSON} {
			for _, redact := range []bool{false, true} {
				name := fx.name + "." + f.Ext()
				if redact {
					name = fx.name + "_redacted." + f.Ext()
				}
				t.Run(name, func(t *testing.T) {
					c, items := fx.build()
					golden.RequireEqual(t, render(t, f, c, items, Options{Kind: fx.kind, Redact: redact}))
				})
			}
		}
	}
}

func TestGoldenSubtree(t *testing.T) {
	c, items := moveworksThread()
	for _, f := range []Format{FormatMarkdown, FormatText, FormatJSON} {
		t.Run(f.String(), func(t *testing.T) {
			golden.RequireEqual(t, render(t, f, c, items, Options{Root: "b2aaaaaaaaaa"}))
		})
	}
}

// TestOrderMatchesThreadView checks that every format lists the interactions in the order of
// thread.Flatten, the order the thread view shows.
func TestOrderMatchesThreadView(t *testing.T) {
	for _, fx := range fixtures {
		c, items := fx.build()
		tree := thread.Build(items)
		var want []string
		for _, r := range tree.Flatten(nil) {
			want = append(want, tree.Item(int(r.Index)).ID)
		}
		var doc struct {
			Interactions []client.Interaction `json:"interactions"`
		}
		if err := json.Unmarshal([]byte(render(t, FormatJSON, c, items, Options{})), &doc); err != nil {
			t.Fatalf("%s: output is not JSON: %v", fx.name, err)
		}
		var got []string
		for _, it := range doc.Interactions {
			got = append(got, it.ID)
		}
		if strings.Join(got, ",") != strings.Join(want, ",") {
			t.Errorf("%s: JSON order %v, thread view order %v", fx.name, got, want)
		}
		// Markdown and text: each interaction's speaker line comes in the same order.
		for _, f := range []Format{FormatMarkdown, FormatText} {
			out := render(t, f, c, items, Options{})
			pos := 0
			for _, r := range tree.Flatten(nil) {
				stamp := tree.Item(int(r.Index)).Time.UTC().Format(time.RFC3339)
				i := strings.Index(out[pos:], stamp)
				if i < 0 {
					t.Fatalf("%s %s: %s missing or out of order", fx.name, f, stamp)
				}
				pos += i + len(stamp)
			}
		}
	}
}

// TestHostile: Markdown and text hold no control character but newline; JSON keeps the
// original characters, escaped.
func TestHostile(t *testing.T) {
	c, items := hostileThread()
	for _, f := range []Format{FormatMarkdown, FormatText} {
		out := render(t, f, c, items, Options{})
		for i, r := range out {
			if r != '\n' && (r < 0x20 || r == 0x7f || r >= 0x80 && r <= 0x9f || r == 0x202e) {
				t.Fatalf("%s: control character %U at byte %d", f, r, i)
			}
		}
		if !strings.Contains(out, `\x1b]52;c;`) {
			t.Errorf("%s: the OSC 52 sequence is not shown escaped", f)
		}
	}
	md := render(t, FormatMarkdown, c, items, Options{})
	for _, line := range strings.Split(md, "\n") {
		if strings.HasPrefix(line, "# ") && !strings.HasPrefix(line, "# Conversation") {
			t.Errorf("markdown: a message started a heading: %q", line)
		}
	}
	if !strings.Contains(md, "\\*\\*bold\\*\\*") || strings.Contains(md, "<script>") {
		t.Errorf("markdown: attribute values are not escaped:\n%s", md)
	}
	js := render(t, FormatJSON, c, items, Options{})
	for _, bad := range []string{"\x1b", "\x07", "\x7f", "\u009b", "\u202e"} {
		if strings.Contains(js, bad) {
			t.Errorf("json: contains %q unescaped", bad)
		}
	}
	for _, esc := range []string{`\u001b]52;c;`, `\u007f`, `\u009b`, `\u202e`, `\r\n`} {
		if !strings.Contains(js, esc) {
			t.Errorf("json: missing %s", esc)
		}
	}
	var doc struct {
		Conversation client.Conversation  `json:"conversation"`
		Interactions []client.Interaction `json:"interactions"`
	}
	if err := json.Unmarshal([]byte(js), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Conversation.ID != c.ID || doc.Interactions[0].Text != items[0].Text {
		t.Errorf("json: the original text did not round-trip: %q", doc.Interactions[0].Text)
	}
}

// TestFence: a message with long backtick runs cannot close its fence early.
func TestFence(t *testing.T) {
	tests := []struct{ text, fence string }{
		{"plain", "```"},
		{"a `tick`", "```"},
		{"```", "````"},
		{"x ````` y", "``````"},
	}
	for _, tt := range tests {
		c := client.Conversation{ID: "c"}
		items := []client.Interaction{{ID: "1", Actor: client.ActorUser, Kind: client.KindText, Text: tt.text}}
		out := render(t, FormatMarkdown, c, items, Options{})
		if !strings.Contains(out, "  "+tt.fence+"text\n  "+tt.text+"\n  "+tt.fence+"\n") {
			t.Errorf("text %q: want fence %q in\n%s", tt.text, tt.fence, out)
		}
	}
}

func TestCodeSpanAndInline(t *testing.T) {
	tests := []struct{ in, span, inline string }{
		{"abc", "`abc`", "abc"},
		{"a`b", "``a`b``", "a\\`b"},
		{"`x", "`` `x ``", "\\`x"},
		{"*_[<&|~!", "`*_[<&|~!`", "\\*\\_\\[\\<\\&\\|\\~\\!"},
	}
	for _, tt := range tests {
		if got := codeSpan(tt.in); got != tt.span {
			t.Errorf("codeSpan(%q) = %q, want %q", tt.in, got, tt.span)
		}
		if got := mdInline(tt.in); got != tt.inline {
			t.Errorf("mdInline(%q) = %q, want %q", tt.in, got, tt.inline)
		}
	}
}

func TestNoteShownInHeader(t *testing.T) {
	c, items := openDialogSession()
	for _, f := range []Format{FormatMarkdown, FormatText} {
		out := render(t, f, c, items, Options{})
		head, _, _ := strings.Cut(out, "\n\n2026")
		if !strings.Contains(out, "bot replies are not part of this export") || strings.Index(out, "not part of") > strings.Index(out, "hello") {
			t.Errorf("%s: the note is not in the header:\n%s", f, head)
		}
	}
}

func TestRootNotFound(t *testing.T) {
	c, items := moveworksThread()
	_, err := Render(io.Discard, FormatMarkdown, c, items, Options{Root: "nope"})
	if !errors.Is(err, ErrNoRoot) {
		t.Fatalf("err = %v, want ErrNoRoot", err)
	}
}

func TestLocation(t *testing.T) {
	c, items := talkdeskCall()
	loc := time.FixedZone("X", -7*3600)
	out := render(t, FormatText, c, items, Options{Location: loc, Now: func() time.Time { return at(3600) }})
	squeezed := strings.Join(strings.Fields(out), " ")
	for _, want := range []string{"Started: 2026-11-08T02:30:00-07:00", "Exported: 2026-11-08T03:30:00-07:00", "2026-11-08T02:30:08-07:00 Customer (voice)"} {
		if !strings.Contains(squeezed, want) {
			t.Errorf("missing %q in\n%s", want, out)
		}
	}
}

type failWriter struct{ err error }

func (f failWriter) Write([]byte) (int, error) { return 0, f.err }

func TestWriteError(t *testing.T) {
	c, items := moveworksThread()
	boom := errors.New("disk full")
	for _, f := range []Format{FormatMarkdown, FormatText, FormatJSON} {
		if _, err := Render(failWriter{boom}, f, c, items, Options{}); !errors.Is(err, boom) {
			t.Errorf("%s: err = %v, want %v", f, err, boom)
		}
	}
}

func TestParseFormat(t *testing.T) {
	tests := []struct {
		in   string
		want Format
		ok   bool
	}{{"markdown", FormatMarkdown, true}, {"md", FormatMarkdown, true}, {"TEXT", FormatText, true}, {"txt", FormatText, true}, {"json", FormatJSON, true}, {"yaml", 0, false}}
	for _, tt := range tests {
		got, err := ParseFormat(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("ParseFormat(%q) = %v, %v", tt.in, got, err)
		}
	}
}

// BenchmarkMarkdown renders a 20,000-interaction thread.
func BenchmarkMarkdown(b *testing.B) {
	c := client.Conversation{ID: "big"}
	items := make([]client.Interaction, 20000)
	for i := range items {
		items[i] = client.Interaction{ID: itoa(i + 1), Actor: client.ActorUser, Kind: client.KindText, Time: at(i),
			Text: "line one of the message with some `code` and an e-mail a@b.example\nline two"}
		if i > 0 {
			items[i].ParentID = itoa(i/2 + 1)
		}
	}
	for _, redact := range []bool{false, true} {
		name := "plain"
		if redact {
			name = "redacted"
		}
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				st, err := Render(io.Discard, FormatMarkdown, c, items, Options{Redact: redact})
				if err != nil {
					b.Fatal(err)
				}
				b.SetBytes(st.Bytes)
			}
		})
	}
}

// TestSpeakersAndUnknownTimes: every format names the speaker ("Agent (Jane Doe)"), follows
// Seq rather than times, writes no time for an interaction without one (not 0001-01-01 nor
// an invented one), and redacts a speaker's name like any text.
func TestSpeakersAndUnknownTimes(t *testing.T) {
	t0 := time.Date(2026, 11, 10, 9, 0, 0, 0, time.UTC)
	c := client.Conversation{Source: "td", ID: "call", Started: t0}
	items := []client.Interaction{
		{ID: "z2", Actor: client.ActorCustomer, Kind: client.KindVoice, Text: "second", Seq: 2},
		{ID: "z3", Actor: client.ActorAgent, Speaker: "ben@example.com", Kind: client.KindVoice, Text: "third", Seq: 3, Time: t0},
		{ID: "z1", Actor: client.ActorAgent, Speaker: "Jane Doe", Kind: client.KindVoice, Text: "first", Seq: 1},
	}
	cases := []struct {
		format Format
		redact bool
		want   []string // in this order
		lacks  []string
	}{
		{FormatMarkdown, false, []string{"- **Agent (Jane Doe)** · voice\n", "first", "- **Customer** · voice\n", "second",
			"- **Agent (ben@example.com)** · 2026-11-10T09:00:00Z · voice\n", "third"}, []string{"0001-01-01"}},
		{FormatText, false, []string{"\n                      Agent (Jane Doe) (voice)\n", "first", "\n                      Customer (voice)\n", "second",
			"\n2026-11-10T09:00:00Z  Agent (ben@example.com) (voice)\n", "third"}, []string{"0001-01-01"}},
		{FormatJSON, false, []string{`"id": "z1"`, `"speaker": "Jane Doe"`, `"seq": 1`, `"id": "z2"`, `"id": "z3"`, `"speaker": "ben@example.com"`, `"time": "2026-11-10T09:00:00Z"`},
			[]string{"0001-01-01"}},
		{FormatMarkdown, true, []string{"Agent (Jane Doe)", `Agent (\[email\])`}, []string{"ben@example.com"}},
		{FormatText, true, []string{"Agent (Jane Doe)", "Agent ([email])"}, []string{"ben@example.com"}},
		{FormatJSON, true, []string{`"speaker": "Jane Doe"`, `"speaker": "[email]"`}, []string{"ben@example.com"}},
	}
	for _, tc := range cases {
		t.Run(tc.format.String()+map[bool]string{true: " redacted"}[tc.redact], func(t *testing.T) {
			out, at := render(t, tc.format, c, items, Options{Redact: tc.redact}), 0
			for _, w := range tc.want {
				i := strings.Index(out[at:], w)
				if i < 0 {
					t.Fatalf("%q not after byte %d:\n%s", w, at, out)
				}
				at += i + len(w)
			}
			for _, l := range tc.lacks {
				if strings.Contains(out, l) {
					t.Errorf("has %q:\n%s", l, out)
				}
			}
		})
	}
}

// TestAudioOffsetStandsForAnUnknownTime: a Talkdesk message without message_start_at is
// stamped, in Markdown and text, with where it starts in its recording ("+00:08.9", and the
// recording when it is not the first), so a transcript of a call still says when each line
// was spoken; without audio offsets it has no stamp at all.
func TestAudioOffsetStandsForAnUnknownTime(t *testing.T) {
	c := client.Conversation{Source: "td", ID: "call", Started: time.Date(2026, 11, 10, 9, 0, 0, 0, time.UTC)}
	items := []client.Interaction{
		{ID: "a", Actor: client.ActorAgent, Kind: client.KindVoice, Text: "hello", Seq: 1,
			Attrs: client.Attrs{{Key: "recording_index", Value: "0"}, {Key: "audio", Value: "00:00.0–00:07.6"}}},
		{ID: "b", Actor: client.ActorCustomer, Kind: client.KindVoice, Text: "hi", Seq: 2,
			Attrs: client.Attrs{{Key: "recording_index", Value: "1"}, {Key: "audio", Value: "00:08.9–00:14.4"}}},
		{ID: "c", Actor: client.ActorCustomer, Kind: client.KindVoice, Text: "bye", Seq: 3},
	}
	tests := []struct {
		format Format
		want   []string
	}{
		{FormatMarkdown, []string{"- **Agent** · +00:00.0 · voice\n", "- **Customer** · rec 1 +00:08.9 · voice\n", "- **Customer** · voice\n"}},
		{FormatText, []string{"\n+00:00.0              Agent (voice)\n", "\nrec 1 +00:08.9        Customer (voice)\n", "\n                      Customer (voice)\n"}},
	}
	for _, tc := range tests {
		t.Run(tc.format.String(), func(t *testing.T) {
			out := render(t, tc.format, c, items, Options{})
			at := 0
			for _, w := range tc.want {
				i := strings.Index(out[at:], w)
				if i < 0 {
					t.Fatalf("%q not after byte %d:\n%s", w, at, out)
				}
				at += i + len(w)
			}
		})
	}
}
