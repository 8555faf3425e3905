package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/confab-dev/confab/client"
	"github.com/confab-dev/confab/client/mock"
)

// endlessHarness is a harness whose config has one Moveworks source "mw" on e, a server whose
// next links never end.
func endlessHarness(t *testing.T, e *mock.EndlessMoveworks) *harness {
	t.Helper()
	h := newHarness(t)
	srv := httptest.NewServer(e)
	t.Cleanup(srv.Close)
	h.config = h.writeFile("endless.toml", fmt.Sprintf(mockConfig, srv.URL+mock.MoveworksRecordsPath))
	return h
}

// runWalk runs confab in-process under ctx with the sources' walk limits set to lim.
func (h *harness) runWalk(ctx context.Context, lim client.WalkLimits, args ...string) result {
	h.t.Helper()
	var out, errb bytes.Buffer
	a := h.app(&out, &errb)
	a.tuneHTTP = func(o *client.HTTPOptions) { o.Walk = lim }
	code := a.run(ctx, args)
	r := result{code: code, stdout: out.String(), stderr: errb.String()}
	if code != 0 && (!strings.HasPrefix(r.stderr, "confab: ") || strings.Count(r.stderr, "\n") != 1) {
		h.t.Errorf("confab %s: stderr is not one line starting with \"confab: \": %q", strings.Join(args, " "), r.stderr)
	}
	return r
}

func TestExportOfAnEndlessThreadStops(t *testing.T) {
	e := &mock.EndlessMoveworks{Rows: 2}
	h := endlessHarness(t, e)
	out := filepath.Join(h.dir, "thread.md")
	r := h.runWalk(context.Background(), client.WalkLimits{Pages: 6}, "--config", h.config, "export", "mw", "c-9", "--output", out)
	r.want(t, exitFailure, "confab: export mw c-9: thread: stopped after 6 pages of interactions of conversation c-9; "+
		"the conversation is too large to load, or the server pages without end")
	if e.Requests() != 1+6 {
		t.Fatalf("%d requests, want the lookup and 6 pages", e.Requests())
	}
	if _, err := os.Lstat(out); !os.IsNotExist(err) {
		t.Fatalf("--output was written after the walk stopped: %v", err)
	}
}

func TestListOfAnEndlessListingStops(t *testing.T) {
	e := &mock.EndlessMoveworks{Rows: 3}
	h := endlessHarness(t, e)
	r := h.runWalk(context.Background(), client.WalkLimits{Rows: 10}, "--config", h.config, "list", "mw", "--limit", "0", "--format", "ndjson")
	r.want(t, exitFailure, "confab: list mw: stopped after 10 rows of conversations of source mw; narrow the range")
	// The rows before the stop were printed, each whole.
	if got := len(decodeNDJSON(t, r.stdout)); got != 9 {
		t.Fatalf("%d rows printed, want the 9 of the first 3 pages", got)
	}
}

func TestInterruptStopsAWalk(t *testing.T) {
	for _, args := range [][]string{
		{"export", "mw", "c-1", "--format", "json"},
		{"list", "mw", "--limit", "0", "--format", "json"},
	} {
		t.Run(args[0], func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			e := &mock.EndlessMoveworks{}
			e.OnRequest = func(n int64) {
				if n == 4 {
					cancel() // ctrl+c: main's signal.NotifyContext cancels the context
				}
			}
			h := endlessHarness(t, e)
			r := h.runWalk(ctx, client.WalkLimits{}, append([]string{"--config", h.config}, args...)...)
			r.want(t, exitInterrupted)
			if r.stderr != "confab: interrupted\n" {
				t.Fatalf("stderr %q", r.stderr)
			}
			if e.Requests() != 4 {
				t.Fatalf("%d requests after ctrl+c in the fourth, want 4", e.Requests())
			}
			if args[0] == "list" && !json.Valid([]byte(r.stdout)) {
				t.Fatalf("the output is not JSON after ctrl+c: %q", r.stdout)
			}
		})
	}
}
