package config

// maxWindows checks a source's max_windows (at the given line): the most window requests one
// listing of a windowed source may need before confab refuses the range. Whether the key
// applies to the source's kind is checked with the other vendor keys (source.go).
func (v *validator) maxWindows(line int, label string, rs rawSource) int {
	if rs.MaxWindows < 0 {
		v.add(line, false, "%s: max_windows %d is negative (leave it out for the default, 400)", label, rs.MaxWindows)
		return 0
	}
	return rs.MaxWindows
}
