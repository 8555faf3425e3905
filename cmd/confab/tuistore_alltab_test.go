package main

import (
	"path/filepath"
	"testing"

	"github.com/confab-dev/confab/store/cache"
	"github.com/confab-dev/confab/tui"
)

// TestAllTabSinkCountsWrites: the All tab writes its pages through the same counted sink as
// the vendor tabs, so closeTUIStore waits for the All tab's first page too (shown before it
// is written) instead of closing the store under it.
func TestAllTabSinkCountsWrites(t *testing.T) {
	a := newApp(nil, nil, func(string) string { return "" })
	st, err := cache.Open(t.Context(), filepath.Join(t.TempDir(), "confab.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var tabs []tui.Tab
	for _, ep := range mockEndpoints(demoShapes()) {
		vendor, ok := a.vendor(ep.source.Kind)
		if !ok {
			t.Fatalf("no vendor %q", ep.source.Kind)
		}
		shape, err := a.build(vendor, ep.source, ep.secret, a.httpOptions(ep.source))
		if err != nil {
			t.Fatal(err)
		}
		_, src := newWaitSource(shape)
		tabs = append(tabs, tui.Tab{Name: ep.source.Name, Kind: ep.source.Kind, Source: src,
			Local: a.localOf(t.Context(), st, ep.source.Name, ep.source.Kind, ep.source.Filter)})
	}
	all, ok := a.allTab(tabs, st)
	if !ok || all.Local == nil {
		t.Fatalf("no All tab over the store (ok %v)", ok)
	}
	for _, tab := range append(tabs, all) {
		s, ok := tab.Local.Sink.(tuiSink)
		if !ok || s.writes != &a.writes || s.Store != st {
			t.Errorf("tab %s: sink %T, want the store counted in the app's writes (tuiSink)", tab.Name, tab.Local.Sink)
		}
	}
}
