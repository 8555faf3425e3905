package cache

import (
	"path/filepath"
	"sync"
	"testing"
)

// TestOpenNewConcurrently: several Opens of one new file at once all succeed (setting WAL on
// a new file can find it locked at once, without the busy handler; Open tries again).
func TestOpenNewConcurrently(t *testing.T) {
	for round := 0; round < 20; round++ {
		path := filepath.Join(t.TempDir(), "confab.db")
		var wg sync.WaitGroup
		errs := make([]error, 4)
		for i := range errs {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				s, err := Open(ctx, path)
				if err == nil {
					s.Close()
				}
				errs[i] = err
			}(i)
		}
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				t.Fatalf("round %d: Open %d: %v", round, i, err)
			}
		}
	}
}
