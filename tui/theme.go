package tui

import (
	"image/color"

	"charm.land/bubbles/v2/help"
	"charm.land/lipgloss/v2"

	"github.com/confab-dev/confab/tui/pane"
	"github.com/confab-dev/confab/tui/search"
	"github.com/confab-dev/confab/tui/threadview"
)

// Shade is a colour for light and for dark backgrounds.
type Shade struct{ Light, Dark color.Color }

func shade(light, dark string) Shade {
	return Shade{Light: lipgloss.Color(light), Dark: lipgloss.Color(dark)}
}

// Palette is the small semantic palette every style is built from.
type Palette struct {
	Primary       Shade // active tab, titles
	Text          Shade
	Muted         Shade // secondary text (times, footers)
	Subtle        Shade // rules, dividers, inactive tabs
	Accent        Shade // user ids, user actors
	Bot           Shade
	Agent         Shade
	Error         Shade
	Warn          Shade
	Success       Shade
	SelectionBg   Shade // the selected row of the focused list
	SelectionFg   Shade
	UnfocusedBg   Shade // the selected row of an unfocused list
	TabActiveBg   Shade
	TabInactiveFg Shade
}

// DefaultPalette is confab's palette.
func DefaultPalette() Palette {
	return Palette{
		Primary:       shade("#5A3FD9", "#B4A7FF"),
		Text:          shade("#1F1F1F", "#E4E4E4"),
		Muted:         shade("#6B6B6B", "#9A9A9A"),
		Subtle:        shade("#B8B8B8", "#4A4A4A"),
		Accent:        shade("#0B7A75", "#5FD7D0"),
		Bot:           shade("#8A4B00", "#F0B46E"),
		Agent:         shade("#2456B0", "#8AB4FF"),
		Error:         shade("#B3261E", "#FF7A70"),
		Warn:          shade("#8A6D00", "#F5D76E"),
		Success:       shade("#1E7B34", "#7FDB92"),
		SelectionBg:   shade("#DCD5FF", "#3D3466"),
		SelectionFg:   shade("#1F1F1F", "#FFFFFF"),
		UnfocusedBg:   shade("#E8E8E8", "#303030"),
		TabActiveBg:   shade("#5A3FD9", "#6C5CE7"),
		TabInactiveFg: shade("#6B6B6B", "#9A9A9A"),
	}
}

// Styles is every style of the TUI, grouped by area. All styling comes from here.
type Styles struct {
	Tabs struct {
		Active, Inactive, Gap lipgloss.Style
	}
	Status struct {
		Info, Error, Bar lipgloss.Style
	}
	Help   help.Styles
	Pane   pane.Styles
	Search search.Styles // the search overlay (search.go)
}

// NewStyles builds the styles of p for a dark or light background.
func NewStyles(p Palette, isDark bool) Styles {
	ld := lipgloss.LightDark(isDark)
	c := func(s Shade) color.Color { return ld(s.Light, s.Dark) }
	fg := func(s Shade) lipgloss.Style { return lipgloss.NewStyle().Foreground(c(s)) }

	var st Styles
	st.Tabs.Active = lipgloss.NewStyle().Bold(true).Foreground(lipgloss.Color("#FFFFFF")).Background(c(p.TabActiveBg))
	st.Tabs.Inactive = fg(p.TabInactiveFg)
	st.Tabs.Gap = fg(p.Subtle)
	st.Status.Info = fg(p.Success)
	st.Status.Error = fg(p.Error).Bold(true)
	st.Status.Bar = fg(p.Muted)
	st.Help = help.DefaultStyles(isDark)

	th := threadview.Styles{
		Tree:       fg(p.Subtle),
		User:       fg(p.Accent),
		Bot:        fg(p.Bot),
		Agent:      fg(p.Agent),
		System:     fg(p.Muted),
		Time:       fg(p.Muted),
		Kind:       fg(p.Muted).Italic(true),
		Marker:     fg(p.Warn),
		Selected:   lipgloss.NewStyle().Foreground(c(p.SelectionFg)).Background(c(p.SelectionBg)),
		Unfocused:  lipgloss.NewStyle().Background(c(p.UnfocusedBg)),
		Rule:       fg(p.Subtle),
		Label:      fg(p.Muted),
		Muted:      fg(p.Muted),
		DetailText: fg(p.Text),
		// The thread search: a hit is reverse video, so it shows whatever the colours.
		Match:         fg(p.Warn).Reverse(true).Bold(true),
		SelectedMatch: fg(p.Warn).Reverse(true).Bold(true),
		Prompt:        fg(p.Primary).Bold(true),
		Input:         filterStyles(p, isDark).Input,
	}
	st.Pane = pane.Styles{
		Header:    fg(p.Muted),
		Time:      fg(p.Muted),
		User:      fg(p.Accent),
		Attrs:     fg(p.Muted).Italic(true),
		Selected:  th.Selected,
		Unfocused: th.Unfocused,
		Footer:    fg(p.Muted),
		Spinner:   fg(p.Primary),
		Title:     fg(p.Primary).Bold(true),
		Error:     fg(p.Error),
		Hint:      fg(p.Warn),
		Muted:     fg(p.Muted),
		Divider:   fg(p.Subtle),
		Thread:    th,
		Filter:    filterStyles(p, isDark),
		Pager:     pagerStyles(p, isDark), // pager.go
	}
	st.Pane.HeaderFocus = fg(p.Primary).Bold(true)
	st.Search = searchStyles(p, isDark) // search.go
	return st
}

