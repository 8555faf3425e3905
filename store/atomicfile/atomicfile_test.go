package atomicfile

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
)

func TestWrite(t *testing.T) {
	errWrite := errors.New("write failed")
	tests := []struct {
		name    string
		old     string // "" for no file
		write   func(io.Writer) error
		want    string // the file afterwards
		wantErr error
	}{
		{"new file", "", func(w io.Writer) error { _, err := io.WriteString(w, "new"); return err }, "new", nil},
		{"replace", "old", func(w io.Writer) error { _, err := io.WriteString(w, "new"); return err }, "new", nil},
		{"failed write keeps the old file", "old", func(w io.Writer) error {
			_, _ = io.WriteString(w, "half")
			return errWrite
		}, "old", errWrite},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "f.txt")
			if tt.old != "" {
				if err := os.WriteFile(path, []byte(tt.old), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			err := Write(path, 0o600, tt.write)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("Write = %v, want %v", err, tt.wantErr)
			}
			b, _ := os.ReadFile(path)
			if string(b) != tt.want {
				t.Errorf("file = %q, want %q", b, tt.want)
			}
			if err == nil {
				want := os.FileMode(0o600) // a new file
				if tt.old != "" {
					want = 0o644 // an existing file keeps its mode
				}
				if fi, _ := os.Stat(path); fi.Mode().Perm() != want {
					t.Errorf("mode %v, want %v", fi.Mode().Perm(), want)
				}
			}
			if ents, _ := os.ReadDir(dir); len(ents) != 1 {
				t.Errorf("%d files in the directory, want only the target (no temporary file left)", len(ents))
			}
		})
	}
}

func TestWriteFileMissingDir(t *testing.T) {
	path := filepath.Join(t.TempDir(), "no-such-dir", "f.txt")
	if err := WriteFile(path, []byte("x"), 0o600); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("WriteFile = %v, want a not-exist error", err)
	}
}

// TestWriteFollowsSymlinks: a linked file (a dotfiles repository linked into ~/.config) is
// replaced where it lives and the link stays a link; a dangling link creates its target.
func TestWriteFollowsSymlinks(t *testing.T) {
	tests := []struct {
		name  string
		setup func(t *testing.T, dir string) (path, target string)
	}{
		{"absolute link", func(t *testing.T, dir string) (string, string) {
			target := filepath.Join(dir, "repo", "config.toml")
			mustWrite(t, target, "old", 0o600)
			return mustLink(t, target, filepath.Join(dir, "config.toml")), target
		}},
		{"relative link", func(t *testing.T, dir string) (string, string) {
			target := filepath.Join(dir, "repo", "config.toml")
			mustWrite(t, target, "old", 0o600)
			return mustLink(t, filepath.Join("repo", "config.toml"), filepath.Join(dir, "config.toml")), target
		}},
		{"chain of links", func(t *testing.T, dir string) (string, string) {
			target := filepath.Join(dir, "repo", "config.toml")
			mustWrite(t, target, "old", 0o600)
			mid := mustLink(t, target, filepath.Join(dir, "mid.toml"))
			return mustLink(t, mid, filepath.Join(dir, "config.toml")), target
		}},
		{"dangling link", func(t *testing.T, dir string) (string, string) {
			if err := os.MkdirAll(filepath.Join(dir, "repo"), 0o700); err != nil {
				t.Fatal(err)
			}
			target := filepath.Join(dir, "repo", "new.toml")
			return mustLink(t, target, filepath.Join(dir, "config.toml")), target
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			path, target := tt.setup(t, dir)
			if err := WriteFile(path, []byte("new"), 0o600); err != nil {
				t.Fatal(err)
			}
			if fi, err := os.Lstat(path); err != nil || fi.Mode()&os.ModeSymlink == 0 {
				t.Fatalf("%s is no longer a symbolic link (%v, %v)", path, fi, err)
			}
			if b, err := os.ReadFile(target); err != nil || string(b) != "new" {
				t.Fatalf("target = %q, %v; want the new contents", b, err)
			}
			if fi, _ := os.Stat(target); fi.Mode().Perm() != 0o600 {
				t.Errorf("target mode %v, want 0600", fi.Mode().Perm())
			}
		})
	}
}

func TestWriteSymlinkLoop(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a"), filepath.Join(dir, "b")
	mustLink(t, b, a)
	mustLink(t, a, b)
	if err := WriteFile(a, []byte("x"), 0o600); err == nil {
		t.Fatal("WriteFile through a symbolic link loop succeeded")
	}
}

// TestWriteKeepsMode: a file the user made 0640 (or 0644) stays so; perm is for new files.
func TestWriteKeepsMode(t *testing.T) {
	for _, mode := range []os.FileMode{0o640, 0o644, 0o600, 0o400} {
		path := filepath.Join(t.TempDir(), "f")
		mustWrite(t, path, "old", mode)
		if err := WriteFile(path, []byte("new"), 0o600); err != nil {
			t.Fatal(err)
		}
		if fi, _ := os.Stat(path); fi.Mode().Perm() != mode {
			t.Errorf("mode %v after Write, want %v kept", fi.Mode().Perm(), mode)
		}
	}
}

// TestWriteSyncsDirectory: the rename is made durable by syncing the directory it is in
// (the target's, when path is a link elsewhere).
func TestWriteSyncsDirectory(t *testing.T) {
	var synced []string
	orig := syncDirHook
	syncDirHook = func(dir string) error { synced = append(synced, dir); return orig(dir) }
	t.Cleanup(func() { syncDirHook = orig })
	dir := t.TempDir()
	target := filepath.Join(dir, "repo", "f")
	mustWrite(t, target, "old", 0o600)
	path := mustLink(t, target, filepath.Join(dir, "f"))
	if err := WriteFile(path, []byte("new"), 0o600); err != nil {
		t.Fatal(err)
	}
	if len(synced) != 1 || synced[0] != filepath.Dir(target) {
		t.Fatalf("synced directories %q, want [%s]", synced, filepath.Dir(target))
	}
}

func TestWriteRefusesNonRegular(t *testing.T) {
	dir := t.TempDir()
	if err := WriteFile(dir, []byte("x"), 0o600); err == nil {
		t.Fatal("WriteFile over a directory succeeded")
	}
}

func mustWrite(t *testing.T, path, body string, mode os.FileMode) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(body), mode); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, mode); err != nil { // past the umask
		t.Fatal(err)
	}
}

func mustLink(t *testing.T, oldname, newname string) string {
	t.Helper()
	if err := os.Symlink(oldname, newname); err != nil {
		t.Fatal(err)
	}
	return newname
}
