// Package history keeps the filters a user applied, one file per source in the XDG state
// directory ($XDG_STATE_HOME/confab/history/<source>.txt, else ~/.local/state/…): one filter
// a line, oldest first, duplicates collapsed to their latest use, at most a bounded number of
// lines. Files are written atomically with mode 0600 in a directory of mode 0700.
//
// The package does no I/O of its own accord and never imports Bubble Tea: the TUI calls it
// from commands.
package history

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/confab-dev/confab/store/atomicfile"
	"github.com/confab-dev/confab/store/xdg"
)

// DefaultMax is the number of entries a history file keeps unless told otherwise.
const DefaultMax = 200

// maxEntryLen bounds one entry (bytes); longer filters are not remembered.
const maxEntryLen = 4096

// Dir returns the directory history files live in: $XDG_STATE_HOME/confab/history, or
// $HOME/.local/state/confab/history when XDG_STATE_HOME is unset or not absolute.
func Dir(getenv func(string) string) (string, error) {
	d, err := xdg.StateDir(getenv)
	if err != nil {
		return "", fmt.Errorf("history directory: %w", err)
	}
	return filepath.Join(d, "history"), nil
}

// Path is the history file of source in dir. Characters other than letters, digits, '.',
// '-' and '_' in the source name become '_', so a name can never leave dir.
func Path(dir, source string) string {
	var b strings.Builder
	for _, r := range source {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_':
			b.WriteRune(r)
		case r == '.' && b.Len() > 0:
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	name := b.String()
	if name == "" {
		name = "_"
	}
	return filepath.Join(dir, name+".txt")
}

// Load reads the history at path, oldest first. A missing file is an empty history.
func Load(ctx context.Context, path string) ([]string, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("load history: %w", err)
	}
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("load history: %w", err)
	}
	return parse(data), nil
}

// parse splits data into entries, dropping blank lines and collapsing duplicates.
func parse(data []byte) []string {
	var out []string
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	for sc.Scan() {
		if e := clean(sc.Text()); e != "" {
			out = push(out, e)
		}
	}
	return out
}

// clean trims an entry; entries with line breaks or over the length limit are refused ("").
func clean(e string) string {
	e = strings.TrimSpace(e)
	if len(e) > maxEntryLen || strings.ContainsAny(e, "\r\n") {
		return ""
	}
	return e
}

// push appends e to entries, removing an earlier copy.
func push(entries []string, e string) []string {
	for i, x := range entries {
		if x == e {
			entries = append(entries[:i], entries[i+1:]...)
			break
		}
	}
	return append(entries, e)
}

// Add returns entries with e appended as the newest entry: an earlier copy of e is removed,
// and the oldest entries are dropped beyond max (DefaultMax when max <= 0). A blank e, or one
// with a line break, leaves entries as they were. entries is not modified.
func Add(entries []string, e string, max int) []string {
	if max <= 0 {
		max = DefaultMax
	}
	out := append([]string(nil), entries...)
	if e = clean(e); e != "" {
		out = push(out, e)
	}
	if len(out) > max {
		out = out[len(out)-max:]
	}
	return out
}

// Append adds e to the history file at path (see Add) and returns the new history. The
// file is re-read first, so entries other processes added are kept.
func Append(ctx context.Context, path, e string, max int) ([]string, error) {
	cur, err := Load(ctx, path)
	if err != nil {
		return nil, err
	}
	next := Add(cur, e, max)
	if err := write(ctx, path, next); err != nil {
		return nil, err
	}
	return next, nil
}

// write writes entries to path atomically (see atomicfile.Write) with mode 0600, in a
// directory created with mode 0700.
func write(ctx context.Context, path string, entries []string) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("save history: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fmt.Errorf("save history: %w", err)
	}
	var b bytes.Buffer
	for _, e := range entries {
		b.WriteString(e)
		b.WriteByte('\n')
	}
	if err := atomicfile.WriteFile(path, b.Bytes(), 0o600); err != nil {
		return fmt.Errorf("save history: %w", err)
	}
	return nil
}
