package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/confab-dev/confab/store/secret"
)

// The start of `confab demo` (issue 18, item 7): what its first frame shows and when.
//
// "First frame" is the first screen with the tab bar (" 1 mw "): the tabs and each list's
// loading state or rows. "First row" is the first screen with conversation rows (the list's
// "N loaded" footer). The first run has no store yet; a later run opens on the demo's own
// store ($XDG_CACHE_HOME/confab/demo-seed<N>.db).

const (
	startFrameMark = " 1 mw "  // the tab bar
	startRowMark   = " loaded" // the list's footer under its rows
	startLoading   = "Loading conversations…"
)

// TestE2EDemoFirstFrameBeforeCorpus: with the mock vendors held back (a confab_testhold
// build: no corpus is generated until the test says so), the first demo shows its tabs and
// the loading list, then its rows once released; the second demo shows the rows its store
// holds while its vendors are still held, then refreshes them. No figure is asserted: what
// is checked is that neither frame waits for a corpus.
func TestE2EDemoFirstFrameBeforeCorpus(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end test skipped in -short mode")
	}
	bin := buildBinary(t, "confab_testhold")
	cacheDir := t.TempDir()
	for i, run := range []struct {
		name       string
		first      func(string) bool // the screen shown while the vendors are held
		afterwards string            // what shows once they are released
	}{
		{"first run, no store", func(scr string) bool {
			return strings.Contains(scr, startFrameMark) && strings.Contains(scr, startLoading)
		}, startRowMark},
		{"second run, from the store", contains(startFrameMark, startRowMark), "synced"},
	} {
		hold := filepath.Join(t.TempDir(), "release")
		s := startTmuxEnv(t, 120, 40, cacheDir, []string{"CONFAB_TEST_DEMO_HOLD=" + hold}, bin, "demo", "--seed", "7")
		scr := s.waitFor(run.name+": the first frame while no corpus exists", run.first)
		if i == 0 && strings.Contains(scr, startRowMark) {
			t.Fatalf("%s: rows before any vendor started:\n%s", run.name, scr)
		}
		if err := os.WriteFile(hold, nil, 0o600); err != nil {
			t.Fatal(err)
		}
		s.waitFor(run.name+": "+run.afterwards, contains(run.afterwards))
		s.keys("q")
		if code := s.waitExit(); code != 0 {
			t.Fatalf("%s: exit status %d", run.name, code)
		}
	}
}

// TestE2EDemoAsksTmuxInfoOnce: inside tmux, the colour profile is detected once (lipgloss,
// at init, runs `tmux info`); the TUI reuses it instead of running `tmux info` again on the
// way to its first frame.
func TestE2EDemoAsksTmuxInfoOnce(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end test skipped in -short mode")
	}
	real, err := exec.LookPath("tmux")
	if err != nil {
		t.Skip("tmux not installed")
	}
	bin := buildBinary(t)
	fake, log := t.TempDir(), filepath.Join(t.TempDir(), "tmux.log")
	script := "#!/bin/sh\necho \"$1\" >> " + secret.ShellQuote(log) + "\nexec " + secret.ShellQuote(real) + " \"$@\"\n"
	if err := os.WriteFile(filepath.Join(fake, "tmux"), []byte(script), 0o700); err != nil {
		t.Fatal(err)
	}
	// tmux gives a new pane its client's PATH whatever -e says: env(1) sets it.
	s := startTmuxCache(t, 120, 40, t.TempDir(), "env", "PATH="+fake+string(os.PathListSeparator)+os.Getenv("PATH"),
		bin, "demo", "--seed", "7")
	s.waitFor("the conversation list", contains(startRowMark))
	s.keys("q")
	if code := s.waitExit(); code != 0 {
		t.Fatalf("confab demo exited with status %d", code)
	}
	b, err := os.ReadFile(log)
	if err != nil {
		t.Fatalf("the fake tmux never ran (%v): the test does not see what it should", err)
	}
	if n := strings.Count(string(b), "info\n"); n != 1 {
		t.Errorf("`tmux info` ran %d times, want once (lipgloss's detection, reused by the TUI); tmux commands:\n%s", n, b)
	}
}

// startTimes is when a program started in tmux first showed something: from the moment tmux
// was asked to start it.
type startTimes struct {
	frame, row time.Duration
}

