package tui

// helpMemo keeps the short help's rendered lines between frames: they change only when the
// bindings shown (their keys, descriptions, whether they are enabled), the size or the styles
// change, and rendering them through help.Model and lipgloss costs a third of a keypress's
// allocations. handleBackground empties it when the styles change.
type helpMemo struct {
	valid bool
	w, h  int
	sig   []hintSig
	out   string
}

// hintSig is what a hint shows.
type hintSig struct {
	key, desc string
	enabled   bool
	keep      int
}

// same reports whether the memo holds the help for hs at w×h.
func (m *helpMemo) same(hs []hint, w, h int) bool {
	if !m.valid || m.w != w || m.h != h || len(m.sig) != len(hs) {
		return false
	}
	for i, x := range hs {
		hb := x.b.Help()
		if s := m.sig[i]; s.key != hb.Key || s.desc != hb.Desc || s.enabled != x.b.Enabled() || s.keep != x.keep {
			return false
		}
	}
	return true
}

// store keeps out as the help for hs at w×h.
func (m *helpMemo) store(hs []hint, w, h int, out string) {
	m.sig = m.sig[:0]
	for _, x := range hs {
		hb := x.b.Help()
		m.sig = append(m.sig, hintSig{key: hb.Key, desc: hb.Desc, enabled: x.b.Enabled(), keep: x.keep})
	}
	m.valid, m.w, m.h, m.out = true, w, h, out
}
