package main

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"charm.land/bubbles/v2/key"

	"github.com/confab-dev/confab/tui"
)

// These tests keep README.md honest: its key table matches the key map, its pictures exist,
// its config example passes `confab config check`, and its shell commands run.
//
// The README's shell convention, which TestREADMECommands relies on:
//   - Every ```sh block is run, in document order, as one bash script (as if pasted into one
//     shell), from the repository root, with `confab` (and `go run ./cmd/confab`) resolved to
//     the freshly built binary and HOME, XDG_CONFIG_HOME and XDG_STATE_HOME pointing at empty
//     temporary directories. Every command must exit 0 (set -e). Processes started in the
//     background (`&`) are killed when the script ends.
//   - A line whose trailing comment is `# needs WORD…` is run only when WORD is a program on
//     PATH (`# needs jq`, `# needs duckdb`); any other WORD (`credentials`, `network`) means it
//     is never run. In CI (CI set), the programs in ciRequired must be present.
//   - `go test` lines are not run (this test is part of them), nor `go build` lines (the test
//     builds the binary itself; `./confab` is resolved like `confab`); `confab demo …` lines
//     run in tmux: the TUI must show its tabs and quit with status 0 on `q`.
//   - ```text and ```toml blocks are not run; ```toml blocks are config examples and must pass
//     `confab config check`.

// ciRequired are the programs README lines may need that CI installs.
var ciRequired = map[string]bool{"jq": true}

func readREADME(t *testing.T) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// mdBlock is a fenced code block of the README.
type mdBlock struct {
	lang  string
	line  int // the line of the first line of code
	lines []string
}

func codeBlocks(md string) []mdBlock {
	var blocks []mdBlock
	var cur *mdBlock
	sc := bufio.NewScanner(strings.NewReader(md))
	for n := 1; sc.Scan(); n++ {
		l := sc.Text()
		if strings.HasPrefix(l, "```") {
			if cur == nil {
				cur = &mdBlock{lang: strings.TrimSpace(strings.TrimPrefix(l, "```")), line: n + 1}
			} else {
				blocks = append(blocks, *cur)
				cur = nil
			}
			continue
		}
		if cur != nil {
			cur.lines = append(cur.lines, l)
		}
	}
	return blocks
}

// section returns the README text from the heading "## name" to the next "## ".
func section(md, name string) string {
	_, rest, ok := strings.Cut(md, "\n## "+name+"\n")
	if !ok {
		return ""
	}
	if i := strings.Index(rest, "\n## "); i >= 0 {
		rest = rest[:i]
	}
	return rest
}

// keyRow is one row of the README's key table.
type keyRow struct{ keys, action string }

var backticked = regexp.MustCompile("`([^`]+)`")

func keyTable(t *testing.T, md string) []keyRow {
	t.Helper()
	var rows []keyRow
	for _, l := range strings.Split(section(md, "Keys"), "\n") {
		cells := strings.Split(strings.Trim(strings.TrimSpace(l), "|"), "|")
		if len(cells) < 3 || !strings.HasPrefix(l, "|") || strings.Contains(l, "---") || strings.TrimSpace(cells[0]) == "Key" {
			continue
		}
		rows = append(rows, keyRow{keys: strings.TrimSpace(cells[0]), action: strings.TrimSpace(cells[1])})
	}
	if len(rows) == 0 {
		t.Fatal("README.md has no key table under ## Keys")
	}
	return rows
}

// bindings returns every key.Binding in v (a struct), depth first, with its field path.
func bindings(v reflect.Value, path string, out map[string]key.Binding) {
	if b, ok := v.Interface().(key.Binding); ok {
		out[path] = b
		return
	}
	if v.Kind() != reflect.Struct {
		return
	}
	for i := 0; i < v.NumField(); i++ {
		if !v.Type().Field(i).IsExported() {
			continue
		}
		bindings(v.Field(i), path+"."+v.Type().Field(i).Name, out)
	}
}

