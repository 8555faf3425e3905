package tui

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/confab-dev/confab/client"
	"github.com/confab-dev/confab/store/cache"
	"github.com/confab-dev/confab/tui/internal/fake"
	"github.com/confab-dev/confab/tui/pane"
)

// statusLine is the status bar of a 120x40 app: the line above the help.
func statusLine(a *App) string {
	lines := strings.Split(a.View().Content, "\n")
	return lines[len(lines)-2]
}

func TestStatusBarSyncMark(t *testing.T) {
	st, err := cache.Open(t.Context(), filepath.Join(t.TempDir(), "confab.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	src := fake.New("fake", 30, 1)
	page, err := src.Conversations(t.Context(), client.Query{}, "")
	if err != nil {
		t.Fatal(err)
	}
	if err := st.PutConversations(t.Context(), "fake", page.Conversations); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		local *pane.Local
		live  client.Source
		want  string
	}{
		{"offline", &pane.Local{Stored: cache.NewSource(st, "fake", "fake"), Offline: true}, nil, " offline"},
		{"synced", &pane.Local{Stored: cache.NewSource(st, "fake", "fake"), Sink: st,
			Synced: fixedNow.Add(-2 * time.Minute)}, src, " synced just now"},
		{"no store", nil, src, strings.Repeat(" ", 120)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := start(t, newTestApp(t, testDeps(Tab{Name: "fake", Kind: "fake", Source: tt.live, Local: tt.local})))
			if got := statusLine(a); !strings.HasPrefix(got, tt.want) {
				t.Errorf("status bar %q, want it to start with %q", got, tt.want)
			}
			if a.panes[0].Len() != 30 {
				t.Errorf("%d rows, want the 30 stored", a.panes[0].Len())
			}
		})
	}
}
