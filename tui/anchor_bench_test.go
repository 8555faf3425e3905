package tui

import (
	"context"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/pprof"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"charm.land/bubbles/v2/list"
	"charm.land/bubbles/v2/paginator"
	"charm.land/bubbles/v2/table"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"

	"github.com/confab-dev/confab/client"
	"github.com/confab-dev/confab/tui/internal/fake"
)

// The anchors: stock Bubble Tea components run on the same fake rows, with the same key
// pattern (j×30 then k×30) and the same window as BenchmarkKeypress, so confab's figures can be
// read beside them from one run on a noisy machine (docs/PERFORMANCE.md).

// anchorSizes are the numbers of loaded rows of BenchmarkKeypress.
var anchorSizes = []int{1_000, 100_000, 1_000_000}

// dotsMax is the largest list the dots paginator anchor runs: its View draws one dot per page
// (26,000 dots at 1,000,000 rows, every one styled) and takes minutes a key there.
const dotsMax = 100_000

// anchorRow is one fake conversation as a stock list item: the cells confab's list shows
// (time, user, attributes, summary) in one line.
type anchorRow struct{ title, desc string }

func (r anchorRow) Title() string       { return r.title }
func (r anchorRow) Description() string { return r.desc }
func (r anchorRow) FilterValue() string { return r.title }

// anchorConvs are the n conversations of the fake source BenchmarkKeypress loads.
func anchorConvs(b *testing.B, n int) []client.Conversation {
	b.Helper()
	src := fake.New("moveworks", n, 1)
	p, err := src.Conversations(context.Background(), client.Query{PageSize: n}, "")
	if err != nil || len(p.Conversations) != n {
		b.Fatalf("fake rows: %d, %v", len(p.Conversations), err)
	}
	return p.Conversations
}

// anchorCells are a conversation's cells as plain strings: time, user, attributes, summary.
func anchorCells(c client.Conversation) [4]string {
	attrs := make([]string, 0, len(c.Attrs))
	for _, kv := range c.Attrs {
		attrs = append(attrs, kv.Value)
	}
	return [4]string{c.Started.UTC().Format("Jan 02 15:04"), c.UserID, strings.Join(attrs, " · "), c.Summary}
}

// anchorList is a stock bubbles list of the conversations at w×h, one line per row (no
// description, no spacing, as confab's list), with the given paginator.
func anchorList(convs []client.Conversation, w, h int, pag paginator.Type) list.Model {
	items := make([]list.Item, len(convs))
	for i, c := range convs {
		cells := anchorCells(c)
		items[i] = anchorRow{title: cells[0] + "  " + cells[1] + "  " + cells[2] + "  " + cells[3]}
	}
	d := list.NewDefaultDelegate()
	d.ShowDescription = false
	d.SetHeight(1)
	d.SetSpacing(0)
	l := list.New(items, d, w, h)
	l.Title = "Conversations"
	l.Paginator.Type = pag
	l.SetSize(w, h) // recomputes the pages for the paginator's type
	return l
}

// anchorTable is a stock bubbles table of the conversations at w×h.
func anchorTable(convs []client.Conversation, w, h int) table.Model {
	rows := make([]table.Row, len(convs))
	for i, c := range convs {
		cells := anchorCells(c)
		rows[i] = table.Row{cells[0], cells[1], cells[2], cells[3]}
	}
	return table.New(table.WithColumns([]table.Column{{Title: "Time", Width: 12}, {Title: "User", Width: 12},
		{Title: "Details", Width: 34}, {Title: "Summary", Width: w - 12 - 12 - 34 - 8}}),
		table.WithRows(rows), table.WithHeight(h-2), table.WithWidth(w), table.WithFocused(true))
}

// keyLoop runs b.Loop with BenchmarkKeypress's key pattern: j 30 times, then k 30 times.
func keyLoop(b *testing.B, step func(k tea.KeyPressMsg)) {
	down, up := press("j"), press("k")
	runtime.GC() // collect the setup garbage outside the timing
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		k := down
		if i%60 >= 30 {
			k = up
		}
		step(k)
	}
}