// NoColorStyles are the styles for NO_COLOR: no colour at all, only bold, faint, italic and
// reverse video where they carry meaning.
func NoColorStyles() Styles {
	plain := lipgloss.NewStyle()
	bold := plain.Bold(true)
	rev := plain.Reverse(true)
	var st Styles
	st.Tabs.Active = rev.Bold(true)
	st.Tabs.Inactive = plain
	st.Tabs.Gap = plain
	st.Status.Info = plain
	st.Status.Error = bold
	st.Status.Bar = plain
	st.Help = help.Styles{
		Ellipsis: plain, ShortKey: bold, ShortDesc: plain, ShortSeparator: plain,
		FullKey: bold, FullDesc: plain, FullSeparator: plain,
	}
	th := threadview.Styles{
		Tree: plain, User: bold, Bot: plain, Agent: plain, System: plain, Time: plain,
		Kind: plain, Marker: bold, Selected: rev, Unfocused: plain.Underline(true), Rule: plain,
		Label: plain, Muted: plain, DetailText: plain,
		// A hit is reverse and bold; in the (reversed or underlined) selected row, bold alone.
		Match: rev.Bold(true), SelectedMatch: bold, Prompt: bold,
		Input: noColorFilterStyles().Input,
	}
	st.Pane = pane.Styles{
		Header: plain, Time: plain, User: plain, Attrs: plain, Selected: rev,
		Unfocused: plain.Underline(true), Footer: plain, Spinner: plain, Title: bold,
		Error: bold, Hint: plain, Muted: plain, Divider: plain, Thread: th,
		Filter: noColorFilterStyles(),
		Pager:  noColorPagerStyles(), // pager.go
	}
	st.Pane.HeaderFocus = bold
	st.Search = noColorSearchStyles() // search.go
	return st
}

// plainStyles have no attributes at all; tests use them to prove that no escape sequence in a
// view comes from vendor text.
func plainStyles() Styles {
	plain := lipgloss.NewStyle()
	var st Styles
	st.Tabs.Active, st.Tabs.Inactive, st.Tabs.Gap = plain, plain, plain
	st.Status.Info, st.Status.Error, st.Status.Bar = plain, plain, plain
	st.Help = help.Styles{Ellipsis: plain, ShortKey: plain, ShortDesc: plain, ShortSeparator: plain,
		FullKey: plain, FullDesc: plain, FullSeparator: plain}
	th := threadview.Styles{Tree: plain, User: plain, Bot: plain, Agent: plain, System: plain,
		Time: plain, Kind: plain, Marker: plain, Selected: plain, Unfocused: plain, Rule: plain,
		Label: plain, Muted: plain, DetailText: plain, Match: plain, SelectedMatch: plain, Prompt: plain}
	st.Pane = pane.Styles{Header: plain, Time: plain, User: plain, Attrs: plain, Selected: plain,
		Unfocused: plain, Footer: plain, Spinner: plain, Title: plain, Error: plain, Hint: plain,
		Muted: plain, Divider: plain, Thread: th}
	st.Search = search.Styles{Title: plain, Prompt: plain, Header: plain, Muted: plain, Text: plain,
		Error: plain, Source: plain, Time: plain, User: plain, Match: plain, Selected: plain,
		SelectedMatch: plain}
	return st
}
