package tui

import (
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/confab-dev/confab/client/sanitize"
)

// Level is how a status message is shown.
type Level int

// The status levels.
const (
	LevelInfo Level = iota
	LevelError
)

// statusTTL is how long a status message stays.
const statusTTL = 6 * time.Second

// statusMsg puts a message in the status bar; ID is assigned by the status bar.
type statusMsg struct {
	Level Level
	Text  string
	TTL   time.Duration
	ID    uint64
}

// clearStatusMsg clears the status bar if it still shows message ID.
type clearStatusMsg struct{ ID uint64 }

// statusBar keeps one message; its clear timer carries the message's ID, so an older timer
// cannot clear a newer message.
type statusBar struct {
	cur    statusMsg
	lastID uint64
}

// set shows msg and returns the timer that clears it.
func (s *statusBar) set(msg statusMsg, tick func(time.Duration, func(time.Time) tea.Msg) tea.Cmd) tea.Cmd {
	s.lastID++
	msg.ID = s.lastID
	if msg.TTL <= 0 {
		msg.TTL = statusTTL
	}
	s.cur = msg
	id := msg.ID
	return tick(msg.TTL, func(time.Time) tea.Msg { return clearStatusMsg{ID: id} })
}

// clear removes the message if it is still message id.
func (s *statusBar) clear(id uint64) {
	if s.cur.ID == id {
		s.cur = statusMsg{}
	}
}

// reportErr is a Cmd that shows text as an error in the status bar.
func reportErr(text string) tea.Cmd {
	return func() tea.Msg { return statusMsg{Level: LevelError, Text: text, TTL: statusTTL} }
}

// reportInfo is a Cmd that shows text in the status bar.
func reportInfo(text string) tea.Cmd {
	return func() tea.Msg { return statusMsg{Level: LevelInfo, Text: text, TTL: statusTTL} }
}

// syncMark is the active pane's local-store mark ("synced 2 min ago", "offline", …; "" for
// a pane without a store).
func (a *App) syncMark() string {
	if len(a.panes) == 0 {
		return ""
	}
	return a.panes[a.active].SyncMark()
}

// idleText is the status bar's text when it has no message: the redaction badge and the
// local-store mark.
func idleText(redact bool, mark string) string {
	var parts []string
	if redact {
		parts = append(parts, "redaction on (R)")
	}
	if mark != "" {
		parts = append(parts, sanitize.Line(mark))
	}
	return " " + strings.Join(parts, " · ")
}

// frameMemo is what App.View keeps between frames besides the help and the tab bar.
type frameMemo struct {
	bytes          int    // the last frame's length: the next one's builder starts this large
	titleOf, title string // the window title and the tab name it was made from
	status         statusMemo
}

// windowTitle is the window's title for the active tab's name.
func (m *frameMemo) windowTitle(name string) string {
	if m.title == "" || m.titleOf != name {
		m.titleOf, m.title = name, "confab — "+sanitize.Line(name)
	}
	return m.title
}

// statusKey is everything the status line is made from, besides the styles
// (handleBackground empties the memo when they change).
type statusKey struct {
	w      int
	level  Level
	text   string // the message; "" for the idle line
	redact bool   // the idle line's redaction badge
	mark   string // the idle line's local-store mark
}

// statusMemo keeps the status line: a keypress seldom changes it.
type statusMemo struct {
	ok  bool
	key statusKey
	out string
}