// BenchmarkKeypressAnchors runs the stock bubbles list (Arabic and dots paginators) and
// table with BenchmarkKeypress's rows, keys and 120x40 window: Update with the key, then View.
// The dots list stops at dotsMax rows (b.Skip above it): see dotsMax.
func BenchmarkKeypressAnchors(b *testing.B) {
	const w, h = 120, 40
	for _, n := range anchorSizes {
		convs := anchorConvs(b, n)
		for _, pag := range []struct {
			name string
			typ  paginator.Type
		}{{"arabic", paginator.Arabic}, {"dots", paginator.Dots}} {
			b.Run(fmt.Sprintf("list-%s/n=%d", pag.name, n), func(b *testing.B) {
				if pag.typ == paginator.Dots && n > dotsMax {
					b.Skipf("the dots paginator draws one dot per page: %d dots a frame at n=%d "+
						"takes minutes a key; run only up to n=%d", n/(h-6), n, dotsMax)
				}
				l := anchorList(convs, w, h, pag.typ)
				l.Select(n / 2)
				keyLoop(b, func(k tea.KeyPressMsg) {
					l, _ = l.Update(k)
					_ = l.View()
				})
			})
		}
		b.Run(fmt.Sprintf("table/n=%d", n), func(b *testing.B) {
			t := anchorTable(convs, w, h)
			t.SetCursor(n / 2)
			keyLoop(b, func(k tea.KeyPressMsg) {
				t, _ = t.Update(k)
				_ = t.View()
			})
		})
	}
}

// countingWriter is a real program's terminal: it counts the bytes and writes, and tells a
// waiter about every write.
type countingWriter struct {
	bytes, writes atomic.Int64
	wrote         chan struct{}
}

func newCountingWriter() *countingWriter { return &countingWriter{wrote: make(chan struct{}, 1)} }

func (w *countingWriter) Write(p []byte) (int, error) {
	w.bytes.Add(int64(len(p)))
	w.writes.Add(1)
	select {
	case w.wrote <- struct{}{}:
	default:
	}
	return len(p), nil
}

// viewCounter wraps a model and notes, for every View, how many writes the terminal had seen:
// the frame of that View is the next write.
type viewCounter struct {
	inner  tea.Model
	out    *countingWriter
	views  atomic.Int64
	before atomic.Int64 // out.writes when the last View was made

	ready   func() bool // asked in View, on the program's goroutine; nil: ready at once
	isReady atomic.Bool // ready said true
}

func (m *viewCounter) Init() tea.Cmd { return m.inner.Init() }

func (m *viewCounter) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	var cmd tea.Cmd
	m.inner, cmd = m.inner.Update(msg)
	return m, cmd
}

func (m *viewCounter) View() tea.View {
	v := m.inner.View()
	if m.ready == nil || m.ready() {
		m.isReady.Store(true)
	}
	m.before.Store(m.out.writes.Load())
	m.views.Add(1)
	return v
}

// listModel is a stock list as a tea.Model.
type listModel struct{ l list.Model }

func (m *listModel) Init() tea.Cmd { return nil }

func (m *listModel) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	var cmd tea.Cmd
	m.l, cmd = m.l.Update(msg)
	return m, cmd
}

func (m *listModel) View() tea.View {
	v := tea.NewView(m.l.View())
	v.AltScreen = true
	return v
}

