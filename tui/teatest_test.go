package tui

import (
	"bytes"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/exp/teatest/v2"
)

// TestFlowEndToEnd runs the real program loop (real ticks and goroutines): the first page
// appears, enter opens the thread, q quits, and the final model holds what was loaded.
func TestFlowEndToEnd(t *testing.T) {
	tab, _ := fakeTab("moveworks", 120)
	d := testDeps(tab)
	d.tick = nil // the real tea.Tick
	tm := teatest.NewTestModel(t, New(d), teatest.WithInitialTermSize(120, 40))
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool {
		return bytes.Contains(b, []byte("loaded")) && bytes.Contains(b, []byte("Orphaned form"))
	}, teatest.WithDuration(10*time.Second))
	tm.Send(tea.KeyPressMsg{Code: tea.KeyEnter})
	tm.Send(tea.KeyPressMsg{Code: 'q', Text: "q"})
	final, ok := tm.FinalModel(t, teatest.WithFinalTimeout(10*time.Second)).(*App)
	if !ok {
		t.Fatalf("final model is %T", final)
	}
	if final.panes[0].Len() == 0 {
		t.Fatal("nothing loaded")
	}
	if final.ctx.Err() == nil {
		t.Fatal("requests not cancelled after quit")
	}
}
