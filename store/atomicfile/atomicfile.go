// Package atomicfile replaces files atomically: the new contents go to a temporary file in the
// same directory, which is synced and renamed over the target, and the directory is synced
// after the rename, so a reader sees the old file or the new one, never a half-written one, a
// failed write leaves the old file as it was, and a crash after Write returns keeps the new one.
//
// A path that is a symbolic link is followed: the file it points at is replaced and the link
// stays (a config kept in a dotfiles repository and linked into ~/.config stays linked). An
// existing file keeps its permission bits; perm applies to a new file only.
package atomicfile

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
)

// maxLinks bounds how many symbolic links Write follows (as Linux's ELOOP does).
const maxLinks = 40

// Write replaces path with what write writes. A new file gets mode perm; an existing one keeps
// its mode. When path is a symbolic link (or a chain of them), the final target is replaced
// and the links are left alone; a dangling link creates its target. The target's directory
// must exist. The error of write is returned as it is; the others name the file.
func Write(path string, perm os.FileMode, write func(io.Writer) error) (err error) {
	target, err := resolve(path)
	if err != nil {
		return err
	}
	mode := perm
	if fi, err := os.Stat(target); err == nil {
		if !fi.Mode().IsRegular() {
			return fmt.Errorf("replace %s: not a regular file", target)
		}
		mode = fi.Mode().Perm()
	} else if !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	dir := filepath.Dir(target)
	f, err := os.CreateTemp(dir, "."+filepath.Base(target)+".tmp*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			_ = f.Close()
			_ = os.Remove(f.Name())
		}
	}()
	if err := f.Chmod(mode); err != nil {
		return err
	}
	if err := write(f); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Rename(f.Name(), target); err != nil {
		return fmt.Errorf("replace %s: %w", target, err)
	}
	if err := syncDirHook(dir); err != nil {
		return fmt.Errorf("replace %s: sync directory: %w", target, err)
	}
	return nil
}

// WriteFile replaces path with data (see Write).
func WriteFile(path string, data []byte, perm os.FileMode) error {
	return Write(path, perm, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}

// resolve follows path while it is a symbolic link and returns the final target, which may not
// exist yet. Unlike filepath.EvalSymlinks it accepts a dangling link.
func resolve(path string) (string, error) {
	p := path
	for range maxLinks {
		fi, err := os.Lstat(p)
		if errors.Is(err, fs.ErrNotExist) {
			return p, nil
		}
		if err != nil {
			return "", err
		}
		if fi.Mode()&fs.ModeSymlink == 0 {
			return p, nil
		}
		link, err := os.Readlink(p)
		if err != nil {
			return "", err
		}
		if !filepath.IsAbs(link) {
			link = filepath.Join(filepath.Dir(p), link)
		}
		p = link
	}
	return "", fmt.Errorf("replace %s: more than %d symbolic links", path, maxLinks)
}

// syncDirHook is syncDir; tests replace it to see that Write syncs the directory.
var syncDirHook = syncDir

// syncDir makes a rename in dir durable. Filesystems that cannot sync a directory (EINVAL)
// are not an error: there is nothing more to do there.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil && !errors.Is(err, syscall.EINVAL) {
		return err
	}
	return nil
}