// measureStart starts args in a fresh tmux server at 120x40 with XDG_CACHE_HOME at cacheDir,
// polls the screen until it shows frameMark (the first frame) and rowMark (the first row),
// then (quit) presses q and waits for the program to end, and stops the server.
func measureStart(tb testing.TB, cacheDir string, quit bool, frameMark, rowMark string, args ...string) startTimes {
	tb.Helper()
	socket := fmt.Sprintf("confab-start-%d-%d", os.Getpid(), time.Now().UnixNano())
	tmux := func(args ...string) (string, error) {
		out, err := exec.Command("tmux", append([]string{"-L", socket}, args...)...).CombinedOutput()
		return string(out), err
	}
	defer func() { _, _ = tmux("kill-server") }()
	home := tb.TempDir()
	start := time.Now()
	if out, err := tmux(append([]string{"-f", "/dev/null", "new-session", "-d", "-x", "120", "-y", "40",
		"-e", "TERM=xterm-256color", "-e", "HOME=" + home, "-e", "XDG_CONFIG_HOME=" + home, "-e", "XDG_CACHE_HOME=" + cacheDir},
		args...)...); err != nil {
		tb.Fatalf("tmux new-session: %v\n%s", err, out)
	}
	var got startTimes
	var scr string
	for time.Since(start) < 30*time.Second {
		scr, _ = tmux("capture-pane", "-p")
		if got.frame == 0 && strings.Contains(scr, frameMark) {
			got.frame = time.Since(start)
		}
		if strings.Contains(scr, rowMark) {
			got.row = time.Since(start)
			if got.frame == 0 {
				got.frame = got.row
			}
			if quit {
				_, _ = tmux("send-keys", "-t", "0", "q")
				for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
					if _, err := tmux("has-session"); err != nil {
						return got // the program ended, and its session with it
					}
				}
				tb.Fatalf("%v did not end after q", args)
			}
			return got
		}
		time.Sleep(time.Millisecond)
	}
	tb.Fatalf("%v: no %q after 30 s; screen:\n%s", args, rowMark, scr)
	return got
}

// BenchmarkDemoStart measures the start of `confab demo` in tmux at 120x40, interleaved with
// its anchor: tmux starting `sh -c 'echo …'` until its line shows. Each iteration runs the
// anchor, a first demo (a fresh XDG_CACHE_HOME: no store) and a second demo on the store the
// first left, and reports the medians over the iterations (ms, from asking tmux to start the
// program): anchor-ms; first-frame-ms and first-row-ms (first run); store-frame-ms and
// store-row-ms (later run). ns/op is one iteration's wall time and means little. With
// CONFAB_DEMO_START_OLD naming another confab binary (e.g. built from an older commit), each
// iteration runs it too, interleaved, and reports old-first-frame-ms and so on beside.
//
//	go test ./cmd/confab -run XXX -bench DemoStart -benchtime 5x
func BenchmarkDemoStart(b *testing.B) {
	if _, err := exec.LookPath("tmux"); err != nil {
		b.Skip("tmux not installed")
	}
	bin := filepath.Join(b.TempDir(), "confab")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		b.Fatalf("go build: %v\n%s", err, out)
	}
	bins := []struct{ prefix, path string }{{"", bin}}
	if old := os.Getenv("CONFAB_DEMO_START_OLD"); old != "" {
		bins = append(bins, struct{ prefix, path string }{"old-", old})
	}
	figures := map[string][]time.Duration{}
	const anchorLine = "anchor-ready"
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		a := measureStart(b, b.TempDir(), false, anchorLine, anchorLine, "sh", "-c", "echo "+anchorLine+"; sleep 30")
		figures["anchor-ms"] = append(figures["anchor-ms"], a.row)
		line := fmt.Sprintf("run %d: anchor %v", i, ms(a.row))
		for j := range bins {
			c := bins[(i+j)%len(bins)] // each binary first in turn
			cacheDir := b.TempDir()
			first := measureStart(b, cacheDir, true, startFrameMark, startRowMark, c.path, "demo", "--seed", "7")
			stored := measureStart(b, cacheDir, true, startFrameMark, startRowMark, c.path, "demo", "--seed", "7")
			line += fmt.Sprintf(" | %sfirst run: frame %v, row %v; from the store: frame %v, row %v", c.prefix,
				ms(first.frame), ms(first.row), ms(stored.frame), ms(stored.row))
			for unit, d := range map[string]time.Duration{"first-frame-ms": first.frame, "first-row-ms": first.row,
				"store-frame-ms": stored.frame, "store-row-ms": stored.row} {
				figures[c.prefix+unit] = append(figures[c.prefix+unit], d)
			}
		}
		b.Log(line)
	}
	b.StopTimer()
	for unit, ds := range figures {
		b.ReportMetric(float64(median(ds).Microseconds())/1000, unit)
	}
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}

func ms(d time.Duration) time.Duration { return d.Round(time.Millisecond) }
