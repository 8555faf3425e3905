package history

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestDir(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		want string
	}{
		{"xdg", map[string]string{"XDG_STATE_HOME": "/s", "HOME": "/h"}, "/s/confab/history"},
		{"relative xdg ignored", map[string]string{"XDG_STATE_HOME": "rel", "HOME": "/h"}, "/h/.local/state/confab/history"},
		{"home", map[string]string{"HOME": "/h"}, "/h/.local/state/confab/history"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Dir(func(k string) string { return tt.env[k] })
			if err != nil || got != tt.want {
				t.Fatalf("Dir = %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}

func TestPath(t *testing.T) {
	tests := []struct{ source, want string }{
		{"mw", "mw.txt"},
		{"Talk Desk", "Talk_Desk.txt"},
		{"../../etc/passwd", "_._.._etc_passwd.txt"},
		{"", "_.txt"},
		{"a.b-c_d", "a.b-c_d.txt"},
	}
	for _, tt := range tests {
		got := Path("/d", tt.source)
		if got != filepath.Join("/d", tt.want) {
			t.Errorf("Path(%q) = %q, want /d/%s", tt.source, got, tt.want)
		}
		if filepath.Dir(got) != "/d" {
			t.Errorf("Path(%q) leaves the directory: %q", tt.source, got)
		}
	}
}

func TestAdd(t *testing.T) {
	tests := []struct {
		name    string
		entries []string
		add     string
		max     int
		want    []string
	}{
		{"append", []string{"a"}, "b", 5, []string{"a", "b"}},
		{"duplicate moves to the end", []string{"a", "b", "c"}, "a", 5, []string{"b", "c", "a"}},
		{"trimmed duplicate", []string{"a", "b"}, "  a ", 5, []string{"b", "a"}},
		{"blank ignored", []string{"a"}, "   ", 5, []string{"a"}},
		{"line break refused", []string{"a"}, "x\ny", 5, []string{"a"}},
		{"bounded drops the oldest", []string{"a", "b", "c"}, "d", 3, []string{"b", "c", "d"}},
		{"default bound", nil, "x", 0, []string{"x"}},
		{"too long refused", nil, strings.Repeat("x", maxEntryLen+1), 5, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := append([]string(nil), tt.entries...)
			got := Add(tt.entries, tt.add, tt.max)
			if len(got) == 0 && len(tt.want) == 0 {
				return
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("Add = %q, want %q", got, tt.want)
			}
			if !reflect.DeepEqual(tt.entries, before) && len(before) > 0 {
				t.Fatalf("Add modified its input: %q", tt.entries)
			}
		})
	}
}

func TestAppendAndLoad(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "state", "confab", "history")
	path := Path(dir, "mw")
	got, err := Load(ctx, path)
	if err != nil || got != nil {
		t.Fatalf("Load of a missing file = %q, %v", got, err)
	}
	for _, e := range []string{"route eq 'DM'", "user_id eq '1'", "route eq 'DM'"} {
		if _, err := Append(ctx, path, e, 200); err != nil {
			t.Fatal(err)
		}
	}
	got, err = Load(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"user_id eq '1'", "route eq 'DM'"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("history = %q, want %q", got, want)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("file mode %v, want 0600", fi.Mode().Perm())
	}
	di, err := os.Stat(dir)
	if err != nil {
		t.Fatal(err)
	}
	if di.Mode().Perm() != 0o700 {
		t.Errorf("dir mode %v, want 0700", di.Mode().Perm())
	}
	left, _ := filepath.Glob(filepath.Join(dir, ".*tmp*"))
	if len(left) > 0 {
		t.Errorf("temporary files left: %q", left)
	}
}

func TestAppendIsBounded(t *testing.T) {
	ctx := context.Background()
	path := Path(t.TempDir(), "td")
	for i := range 12 {
		if _, err := Append(ctx, path, fmt.Sprintf("since:%dd", i), 10); err != nil {
			t.Fatal(err)
		}
	}
	got, err := Load(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 10 || got[0] != "since:2d" || got[9] != "since:11d" {
		t.Fatalf("bounded history = %q", got)
	}
}

func TestLoadCollapsesDuplicatesAndBlankLines(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.txt")
	if err := os.WriteFile(path, []byte("a\n\n  b  \na\r\nc"), 0o600); err != nil {
		t.Fatal(err)
	}
	got, err := Load(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"b", "a", "c"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("Load = %q, want %q", got, want)
	}
}

func TestCancelledContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	path := Path(t.TempDir(), "mw")
	if _, err := Append(ctx, path, "x", 10); err == nil {
		t.Fatal("Append with a cancelled context succeeded")
	}
	if _, err := os.Stat(path); err == nil {
		t.Fatal("Append with a cancelled context wrote the file")
	}
}