// cpuTime is the process's user and system CPU time so far.
func cpuTime(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// runProgram drives model through a real tea.Program (no input, a counting writer as the
// terminal, a fixed w×h window, 120 FPS, true colour) with BenchmarkKeypress's key pattern:
// one key at a time, each sent with p.Send, and the next only once the frame of that key was
// written. It reports the wall time per key (ns/op: from Send to the frame written, which
// includes waiting for the renderer's next tick), the CPU time of the whole process per key
// (cpu-ns/key: Update, View, the renderer and the Cmds), the bytes written per key and the
// Views made per key (every message, a spinner's tick too, makes one).
//
// ready, when not nil, is asked in View (on the program's goroutine, as Update): the keys
// wait until it said true (confab: the 1M rows loaded, which a loaded machine can take
// seconds over; keys sent earlier measured the load, 6–10 ms a key).
func runProgram(b *testing.B, model tea.Model, w, h int, ready func() bool) {
	out := newCountingWriter()
	vc := &viewCounter{inner: model, out: out, ready: ready}
	ctx, cancel := context.WithCancel(b.Context())
	defer cancel()
	p := tea.NewProgram(vc, tea.WithContext(ctx), tea.WithInput(nil), tea.WithOutput(out),
		tea.WithWindowSize(w, h), tea.WithFPS(120), tea.WithoutSignalHandler(),
		tea.WithColorProfile(colorprofile.TrueColor), tea.WithEnvironment([]string{"TERM=xterm-256color"}))
	done := make(chan error, 1)
	go func() { _, err := p.Run(); done <- err }()

	// frame waits until the terminal has the frame of the latest View made after views
	// reached want; false if none came within a second (the frame did not change).
	frame := func(want int64) bool {
		deadline := time.NewTimer(time.Second)
		defer deadline.Stop()
		for vc.views.Load() < want || out.writes.Load() <= vc.before.Load() {
			select {
			case <-out.wrote:
			case <-deadline.C:
				return false
			}
		}
		return true
	}
	if !frame(1) {
		b.Fatal("no first frame")
	}
	for wait := time.Now(); !vc.isReady.Load(); {
		if time.Since(wait) > time.Minute {
			b.Fatal("not ready after a minute")
		}
		time.Sleep(10 * time.Millisecond)
	}
	// Let Init's Cmds land: the first page, and confab's first preview (its pause is 100 ms),
	// so that while the keys run its thread column shows that preview dimmed, as a user
	// holding j sees it, not a race between it and "Loading thread…".
	time.Sleep(300 * time.Millisecond)
	down, up := press("j"), press("k")
	for range 10 { // warm up
		p.Send(down)
		frame(vc.views.Load() + 1)
	}
	runtime.GC()
	missed := 0
	bytes0, views0 := out.bytes.Load(), vc.views.Load()
	stopProfile := keyProfile(b)
	cpu0 := cpuTime(b)
	b.ResetTimer()
	i := 0
	for ; b.Loop(); i++ {
		k := down
		if i%60 >= 30 {
			k = up
		}
		want := vc.views.Load() + 1
		p.Send(k)
		if !frame(want) {
			missed++
		}
	}
	b.StopTimer()
	cpu := cpuTime(b) - cpu0
	stopProfile()
	b.ReportMetric(float64(cpu.Nanoseconds())/float64(i), "cpu-ns/key")
	b.ReportMetric(float64(out.bytes.Load()-bytes0)/float64(i), "B-out/key")
	b.ReportMetric(float64(vc.views.Load()-views0)/float64(i), "views/key")
	if missed > 0 {
		b.ReportMetric(float64(missed), "missed-frames")
	}
	p.Quit()
	select {
	case err := <-done:
		if err != nil && !strings.Contains(err.Error(), "context canceled") {
			b.Fatal(err)
		}
	case <-time.After(5 * time.Second):
		b.Fatal("the program did not quit")
	}
}

// keyProfile writes a CPU profile of the timed keys alone (not the load before them) when
// CONFAB_KEYPROF names a file prefix: PREFIX.<benchmark name>. It returns what stops it.
func keyProfile(b *testing.B) func() {
	prefix := os.Getenv("CONFAB_KEYPROF")
	if prefix == "" {
		return func() {}
	}
	f, err := os.Create(prefix + "." + strings.ReplaceAll(b.Name(), "/", "_"))
	if err != nil {
		b.Fatal(err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		b.Fatal(err)
	}
	return func() {
		pprof.StopCPUProfile()
		if err := f.Close(); err != nil {
			b.Error(err)
		}
	}
}

// counterModel draws next to nothing: one number that changes with every key, on an
// otherwise empty frame. Through a real program it shows what Bubble Tea itself costs a key at
// that window size, whatever the model: its renderer parses the frame, then compares, hashes
// and measures every line of the window on every frame (ultraviolet's StyledString.Draw
// first sets every cell, so every line counts as touched), and blank lines cost it as much
// as drawn ones, or more (it also looks for the screen's blank bottom).
type counterModel struct{ keys int }

func (m *counterModel) Init() tea.Cmd { return nil }

func (m *counterModel) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if _, ok := msg.(tea.KeyPressMsg); ok {
		m.keys++
	}
	return m, nil
}

func (m *counterModel) View() tea.View {
	v := tea.NewView(strconv.Itoa(m.keys))
	v.AltScreen = true
	return v
}

// BenchmarkProgramKeypress measures one key through a real tea.Program at 200x50 with
// 1,000,000 loaded rows, for confab's App and for a stock bubbles list (Arabic paginator) of
// the same rows: wall time per key (ns/op) and CPU time per key (cpu-ns/key). A third
// program, counter, draws only a number (see counterModel): what a key costs through the same
// program and window when the model does next to nothing.
func BenchmarkProgramKeypress(b *testing.B) {
	const n, w, h = 1_000_000, 200, 50
	b.Run(fmt.Sprintf("confab/n=%d", n), func(b *testing.B) {
		tab, src := fakeTab("moveworks", n)
		src.PageSize = n
		d := testDeps(tab)
		d.tick = nil // real ticks: the preview's debounce as in the program
		st := NewStyles(DefaultPalette(), true)
		d.styles = &st
		a := New(d)
		defer a.close()
		// The root model Run gives the program: the guard, which hands the renderer the
		// frame without its unstyled padding (frametrim.go).
		runProgram(b, newGuard(a, func() {}), w, h, func() bool { return a.panes[0].Len() == n })
		if a.panes[0].Len() != n {
			b.Fatalf("%d loaded", a.panes[0].Len())
		}
	})
	b.Run(fmt.Sprintf("anchor=list-arabic/n=%d", n), func(b *testing.B) {
		l := anchorList(anchorConvs(b, n), w, h, paginator.Arabic)
		l.Select(n / 2)
		runProgram(b, &listModel{l: l}, w, h, nil)
	})
	b.Run("anchor=counter", func(b *testing.B) {
		runProgram(b, &counterModel{}, w, h, nil)
	})
}

var _ io.Writer = (*countingWriter)(nil)
