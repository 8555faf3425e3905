package tui

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/confab-dev/confab/client"
	"github.com/confab-dev/confab/client/sanitize"
	"github.com/confab-dev/confab/client/transcript"
	storeclip "github.com/confab-dev/confab/store/clip"
	"github.com/confab-dev/confab/tui/internal/fake"
)

// fakeClip is an injected native clipboard.
type fakeClip struct {
	got []string
	err error
}

func (f *fakeClip) write(s string) error {
	f.got = append(f.got, s)
	return f.err
}

// copyResult is what a copy did: the texts sent with OSC 52 and the status lines shown.
type copyResult struct {
	osc    []string
	status []statusMsg
}

func (r copyResult) lastStatus() string {
	if len(r.status) == 0 {
		return ""
	}
	return r.status[len(r.status)-1].Text
}

// runCopy feeds msgs to a and runs every Cmd by hand, like drain, but it also opens
// tea.Sequence messages and records tea.SetClipboard messages and status lines (which it
// leaves in the status bar).
func runCopy(t *testing.T, a *App, msgs ...tea.Msg) copyResult {
	t.Helper()
	var r copyResult
	setClip := reflect.TypeOf(tea.SetClipboard("x")())
	cmdType := reflect.TypeOf((*tea.Cmd)(nil)).Elem()
	var queue []tea.Cmd
	for _, m := range msgs {
		_, cmd := a.Update(m)
		queue = append(queue, cmd)
	}
	for steps := 0; len(queue) > 0; steps++ {
		if steps > 10000 {
			t.Fatal("commands never settle")
		}
		c := queue[0]
		queue = queue[1:]
		if c == nil {
			continue
		}
		msg := c()
		requireMsg(t, msg)
		v := reflect.ValueOf(msg)
		switch m := msg.(type) {
		case nil, clearStatusMsg:
			continue
		case tea.BatchMsg:
			queue = append(queue, m...)
			continue
		case statusMsg:
			r.status = append(r.status, m)
			a.Update(m) // its clearing tick is dropped: the line stays
			continue
		}
		switch {
		case v.Type() == setClip:
			r.osc = append(r.osc, v.String())
		case v.Kind() == reflect.Slice && v.Type().Elem() == cmdType: // tea.Sequence
			for i := range v.Len() {
				queue = append(queue, v.Index(i).Interface().(tea.Cmd))
			}
		default:
			_, next := a.Update(msg)
			queue = append(queue, next)
		}
	}
	return r
}

// copyApp is a started 120x40 app on one fake source with clip as the native clipboard.
func copyApp(t *testing.T, clip *fakeClip, tweak func(*Deps)) (*App, *fake.Source, client.Conversation) {
	t.Helper()
	tab, src := fakeTab("mw", 30)
	deps := testDeps(tab)
	deps.ExportDir = t.TempDir()
	if clip != nil {
		deps.Clipboard, deps.ClipboardName = clip.write, "fakeclip"
	}
	if tweak != nil {
		tweak(&deps)
	}
	a := start(t, newTestApp(t, deps))
	page, err := src.Conversations(context.Background(), client.Query{}, "")
	if err != nil || len(page.Conversations) == 0 {
		t.Fatalf("fake page: %v", err)
	}
	return a, src, page.Conversations[0]
}

