package config

// maxWindows checks a source's max_windows (at the given line): the most window requests one
// listing of a talkdesk or opendialog source may need before confab refuses the range.
func (v *validator) maxWindows(line int, label string, rs rawSource) int {
	switch {
	case rs.MaxWindows < 0:
		v.add(line, false, "%s: max_windows %d is negative (leave it out for the default, 400)", label, rs.MaxWindows)
		return 0
	case rs.MaxWindows > 0 && rs.Kind == KindMoveworks:
		v.add(line, true, "%s: max_windows applies only to talkdesk and opendialog sources; ignored", label)
		return 0
	}
	return rs.MaxWindows
}
