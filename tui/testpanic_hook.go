//go:build confab_testpanic

package tui

import (
	"os"

	tea "charm.land/bubbletea/v2"

	"github.com/confab-dev/confab/tui/internal/testpanic"
)

// Built only with the confab_testpanic tag (the crash-recovery tests of cmd/confab build such a
// binary): CONFAB_TEST_PANIC=update|view|cmd makes the TUI panic there shortly after it starts.
func init() {
	testHook = func(m tea.Model) tea.Model {
		return testpanic.Wrap(m, os.Getenv("CONFAB_TEST_PANIC"), tea.Tick)
	}
}
