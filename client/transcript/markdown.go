package transcript

import (
	"strings"

	"github.com/confab-dev/confab/client/sanitize"
	"github.com/confab-dev/confab/client/thread"
)

// mdIndent is the indentation of one level of replies: the width of the "- " list marker, so
// a reply is a list item nested in the item of the turn it answers.
const mdIndent = "  "

// markdown writes the Markdown transcript:
//
//	# Conversation `id`
//
//	- **Source:** …
//	- **User:** …
//
//	> **Note:** …
//
//	## Transcript
//
//	- **User** · 2026-11-08T10:00:00Z · text
//	  ```text
//	  …
//	  ```
//	  - **Bot** · 2026-11-08T10:00:02Z · bot
//	    ```text
//	    …
//	    ```
func (d *doc) markdown() {
	w := d.w
	w.WriteString("# Conversation ")
	w.WriteString(codeSpan(sanitize.Line(d.c.ID)))
	w.WriteString("\n\n")
	fields, note := d.headerFields()
	for _, f := range fields {
		w.WriteString("- **")
		w.WriteString(mdInline(sanitize.Line(f.key)))
		w.WriteString(":** ")
		switch f.key {
		case "Conversation", "User", "Subtree of":
			w.WriteString(codeSpan(sanitize.Line(f.value)))
		default:
			w.WriteString(mdInline(sanitize.Line(f.value)))
		}
		w.WriteString("\n")
	}
	if note != "" {
		w.WriteString("\n> **Note:** ")
		w.WriteString(mdInline(sanitize.Line(note)))
		w.WriteString("\n")
	}
	w.WriteString("\n## Transcript\n\n")
	if len(d.rows) == 0 {
		w.WriteString("_No messages._\n")
		return
	}
	for _, r := range d.rows {
		d.mdRow(r)
	}
}

func (d *doc) mdRow(r thread.Row) {
	w := d.w
	it := d.tree.Item(int(r.Index))
	depth := min(r.Depth(), thread.MaxGuideDepth)
	indent := strings.Repeat(mdIndent, depth)
	body := indent + mdIndent

	w.WriteString(indent)
	w.WriteString("- **")
	w.WriteString(mdInline(sanitize.Line(d.redact(it.SpeakerLabel()))))
	w.WriteString("**")
	if ts := d.itemStamp(it); ts != "" {
		w.WriteString(" · ")
		w.WriteString(ts)
	}
	kind := sanitize.Line(it.Kind)
	if a := action(it.Kind); a != "" {
		kind = a
	}
	if kind != "" {
		w.WriteString(" · ")
		w.WriteString(mdInline(kind))
	}
	if m := marker(r); m != "" {
		w.WriteString(" · _")
		w.WriteString(m)
		w.WriteString("_")
	}
	if r.Depth() > depth {
		w.WriteString(" · _depth ")
		w.WriteString(itoa(r.Depth()))
		w.WriteString("_")
	}
	w.WriteString("\n")

	if showsAttrs(it.Kind) && len(it.Attrs) > 0 {
		w.WriteString(body)
		for i, kv := range it.Attrs {
			if i > 0 {
				w.WriteString(" · ")
			}
			w.WriteString(mdInline(sanitize.Line(kv.Key)))
			w.WriteString(": ")
			w.WriteString(mdInline(sanitize.Line(d.redact(kv.Value))))
		}
		w.WriteString("\n")
	}
	text := strings.TrimRight(sanitize.Text(d.redact(it.Text)), "\n")
	if strings.TrimSpace(text) == "" {
		return
	}
	fence := strings.Repeat("`", max(3, longestRun(text, '`')+1))
	w.WriteString(body)
	w.WriteString(fence)
	w.WriteString("text\n")
	for line := range strings.SplitSeq(text, "\n") {
		line = strings.TrimRight(line, " \t")
		if line != "" {
			w.WriteString(body)
			w.WriteString(line)
		}
		w.WriteString("\n")
	}
	w.WriteString(body)
	w.WriteString(fence)
	w.WriteString("\n")
}

// longestRun is the length of the longest run of c in s.
func longestRun(s string, c byte) int {
	best, cur := 0, 0
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			cur++
			best = max(best, cur)
		} else {
			cur = 0
		}
	}
	return best
}

// mdInline escapes single-line text for inline Markdown: every character that could start
// emphasis, a link, an image, a code span, HTML, an entity, a table cell or strikethrough is
// backslash-escaped. The text never starts a line of the output, so block syntax (#, -, >, 1.)
// cannot apply.
func mdInline(s string) string {
	const special = "\\`*_[]<>&|~!"
	if !strings.ContainsAny(s, special) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); i++ {
		if strings.IndexByte(special, s[i]) >= 0 {
			b.WriteByte('\\')
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// codeSpan puts single-line text in a code span whose delimiters are longer than any backtick
// run in it (CommonMark: padded with spaces when the text starts or ends with a backtick).
func codeSpan(s string) string {
	if s == "" {
		return ""
	}
	ticks := strings.Repeat("`", longestRun(s, '`')+1)
	if s[0] == '`' || s[len(s)-1] == '`' || (s[0] == ' ' && s[len(s)-1] == ' ') {
		s = " " + s + " "
	}
	return ticks + s + ticks
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var buf [20]byte
	i := len(buf)
	for n > 0 {
		i--
		buf[i] = byte('0' + n%10)
		n /= 10
	}
	return string(buf[i:])
}