// TestREADMEKeyTable checks that every binding of the key map has a row in the README's key
// table (its help key in the first column, its help text in the second), and that every row
// names a key the key map has.
func TestREADMEKeyTable(t *testing.T) {
	rows := keyTable(t, readREADME(t))
	all := map[string]key.Binding{}
	bindings(reflect.ValueOf(tui.DefaultKeyMap()), "KeyMap", all)
	if len(all) < 20 {
		t.Fatalf("found only %d bindings in tui.DefaultKeyMap(): the reflection walk is broken", len(all))
	}
	helpKeys := map[string]bool{}
	for path, b := range all {
		h := b.Help()
		if h.Key == "" {
			continue
		}
		helpKeys[h.Key] = true
		found := false
		for _, r := range rows {
			if strings.HasPrefix(r.keys, "`"+h.Key+"`") && strings.Contains(r.action, h.Desc) {
				found = true
				break
			}
		}
		if !found {
			t.Errorf("%s (%q %q) has no row | `%s` | %s … | in README.md's key table", path, h.Key, h.Desc, h.Key, h.Desc)
		}
	}
	for _, r := range rows {
		m := backticked.FindStringSubmatch(r.keys)
		if m == nil || !helpKeys[m[1]] {
			t.Errorf("README.md's key table lists %s (%s), which is not a help key of tui.DefaultKeyMap()", r.keys, r.action)
		}
	}
}

var mdImage = regexp.MustCompile(`!\[[^\]]*\]\(([^)\s]+)\)`)

// TestREADMEPictures checks that the README shows pictures and that each one is a PNG or GIF
// in the repository.
func TestREADMEPictures(t *testing.T) {
	imgs := mdImage.FindAllStringSubmatch(readREADME(t), -1)
	if len(imgs) < 2 {
		t.Fatalf("README.md shows %d pictures; want the list + thread view and the filter bar", len(imgs))
	}
	for _, m := range imgs {
		data, err := os.ReadFile(filepath.Join("..", "..", filepath.FromSlash(m[1])))
		if err != nil {
			t.Errorf("README.md picture: %v", err)
			continue
		}
		if !strings.HasPrefix(string(data), "\x89PNG\r\n\x1a\n") && !strings.HasPrefix(string(data), "GIF8") {
			t.Errorf("README.md picture %s is neither a PNG nor a GIF", m[1])
		}
	}
}

