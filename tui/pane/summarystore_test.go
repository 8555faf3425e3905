package pane

import (
	"path/filepath"
	"testing"

	"github.com/confab-dev/confab/store/cache"
)

// TestSummariesKeptInTheStore: the summaries a cache-first pane fetches for the rows on screen
// go into the store, so the next pane over it shows them without asking the vendor again.
func TestSummariesKeptInTheStore(t *testing.T) {
	srv := newSummaryServer(t)
	st, err := cache.Open(t.Context(), filepath.Join(t.TempDir(), "confab.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	local := func(cfg *Config) {
		cfg.Name = "mw"
		cfg.Local = &Local{Stored: cache.NewSource(st, "mw", "moveworks"), Sink: st}
	}
	first := newTestPane(t, srv.src, 120, 30, 120, local)
	drain(t, first, first.Init())
	ids := visibleIDs(first)
	if len(ids) == 0 {
		t.Fatal("no row on screen needs a summary")
	}
	asked := len(srv.requests())
	if asked == 0 {
		t.Fatal("the first pane fetched no summary")
	}
	for _, id := range ids {
		c, ok, err := st.Conversation(t.Context(), "mw", id)
		if err != nil || !ok {
			t.Fatalf("conversation %s not stored: %v", id, err)
		}
		if want := srv.firstUserText(t, id); want != "" && c.Summary == "" {
			t.Errorf("%s: no summary kept, want %q", id, want)
		}
	}

	second := newTestPane(t, srv.src, 120, 30, 120, local)
	drain(t, second, second.Init())
	if again := srv.requests()[asked:]; len(again) > 0 {
		t.Errorf("the second pane asked again for %d summaries: %v", len(again), again)
	}
}