func render(t *testing.T, f transcript.Format, c client.Conversation, opt transcript.Options) string {
	t.Helper()
	var b bytes.Buffer
	if _, err := transcript.Render(&b, f, c, fake.Thread(c), opt); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestCopyThreadMarkdown(t *testing.T) {
	clip := &fakeClip{}
	a, _, c := copyApp(t, clip, nil)
	r := runCopy(t, a, press("y"))
	want := render(t, transcript.FormatMarkdown, c, transcript.Options{Kind: "fake"})
	if len(r.osc) != 1 || r.osc[0] != want {
		t.Fatalf("OSC 52 got %d texts; want the Markdown transcript:\n%s", len(r.osc), want)
	}
	if len(clip.got) != 1 || clip.got[0] != want {
		t.Errorf("native clipboard got %q", clip.got)
	}
	wantStatus := fmt.Sprintf("Copied thread (7 messages, %s) via OSC 52 + fakeclip", storeclip.HumanBytes(int64(len(want))))
	if got := r.lastStatus(); got != wantStatus {
		t.Errorf("status %q, want %q", got, wantStatus)
	}
	if !strings.Contains(a.View().Content, "Copied thread (7 messages") {
		t.Errorf("the status bar does not show the copy:\n%s", a.View().Content)
	}
}

func TestCopyThreadJSON(t *testing.T) {
	a, _, c := copyApp(t, &fakeClip{}, nil)
	r := runCopy(t, a, press("Y"))
	if len(r.osc) != 1 {
		t.Fatalf("OSC 52 got %d texts", len(r.osc))
	}
	var doc struct {
		Conversation client.Conversation  `json:"conversation"`
		Interactions []client.Interaction `json:"interactions"`
	}
	if err := json.Unmarshal([]byte(r.osc[0]), &doc); err != nil || doc.Conversation.ID != c.ID || len(doc.Interactions) != 7 {
		t.Errorf("JSON copy: %v, id %q, %d interactions", err, doc.Conversation.ID, len(doc.Interactions))
	}
	if !strings.HasPrefix(r.lastStatus(), "Copied thread as JSON (7 messages") {
		t.Errorf("status %q", r.lastStatus())
	}
}

// TestCopyLoadsThreadFirst: on a narrow terminal nothing is previewed, so y loads the thread
// (with the pane's spinner and a status line) and copies when it arrives.
func TestCopyLoadsThreadFirst(t *testing.T) {
	clip := &fakeClip{}
	a, src, c := copyApp(t, clip, nil)
	update(t, a, tea.WindowSizeMsg{Width: 60, Height: 30})
	update(t, a, press("j"), press("k")) // a selection change forgets nothing loaded yet
	if a.panes[0].Wide() {
		t.Fatal("the pane should be narrow")
	}
	before := len(src.Calls())
	r := runCopy(t, a, press("y"))
	if n := strings.Count(strings.Join(src.Calls()[before:], " "), "thread:"+c.ID); n != 1 {
		t.Errorf("thread requests after y: %v", src.Calls()[before:])
	}
	if len(r.status) < 2 || r.status[0].Text != "Loading the thread to copy…" {
		t.Errorf("statuses %+v", r.status)
	}
	if len(r.osc) != 1 || r.osc[0] != render(t, transcript.FormatMarkdown, c, transcript.Options{Kind: "fake"}) {
		t.Errorf("OSC 52 got %d texts", len(r.osc))
	}
}

func TestCopyThreadFailsToLoad(t *testing.T) {
	a, src, _ := copyApp(t, &fakeClip{}, nil)
	update(t, a, tea.WindowSizeMsg{Width: 60, Height: 30})
	update(t, a, press("j"), press("k"))
	src.FailThreads(errors.New("boom"))
	r := runCopy(t, a, press("y"))
	if len(r.osc) != 0 || !strings.Contains(r.lastStatus(), "Copy failed: the thread did not load") || r.status[len(r.status)-1].Level != LevelError {
		t.Errorf("osc %d, statuses %+v", len(r.osc), r.status)
	}
}

func TestCopyMessageSubtreeAndID(t *testing.T) {
	clip := &fakeClip{}
	a, _, c := copyApp(t, clip, nil)
	update(t, a, press("enter"), press("j")) // the thread view, on the bot's reply
	items := fake.Thread(c)

	r := runCopy(t, a, press("c"))
	if len(r.osc) != 1 || r.osc[0] != sanitize.Text(items[1].Text) {
		t.Errorf("c copied %q, want %q", r.osc, items[1].Text)
	}
	if !strings.HasPrefix(r.lastStatus(), "Copied message (") {
		t.Errorf("status %q", r.lastStatus())
	}

	r = runCopy(t, a, tea.KeyPressMsg{Code: 'y', Mod: tea.ModCtrl})
	want := render(t, transcript.FormatMarkdown, c, transcript.Options{Kind: "fake", Root: items[1].ID})
	if len(r.osc) != 1 || r.osc[0] != want {
		t.Fatalf("ctrl+y copied %q, want %q", r.osc, want)
	}
	if strings.Contains(want, "Orphaned") || !strings.Contains(want, "Hi, this is Sam") {
		t.Errorf("the subtree is wrong:\n%s", want)
	}
	if !strings.HasPrefix(r.lastStatus(), "Copied subtree (5 messages") {
		t.Errorf("status %q", r.lastStatus())
	}

	r = runCopy(t, a, press("i"))
	if len(r.osc) != 1 || r.osc[0] != c.ID || !strings.HasPrefix(r.lastStatus(), "Copied conversation id") {
		t.Errorf("i copied %q; status %q", r.osc, r.lastStatus())
	}
}

// TestCopyRedactToggle: R turns redaction on (the status bar says so when idle) and off.
func TestCopyRedactToggle(t *testing.T) {
	a, _, c := copyApp(t, &fakeClip{}, nil)
	r := runCopy(t, a, press("R"))
	if !a.redact || !strings.HasPrefix(r.lastStatus(), "Redaction on") {
		t.Fatalf("redact %v, status %q", a.redact, r.lastStatus())
	}
	a.status.clear(a.status.cur.ID)
	if !strings.Contains(a.View().Content, "redaction on (R)") {
		t.Errorf("the idle status bar does not show redaction")
	}
	r = runCopy(t, a, press("y"))
	want := render(t, transcript.FormatMarkdown, c, transcript.Options{Kind: "fake", Redact: true})
	if len(r.osc) != 1 || r.osc[0] != want || !strings.Contains(want, "**Redacted:**") {
		t.Errorf("redacted copy differs")
	}
	if !strings.Contains(r.lastStatus(), ", redacted)") {
		t.Errorf("status %q", r.lastStatus())
	}
	runCopy(t, a, press("R"))
	if a.redact {
		t.Error("R did not turn redaction off")
	}
}

// TestCopyPaths: which ways the text goes, and what the status bar says, for each
// combination of OSC 52 size cap and native clipboard.
func TestCopyPaths(t *testing.T) {
	tests := []struct {
		name    string
		native  bool
		fail    bool
		maxOSC  int
		wantOSC bool
		status  string // prefix
		file    bool
	}{
		{"osc and native", true, false, 0, true, "Copied thread (7 messages, ", false},
		{"osc only", false, false, 0, true, "Sent thread (7 messages, ", false},
		{"native fails", true, true, 0, true, "Sent thread (7 messages, ", false},
		{"over cap, native", true, false, 100, false, "Copied thread (7 messages, ", false},
		{"over cap, no native", false, false, 100, false, "Saved thread (7 messages, ", true},
		{"osc off, no native", false, false, -1, false, "Saved thread (7 messages, ", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var clip *fakeClip
			if tt.native {
				clip = &fakeClip{}
				if tt.fail {
					clip.err = errors.New("exit status 1")
				}
			}
			var dir string
			a, _, c := copyApp(t, clip, func(d *Deps) { d.ClipboardMaxOSC52 = tt.maxOSC; dir = d.ExportDir })
			r := runCopy(t, a, press("y"))
			if (len(r.osc) == 1) != tt.wantOSC {
				t.Errorf("OSC 52 sent %d texts, want %v", len(r.osc), tt.wantOSC)
			}
			if !strings.HasPrefix(r.lastStatus(), tt.status) {
				t.Errorf("status %q, want prefix %q", r.lastStatus(), tt.status)
			}
			if tt.fail && !strings.Contains(r.lastStatus(), "fakeclip failed: exit status 1") {
				t.Errorf("status %q does not report the native failure", r.lastStatus())
			}
			path := filepath.Join(dir, "conversation-"+c.ID+".md")
			fi, err := os.Stat(path)
			if tt.file != (err == nil) {
				t.Fatalf("file %s: %v, want it %v", path, err, tt.file)
			}
			if tt.file {
				b, _ := os.ReadFile(path)
				if fi.Mode().Perm() != 0o600 || string(b) != render(t, transcript.FormatMarkdown, c, transcript.Options{Kind: "fake"}) {
					t.Errorf("file mode %v, content %.80q", fi.Mode().Perm(), b)
				}
				if !strings.Contains(r.lastStatus(), path) && !strings.Contains(r.lastStatus(), "conversation-"+c.ID+".md") {
					t.Errorf("status %q does not name the file", r.lastStatus())
				}
			}
		})
	}
}

// TestCopyHostile: a copied transcript of the hostile conversation holds no control character.
func TestCopyHostile(t *testing.T) {
	a, _, _ := copyApp(t, &fakeClip{}, nil)
	update(t, a, keys(strings.Split(strings.Repeat("j", fake.HostileIndex), "")...)...)
	r := runCopy(t, a, press("y"))
	if len(r.osc) != 1 || !strings.Contains(r.osc[0], `\x1b]52;c;`) {
		t.Fatalf("copy of the hostile thread: %q", r.osc)
	}
	for _, ch := range r.osc[0] {
		if ch < 0x20 && ch != '\n' || ch == 0x7f || ch >= 0x80 && ch <= 0x9f {
			t.Fatalf("control character %U in the copy", ch)
		}
	}
}
