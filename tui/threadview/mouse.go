package threadview

// The mouse's view of the thread (tui/mouse.go maps a pointer to a row here).

// RowAt is the visible row drawn at line y of View (0 is its first line), when line y
// shows a tree row.
func (m *Model) RowAt(y int) (int, bool) {
	y -= m.noteHeight()
	if y < 0 || y >= m.treeHeight() {
		return 0, false
	}
	r := m.offset + y
	if r >= len(m.rows) {
		return 0, false
	}
	return r, true
}

// Select selects visible row i (clamped) and keeps it in view.
func (m *Model) Select(i int) {
	m.cursor = i
	m.clamp()
}

// Scroll moves the window of tree rows by delta rows, as a mouse wheel does: the selection
// stays on its row while that row is in view and is pulled along at the edge; when the window
// cannot move further, the selection moves instead (so the wheel reaches the first and the
// last row).
func (m *Model) Scroll(delta int) {
	th := m.treeHeight()
	if th <= 0 || len(m.rows) == 0 {
		return
	}
	off := max(0, min(m.offset+delta, len(m.rows)-th))
	if off == m.offset {
		m.Move(delta)
		return
	}
	m.offset = off
	m.cursor = max(off, min(m.cursor, off+th-1))
	m.clamp()
}
