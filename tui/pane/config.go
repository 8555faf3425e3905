package pane

import (
	"context"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/confab-dev/confab/client"
	"github.com/confab-dev/confab/tui/filterbar"
	"github.com/confab-dev/confab/tui/pager"
	"github.com/confab-dev/confab/tui/threadview"
)

// Keys are the bindings a pane reacts to; tui/keys.go builds them.
type Keys struct {
	Up, Down, PageUp, PageDown, Home, End key.Binding
	Open, Back, Retry                     key.Binding
	Toggle, Collapse, Expand              key.Binding
	Copy                                  CopyKeys  // copy.go
	Pager                                 PagerKeys // pager.go
	Find                                  FindKeys  // the search in the thread (find.go)
}

// Styles are the pane's styles; tui/theme.go builds them from the palette.
type Styles struct {
	Header    lipgloss.Style // column headers and the thread title of a column without focus
	Time      lipgloss.Style
	User      lipgloss.Style
	Attrs     lipgloss.Style // the attributes shown when a conversation has no summary
	Selected  lipgloss.Style // the selected row when the list has focus
	Unfocused lipgloss.Style // the selected row when it does not
	Footer    lipgloss.Style
	Spinner   lipgloss.Style
	Title     lipgloss.Style // headings of the empty, error and unavailable states
	Error     lipgloss.Style
	Hint      lipgloss.Style
	Muted     lipgloss.Style
	Divider   lipgloss.Style // the line between the list and the thread
	Thread    threadview.Styles
	Pager     pager.Styles
	Filter    filterbar.Styles

	// HeaderFocus is the title line of the column (list or thread) that has the keyboard,
	// after the focus mark (view.go).
	HeaderFocus lipgloss.Style
}

// Config is everything a pane needs; the root fills it from tui.Deps.
type Config struct {
	ID     ID
	Name   string
	Kind   string
	Source client.Source // nil when Err is set
	Query  client.Query
	// ShowSource shows each row's source (Conversation.Source) in a column of the list: the
	// All tab, whose rows come from several sources.
	ShowSource bool
	// NoVendorFilter turns the filter bar off (the All tab: each source has its own filter
	// language): f says so in the status bar, saved views are not offered; the quick filter
	// (/) works as in any pane.
	NoVendorFilter bool
	// Err, when set, makes the pane show this problem (and what to do) instead of a list.
	Err error
	// Local, when set, makes the pane cache-first over the local store (local.go); nil: the
	// pane is live only, as ever.
	Local  *Local
	Keys   Keys
	Styles Styles
	// Context is the parent of every request; cancelling it cancels them all.
	Context context.Context
	// Now and Location decide how times are shown (nil: time.Now, time.Local).
	Now      func() time.Time
	Location *time.Location
	// Tick schedules a message after a delay (nil: tea.Tick). Tests replace it.
	Tick func(time.Duration, func(time.Time) tea.Msg) tea.Cmd
	// Redact removes secrets from the error text the pane shows (nil: credential-looking
	// text only).
	Redact func(string) string
	// PreviewDelay is the pause on a selection before its thread preview loads (0: 100ms;
	// shorter than it, a key held down repeats, so holding j loads nothing on the way).
	PreviewDelay time.Duration
	// ThreadCache is how many built threads the pane keeps to show at once when their row is
	// selected again (0: DefaultThreadCache; < 0: none, and no prefetch).
	ThreadCache int
	// PrefetchRows is how many rows on each side of the cursor have their threads prefetched
	// once the selection settles (0: DefaultPrefetchRows; < 0: none).
	PrefetchRows int
	// MaxPrefetch is how many thread prefetches the pane has in flight at most
	// (0: DefaultMaxPrefetch).
	MaxPrefetch int
	// PageAhead is how many rows before the end of the loaded list the next page is
	// requested (0: two screens).
	PageAhead int
	// MaxPagesPerJump is how many pages the pane loads on its own after one keypress (G or
	// End, a move near the end of the list, a refresh) before it stops and asks for another
	// (0: DefaultMaxPagesPerJump). It keeps one key from paging through a whole source.
	MaxPagesPerJump int
	// MaxSummaries is how many summary requests (client.Summarizer) the pane has in flight
	// at most, for the rows on screen (0: DefaultMaxSummaries).
	MaxSummaries int
	// FilterKeys are the filter bar's bindings (filter.go).
	FilterKeys FilterKeys
	// FilterDelay is the pause in typing after which a valid filter applies (0: 300ms).
	FilterDelay time.Duration
	// HistoryDir is where filter history files live ("": history is kept in memory only).
	HistoryDir string
	// ConfigPath is the config file saved views are appended to ("": views cannot be saved).
	ConfigPath string
	// Views are the saved views of every source; the pane offers those of its source.
	Views []View
	// ConsoleURLs are the console_url templates of the sources, by source name
	// (store/config); the console key fills in the selected conversation's (console.go).
	ConsoleURLs map[string]string
}

// FilterKeys are the bindings of the filter bar, the quick filter, the sort order and the
// saved views; tui/keys.go builds them.
type FilterKeys struct {
	Edit, Quick, Order, Views, SaveView key.Binding
	Bar                                 filterbar.Keys
}

// Orderer is implemented by sources that can list newest or oldest first (Query.Order);
// the pane enables the order key only for them.
type Orderer interface {
	Orders() bool
}

// CopyKeys are the copy bindings; tui/keys.go builds them.
type CopyKeys struct {
	Thread  key.Binding // the thread as Markdown
	JSON    key.Binding // the thread as JSON
	Subtree key.Binding // the subtree of the selected interaction as Markdown (thread view)
	Message key.Binding // the selected interaction's text (thread view)
	ID      key.Binding // the conversation id
	Redact  key.Binding // toggles redaction of copies
	Console key.Binding // the conversation's link to the vendor's web console (console.go)
}
