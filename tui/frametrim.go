package tui

import (
	"strings"

	tea "charm.land/bubbletea/v2"
)

// Bubble Tea's renderer (ultraviolet) clears its cell buffer, then parses the whole frame into
// it, every frame: each byte and each cell of the frame costs, whatever changed. The blanks
// that pad a line to the width are most of a wide frame (5.3 of 14.7 KB at 200x50, the
// thread column's padding and blank lines), and an unstyled space is the cell the cleared
// buffer already holds. trimView drops them from the frame the program gets, where that leaves
// every cell the same: only spaces, only where no SGR attribute is in effect, never on a line
// holding an OSC sequence (a hyperlink would make them link cells). App.View itself keeps its
// lines w cells wide (the layout's tests and goldens measure them).

// trimView is v with its content through trimFrame.
func trimView(v tea.View) tea.View {
	v.Content = trimFrame(v.Content)
	return v
}

// trimFrame is s without the unstyled blanks that end its lines (trimLine), the newlines as
// they are; s itself when there are none. The frame starts with no attribute in effect. One
// pass: a line is copied only once a line before it was trimmed.
func trimFrame(s string) string {
	var b strings.Builder
	copying := false                // b holds s up to rest, trimmed
	plain, rest, done := true, s, 0 // done: the bytes of s before rest
	for {
		i := strings.IndexByte(rest, '\n')
		line := rest
		if i >= 0 {
			line = rest[:i]
		}
		if t := trimLine(line, plain); len(t) < len(line) || copying {
			if !copying {
				copying = true
				b.Grow(len(s))
				b.WriteString(s[:done])
			}
			b.WriteString(t)
			if i >= 0 {
				b.WriteByte('\n')
			}
		}
		plain = sgrPlain(line, plain)
		if i < 0 {
			break
		}
		done += i + 1
		rest = rest[i+1:]
	}
	if !copying {
		return s
	}
	return b.String()
}

// trimLine is line without its trailing spaces when they would be drawn as unstyled blanks:
// no SGR attribute in effect where they start (plain: none at the line's start) and no OSC
// sequence in the line. Otherwise it is line.
func trimLine(line string, plain bool) string {
	t := len(line)
	for t > 0 && line[t-1] == ' ' {
		t--
	}
	if t == len(line) || !sgrPlain(line[:t], plain) || strings.Contains(line, "\x1b]") {
		return line
	}
	return line[:t]
}

// sgrPlain reports whether no SGR attribute is in effect after s, given plain, whether none
// was at its start: the last control sequence in s decides ("\x1b[m" or "\x1b[0m": none; any
// other SGR, or a sequence it cannot read: some, to be safe).
func sgrPlain(s string, plain bool) bool {
	i := strings.LastIndexByte(s, '\x1b')
	if i < 0 {
		return plain
	}
	if i+1 == len(s) || s[i+1] != '[' {
		return false // not a control sequence (an OSC, its terminator): unknown
	}
	seq := s[i+2:]
	n := 0
	for n < len(seq) && (seq[n] >= '0' && seq[n] <= '9' || seq[n] == ';' || seq[n] == ':') {
		n++
	}
	if n == len(seq) || seq[n] != 'm' {
		return false
	}
	return n == 0 || seq[:n] == "0"
}
