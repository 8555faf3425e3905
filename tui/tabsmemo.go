package tui

// tabsMemo keeps the tab bar between frames: it changes only when a tab's name or count, the
// active tab, the width or the styles change (handleBackground empties it). Formatting and
// styling every label each frame cost a keypress two dozen allocations.
type tabsMemo struct {
	valid         bool
	w, active     int
	names, titles []string
	out           string
	scratchTitles []string
}

// lookup reports the kept bar when it is still the bar of a at width w; it gathers the
// panes' titles (which the caller needs on a miss anyway) into m.scratchTitles.
func (m *tabsMemo) lookup(a *App, w int) (string, bool) {
	m.scratchTitles = m.scratchTitles[:0]
	for _, p := range a.panes {
		m.scratchTitles = append(m.scratchTitles, p.Title())
	}
	if !m.valid || m.w != w || m.active != a.active || len(m.names) != len(a.panes) {
		return "", false
	}
	for i, p := range a.panes {
		if m.names[i] != p.Name() || m.titles[i] != m.scratchTitles[i] {
			return "", false
		}
	}
	return m.out, true
}

// store keeps out as the bar of a at width w, with the titles lookup gathered.
func (m *tabsMemo) store(a *App, w int, out string) {
	m.names = m.names[:0]
	for _, p := range a.panes {
		m.names = append(m.names, p.Name())
	}
	m.titles = append(m.titles[:0], m.scratchTitles...)
	m.valid, m.w, m.active, m.out = true, w, a.active, out
}
