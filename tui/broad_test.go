package tui

import (
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/confab-dev/confab/client"
	"github.com/confab-dev/confab/client/mock"
	"github.com/confab-dev/confab/client/opendialog"
)

// broadTab is an OpenDialog tab on the mock (in process, counting requests) with the default
// range: the last 7 days before the clock.
func broadTab(t *testing.T, requests *atomic.Int64) Tab {
	t.Helper()
	end := time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)
	m := mock.NewOpenDialog(mock.Options{Seed: 7, End: end, Days: 7})
	rt := odRoundTrip(func(r *http.Request) (*http.Response, error) {
		requests.Add(1)
		rec := httptest.NewRecorder()
		m.ServeHTTP(rec, r)
		return rec.Result(), nil
	})
	src, err := opendialog.New(opendialog.Config{Name: "od", BaseURL: "http://127.0.0.1:8702" + mock.OpenDialogBasePath, Token: m.Token,
		Now: func() time.Time { return end }, HTTP: client.HTTPOptions{MaxRetries: -1, Transport: rt}})
	if err != nil {
		t.Fatal(err)
	}
	return Tab{Name: "od", Kind: opendialog.Kind, Source: src}
}

// TestBroadRangeAsks drives the pane through messages: a filter whose range needs more
// window requests than the limit is not run; the status line and the list ask, with the
// count; enter runs it anyway, esc leaves it, and a new filter is checked afresh.
func TestBroadRangeAsks(t *testing.T) {
	var requests atomic.Int64
	d := testDeps(broadTab(t, &requests))
	h := &heldTick{} // the pause in typing ends when the test says
	d.tick = func(dt time.Duration, fn func(time.Time) tea.Msg) tea.Cmd {
		if dt == statusTTL {
			return nil // status lines stay, so the test can read them
		}
		return h.tick(dt, fn)
	}
	a := start(t, newTestApp(t, d))
	p := activePane(a)
	if p.Len() == 0 || requests.Load() == 0 {
		t.Fatalf("the default week did not load (%d rows, %d requests)", p.Len(), requests.Load())
	}

	// Typed and applied with enter: refused before any request, and asked about.
	before := requests.Load()
	update(t, a, press("f"))
	update(t, a, typeText("from:1900-01-01")...)
	update(t, a, press("enter"))
	h.held = nil // the pauses of the typing above: enter applied the filter already
	if p.Filter() != "from:1900-01-01" || p.Capturing() {
		t.Fatalf("enter: filter %q, capturing %v", p.Filter(), p.Capturing())
	}
	if n := requests.Load() - before; n != 0 {
		t.Fatalf("%d requests for a range over the limit", n)
	}
	requirePlain(t, a, "this range needs 46,326 requests (limit 400)", "press enter again to run it anyway")

	// Enter again runs it: requests go out and rows load.
	update(t, a, press("enter"))
	if requests.Load() == before {
		t.Fatal("enter did not run the range")
	}
	if p.Len() == 0 {
		t.Fatal("no rows after running the range anyway")
	}
	lacksPlain(t, a, "press enter again", "⚠ the range")

	// A new broad filter asks again (the forced limit ended with the filter); this time it
	// is typed and left to apply after the pause, so enter in the open bar answers.
	before = requests.Load()
	update(t, a, press("f"))
	update(t, a, typeText(" to:1950-01-01")...)
	h.release(t, a)
	if n := requests.Load() - before; n != 0 {
		t.Fatalf("%d requests for a new range over the limit", n)
	}
	requirePlain(t, a, "needs 18,263 requests (limit 400)", "press enter again to run it anyway")
	if !p.Capturing() {
		t.Fatal("the bar closed before the answer")
	}
	// Esc cancels: no request, the bar closes, the list says how to narrow the range.
	update(t, a, press("esc"))
	if p.Capturing() {
		t.Fatal("esc left the bar open")
	}
	if n := requests.Load() - before; n != 0 {
		t.Fatalf("%d requests after esc", n)
	}
	requirePlain(t, a, "narrow the time range in the filter")
	// Enter on the list now opens a thread (or does nothing): it does not run the range.
	update(t, a, press("enter"))
	if n := requests.Load() - before; n != 0 {
		t.Fatalf("%d requests after enter on a cancelled question", n)
	}
}
