package pane

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/confab-dev/confab/client"
	"github.com/confab-dev/confab/store/cache"
	"github.com/confab-dev/confab/tui/internal/fake"
)

// heldSink is a store whose writes of conversations wait until released, then fail with
// err or go to the real store.
type heldSink struct {
	*cache.Store
	ch   chan struct{}
	once sync.Once
	err  error

	mu      sync.Mutex
	waiting int
}

func newHeldSink(t *testing.T, st *cache.Store, err error) *heldSink {
	s := &heldSink{Store: st, ch: make(chan struct{}), err: err}
	t.Cleanup(s.release)
	return s
}

func (s *heldSink) PutConversations(ctx context.Context, source string, cs []client.Conversation) error {
	s.mu.Lock()
	s.waiting++
	s.mu.Unlock()
	<-s.ch
	if s.err != nil {
		return s.err
	}
	return s.Store.PutConversations(ctx, source, cs)
}

func (s *heldSink) release() { s.once.Do(func() { close(s.ch) }) }

func (s *heldSink) held() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.waiting
}

// TestLocalFirstPageShownBeforeWrite: on an empty store (the first run) the vendor's first
// page shows while its write to the store is still held; its rows keep their raw records
// until then (a vendor's Thread reads them); once released the rows shown are stored, or the
// failed write is reported in one status line naming the local store.
func TestLocalFirstPageShownBeforeWrite(t *testing.T) {
	tests := []struct {
		name   string
		filter string
		err    error
	}{
		{"the live tail of an empty store", "", nil},
		{"a vendor filter", "VPN", nil},
		{"the write fails", "", errors.New("disk full")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			live := rawSource{fake.New("fake", 120, 1)}
			st, _ := openStore(t, nil)
			sink := newHeldSink(t, st, tt.err)
			p := newLocalPane(t, live, st, func(l *Local) { l.Sink = sink })
			p.cfg.Query.Filter = tt.filter
			d := newDriver(t, p)
			d.run(p.Init())
			d.until("the first live page", func() bool { return p.Len() > 0 })
			if sink.held() == 0 {
				d.until("its write", func() bool { return sink.held() > 0 })
			}
			if n, err := st.Count(t.Context(), "fake"); err != nil || n != 0 {
				t.Fatalf("stored %d rows (%v) while the write is held, want 0", n, err)
			}
			shown := loadedRows(p)
			for i := range p.ls.items.Len() {
				if got, want := string(p.ls.items.Raw(i)), string(rawOf(p.ls.items.ID(i))); got != want {
					t.Fatalf("row %d keeps raw %q before it is stored, want %q", i, got, want)
				}
			}
			if c, _ := p.ls.selected(); string(c.Raw) != string(rawOf(c.ID)) {
				t.Fatalf("the selected row hands on raw %q, want its own", c.Raw)
			}
			sink.release()
			if tt.err != nil {
				d.until("the store error's line", func() bool {
					for _, n := range notices(d.out) {
						if strings.Contains(n, "local store") && strings.Contains(n, "disk full") {
							return true
						}
					}
					return false
				})
				if p.Len() != len(shown) {
					t.Errorf("%d rows after the failed write, want the %d shown", p.Len(), len(shown))
				}
				return
			}
			d.until("the shown rows stored", func() bool {
				n, err := st.Count(t.Context(), "fake")
				return err == nil && n >= len(shown)
			})
			stored := cache.NewSource(st, "fake", "fake")
			for _, c := range shown {
				got, err := stored.Conversation(t.Context(), c.ID)
				if err != nil || got.ID != c.ID {
					t.Fatalf("row %s shown but not stored: %v", c.ID, err)
				}
			}
			for _, n := range notices(d.out) {
				if strings.Contains(n, "local store") {
					t.Errorf("store error %q after a good write", n)
				}
			}
		})
	}
}
