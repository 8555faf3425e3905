package transcript

import (
	"strings"

	"github.com/confab-dev/confab/client/sanitize"
)

// text writes the plain-text transcript: a header of "Key: value" lines, then one entry per
// interaction in thread order, its first line "time  <tree guides>Speaker (kind)" and its
// text below, continuing the tree guides:
//
//	2026-11-08T10:00:00Z  User (text)
//	                        I can't log in
//	2026-11-08T10:00:02Z  └─ Bot (bot)
//	                           Let's reset your password.
func (d *doc) text() {
	w := d.w
	w.WriteString("Conversation ")
	w.WriteString(sanitize.Line(d.c.ID))
	if d.c.Source != "" {
		w.WriteString(" in ")
		w.WriteString(sanitize.Line(d.c.Source))
	}
	w.WriteString("\n")
	fields, note := d.headerFields()
	if note != "" {
		// In text the note is a header line like the others ("note: …"), before the count.
		fields = append(fields[:len(fields):len(fields)], field{})
		copy(fields[1:], fields[:len(fields)-1])
		fields[0] = field{"note", note}
	}
	for _, f := range fields {
		if f.key == "Conversation" {
			continue
		}
		w.WriteString(sanitize.Line(f.key))
		w.WriteString(": ")
		w.WriteString(sanitize.Line(f.value))
		w.WriteString("\n")
	}
	// The time column: RFC 3339 in UTC is 20 characters, with an offset 25.
	tw := len("2006-01-02T15:04:05Z")
	if d.loc != nil && d.loc.String() != "UTC" {
		tw = len("2006-01-02T15:04:05-07:00")
	}
	pad := strings.Repeat(" ", tw)
	for _, r := range d.rows {
		it := d.tree.Item(int(r.Index))
		w.WriteString("\n")
		ts := d.itemStamp(it)
		w.WriteString(ts)
		w.WriteString(pad[min(len(ts), tw):])
		w.WriteString("  ")
		w.WriteString(r.Prefix())
		w.WriteString(sanitize.Line(d.redact(it.SpeakerLabel())))
		kind := sanitize.Line(it.Kind)
		if a := action(it.Kind); a != "" {
			kind = a
		}
		if kind != "" {
			w.WriteString(" (")
			w.WriteString(kind)
			w.WriteString(")")
		}
		if m := marker(r); m != "" {
			w.WriteString(" [")
			w.WriteString(m)
			w.WriteString("]")
		}
		w.WriteString("\n")
		cont := pad + "  " + continuation(r.Prefix()) + "  "
		if showsAttrs(it.Kind) && len(it.Attrs) > 0 {
			w.WriteString(cont)
			for i, kv := range it.Attrs {
				if i > 0 {
					w.WriteString(", ")
				}
				w.WriteString(sanitize.Line(kv.Key))
				w.WriteString("=")
				w.WriteString(sanitize.Line(d.redact(kv.Value)))
			}
			w.WriteString("\n")
		}
		text := strings.TrimRight(sanitize.Text(d.redact(it.Text)), "\n")
		if strings.TrimSpace(text) == "" {
			continue
		}
		for line := range strings.SplitSeq(text, "\n") {
			w.WriteString(strings.TrimRight(cont+line, " \t"))
			w.WriteString("\n")
		}
	}
}

// continuation turns a row's tree guides into the guides of the lines below it: the branch of
// the row itself becomes a vertical line ("├─ " → "│  ") or nothing ("└─ " → "   ").
func continuation(prefix string) string {
	switch {
	case strings.HasSuffix(prefix, "├─ "):
		return strings.TrimSuffix(prefix, "├─ ") + "│  "
	case strings.HasSuffix(prefix, "└─ "):
		return strings.TrimSuffix(prefix, "└─ ") + "   "
	}
	return prefix
}
