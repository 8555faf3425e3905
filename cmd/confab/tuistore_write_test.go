package main

import (
	"os/exec"
	"testing"
	"time"

	"github.com/confab-dev/confab/store/cache"
)

// TestWriteCountWait: closeTUIStore's wait returns at once with no write in flight, and
// otherwise only once every write in flight is done (a page shown before it was written is
// kept when the user quits at once).
func TestWriteCountWait(t *testing.T) {
	var w writeCount
	w.wait(time.Hour) // nothing in flight: at once (else the test hangs)
	for round := range 2 {
		w.add(1)
		w.add(1)
		done := make(chan struct{})
		go func() { w.wait(time.Hour); close(done) }()
		w.add(-1)
		select {
		case <-done:
			t.Fatalf("round %d: wait returned with a write in flight", round)
		default:
		}
		w.add(-1)
		<-done
	}
	w.add(1)
	w.wait(0) // bounded: returns although a write is in flight
	w.add(-1)
}

// TestE2EDemoQuitAtOnceKeepsRows: the first demo shows its first rows before they are
// written to its new store; quitting the moment they show still leaves them stored (the
// program waits for the write before closing the store), so the next demo starts from them.
func TestE2EDemoQuitAtOnceKeepsRows(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end test skipped in -short mode")
	}
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Skip("tmux not installed")
	}
	bin := buildBinary(t)
	cacheDir := t.TempDir()
	measureStart(t, cacheDir, true, startFrameMark, startRowMark, bin, "demo", "--seed", "7")
	path, err := demoStorePath(func(k string) string {
		if k == "XDG_CACHE_HOME" {
			return cacheDir
		}
		return ""
	}, 7, false)
	if err != nil {
		t.Fatal(err)
	}
	st, err := cache.Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if n, err := st.Count(t.Context()); err != nil || n == 0 {
		t.Fatalf("the store holds %d conversations (%v) after quitting at the first row, want the rows shown", n, err)
	}
}
