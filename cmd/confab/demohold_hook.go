//go:build confab_testhold

package main

import (
	"context"
	"os"
	"time"
)

// Built only with the confab_testhold tag (the end-to-end tests of the demo's start build
// such a binary): with CONFAB_TEST_DEMO_HOLD set to a path, `confab demo` starts its mock
// vendors (and so generates no corpus) only once that file exists.
func init() {
	path := os.Getenv("CONFAB_TEST_DEMO_HOLD")
	if path == "" {
		return
	}
	demoCorpusHold = func(ctx context.Context) {
		for {
			if _, err := os.Stat(path); err == nil {
				return
			}
			select {
			case <-ctx.Done():
				return
			case <-time.After(10 * time.Millisecond):
			}
		}
	}
}