// TestREADMEConfig checks every ```toml block of the README with `confab config check`.
func TestREADMEConfig(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary; skipped in -short mode")
	}
	var tomls []mdBlock
	for _, b := range codeBlocks(readREADME(t)) {
		if b.lang == "toml" {
			tomls = append(tomls, b)
		}
	}
	if len(tomls) == 0 {
		t.Fatal("README.md has no ```toml config example")
	}
	bin := buildBinary(t)
	for _, b := range tomls {
		path := filepath.Join(t.TempDir(), "config.toml")
		if err := os.WriteFile(path, []byte(strings.Join(b.lines, "\n")+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command(bin, "--config", path, "config", "check").CombinedOutput()
		if err != nil || strings.Contains(string(out), "warning") {
			t.Errorf("README.md line %d: the config example does not pass cleanly: %v\n%s", b.line, err, out)
		}
	}
}

var needsComment = regexp.MustCompile(`#\s*needs\s+([A-Za-z0-9_.-]+)[^#]*$`)

// readmeScript is the bash script of the README's runnable sh lines, the demo lines to run in
// tmux, and the lines it skipped (for the log).
func readmeScript(t *testing.T, md string) (script string, demos, skipped []string) {
	t.Helper()
	var b strings.Builder
	b.WriteString("set -eE\ntrap 'echo \"README.md:$readme_line failed: $BASH_COMMAND\" >&2' ERR\n")
	for _, blk := range codeBlocks(md) {
		if blk.lang != "sh" {
			continue
		}
		for i := 0; i < len(blk.lines); i++ {
			n := blk.line + i
			l := blk.lines[i]
			for strings.HasSuffix(l, "\\") && i+1 < len(blk.lines) {
				i++
				l = strings.TrimSuffix(l, "\\") + "\n" + blk.lines[i]
			}
			cmd := strings.TrimSpace(l)
			if cmd == "" || strings.HasPrefix(cmd, "#") {
				continue
			}
			cmd = strings.ReplaceAll(cmd, "go run ./cmd/confab", "confab")
			if rest, ok := strings.CutPrefix(cmd, "./confab "); ok {
				cmd = "confab " + rest
			}
			if m := needsComment.FindStringSubmatch(cmd); m != nil {
				prog := m[1]
				if _, err := exec.LookPath(prog); err != nil {
					if os.Getenv("CI") != "" && ciRequired[prog] {
						t.Fatalf("README.md:%d needs %s, which CI must install", n, prog)
					}
					skipped = append(skipped, fmt.Sprintf("README.md:%d (needs %s): %s", n, prog, cmd))
					continue
				}
			}
			switch {
			case strings.HasPrefix(cmd, "go test"):
				skipped = append(skipped, fmt.Sprintf("README.md:%d (this test is part of it): %s", n, cmd))
				continue
			case strings.HasPrefix(cmd, "go build"):
				skipped = append(skipped, fmt.Sprintf("README.md:%d (the test builds the binary): %s", n, cmd))
				continue
			case strings.HasPrefix(cmd, "confab demo"):
				demos = append(demos, fmt.Sprintf("%d\x00%s", n, cmd))
				continue
			}
			fmt.Fprintf(&b, "readme_line=%d\n%s\n", n, cmd)
		}
	}
	return b.String(), demos, skipped
}

// TestREADMECommands runs the README's shell commands (see the convention above).
func TestREADMECommands(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end test skipped in -short mode")
	}
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("bash not installed")
	}
	md := readREADME(t)
	script, demos, skipped := readmeScript(t, md)
	for _, s := range skipped {
		t.Logf("not run: %s", s)
	}
	if !strings.Contains(script, "confab list") || len(demos) == 0 {
		t.Fatalf("README.md's sh blocks lost their commands (no confab list, no demo):\n%s", script)
	}
	bin := buildBinary(t)
	home := t.TempDir()
	env := append(os.Environ(),
		"PATH="+filepath.Dir(bin)+string(os.PathListSeparator)+os.Getenv("PATH"),
		"HOME="+home, "XDG_CONFIG_HOME="+filepath.Join(home, ".config"),
		"XDG_STATE_HOME="+filepath.Join(home, ".local", "state"), "TMPDIR="+t.TempDir(), "CONFAB_CONFIG=")
	for _, k := range []string{"CONFAB_SECRET_MW", "CONFAB_SECRET_TD", "CONFAB_SECRET_OD"} {
		env = append(env, k+"=")
	}

	t.Run("sh blocks", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		stdout, err := os.Create(filepath.Join(t.TempDir(), "stdout"))
		if err != nil {
			t.Fatal(err)
		}
		defer stdout.Close()
		cmd := exec.CommandContext(ctx, "bash", "-c", script)
		cmd.Dir = filepath.Join("..", "..")
		cmd.Env = env
		// Files, not pipes: a background process holding a pipe would keep Wait waiting.
		cmd.Stdout, cmd.Stderr = stdout, stdout
		cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
		cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
		runErr := cmd.Run()
		// Whatever the script left in the background (the mock if a line failed) goes too.
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGTERM)
		out, _ := os.ReadFile(stdout.Name())
		if runErr != nil {
			t.Fatalf("README.md's shell commands failed: %v\n%s", runErr, out)
		}
		t.Logf("output:\n%s", out)
	})

	for _, d := range demos {
		line, cmdline, _ := strings.Cut(d, "\x00")
		t.Run("demo line "+line, func(t *testing.T) {
			args := shellFields(t, strings.TrimPrefix(cmdline, "confab "))
			s := startTmux(t, 120, 40, append([]string{bin}, args...)...)
			s.waitFor("the TUI with its tabs", contains("1 mw", "2 td", "3 od", "q quit"))
			s.keys("q")
			if code := s.waitExit(); code != 0 {
				t.Fatalf("README.md:%s %q exited with status %d", line, cmdline, code)
			}
		})
	}
}

// shellFields splits a simple command line: words separated by spaces, '…' quoting, and a
// trailing # comment.
func shellFields(t *testing.T, s string) []string {
	t.Helper()
	var out []string
	var cur strings.Builder
	in, quoted := false, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quoted:
			if c == '\'' {
				quoted = false
			} else {
				cur.WriteByte(c)
			}
		case c == '\'':
			quoted, in = true, true
		case c == '#' && !in:
			i = len(s)
		case c == ' ' || c == '\t':
			if in {
				out = append(out, cur.String())
				cur.Reset()
				in = false
			}
		case c == '"' || c == '$' || c == '`' || c == '\\' || c == '|' || c == '>' || c == '&' || c == ';':
			t.Fatalf("README demo line %q: only plain words and '…' quotes are supported", s)
		default:
			cur.WriteByte(c)
			in = true
		}
	}
	if quoted {
		t.Fatalf("README demo line %q: unterminated quote", s)
	}
	if in {
		out = append(out, cur.String())
	}
	return out
}

func TestShellFields(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"demo", []string{"demo"}},
		{"demo --faults 'a=1,b=2' --hostile   # comment", []string{"demo", "--faults", "a=1,b=2", "--hostile"}},
		{"demo     # the TUI; q quits", []string{"demo"}},
	}
	for _, tt := range tests {
		if got := shellFields(t, tt.in); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("shellFields(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
