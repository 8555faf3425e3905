package pane

import (
	"strings"
	"time"

	"github.com/confab-dev/confab/client"
	"github.com/confab-dev/confab/client/sanitize"
)

// The thread header: one labelled line naming the conversation the thread belongs to, so its
// id can be read off the screen and pasted into a ticket or `confab export`:
//
//	source mw · id Q7fTz2LmX0aB · user Jane Doe <jane@example.com> · started 2026-11-08 09:30 · ended 09:35 · summary
//
// When the line does not fit, parts go in a fixed order: the summary, the end time, the start
// time, then the user (first shortened with "…", then dropped), then the source is shortened.
// The id is never cut silently: when even "source … · id …" is too wide, the id shows its end
// after "…" (ids differ most at their end, and the "…" says that the start is missing).

// headerSep separates the header's parts; headerSepW is its width in cells.
const (
	headerSep  = " · "
	headerSepW = 3
)

// headerTime is how the header shows a time, in the TUI's zone.
const headerTime = "2006-01-02 15:04"

// headerMinUser is the fewest cells a shortened user keeps before it is dropped.
const headerMinUser = 6

// headerMinSummary is the fewest cells a shortened summary keeps before it is dropped.
const headerMinSummary = 12

// threadHeader is the header line of c's thread for w cells, sanitized: at most w cells wide
// (wider only when w cannot hold "id …" and a few characters of the id). source names the
// conversation's source when c.Source is empty (a single-source tab). The last line made is
// kept in m (the pane's): the frames between two keys show the same conversation.
func (m *headerMemo) threadHeader(c client.Conversation, source string, loc *time.Location, w int) string {
	if loc == nil {
		loc = time.UTC
	}
	k := headerKey{source: c.Source, id: c.ID, userID: c.UserID, summary: c.Summary, started: c.Started,
		updated: c.Updated, nattrs: len(c.Attrs), name: source, loc: loc, w: w}
	if len(c.Attrs) > 0 {
		k.attrs = &c.Attrs[0]
	}
	if m.ok && m.key == k {
		return m.out
	}
	out := formatThreadHeader(&c, source, loc, w)
	m.ok, m.key, m.out = true, k, out
	return out
}

// headerKey is everything a thread header is made from.
type headerKey struct {
	source, id, userID, summary string
	started, updated            time.Time
	attrs                       *client.Attr // the attributes' backing array and length (the user's name and e-mail)
	nattrs                      int
	name                        string // the pane's source name
	loc                         *time.Location
	w                           int
}

// headerMemo is the last thread header a pane made (threadBinding.hdr), keyed by everything it
// is made from.
type headerMemo struct {
	ok  bool
	key headerKey
	out string
}

// formatThreadHeader is threadHeader made from scratch. The usual line (the parts that fit,
// in order) is written once into one builder and measured there.
func formatThreadHeader(c *client.Conversation, source string, loc *time.Location, w int) string {
	if c.Source != "" {
		source = c.Source
	}
	src := sanitize.Line(sanitize.Clip(source, sanitize.ClipBytes(64)))
	id := sanitize.Line(sanitize.Clip(c.ID, sanitize.ClipBytes(256)))
	user := sanitize.Line(sanitize.Clip(c.UserLabel(), sanitize.ClipBytes(128)))
	sum := sanitize.Line(sanitize.Clip(c.Summary, sanitize.ClipBytes(max(w, 0))))

	// source · id · user · started · ended, and where each ends.
	var b strings.Builder
	b.Grow(len(src) + len(id) + len(user) + len(sum) + 96)
	part := func(label, v string) {
		if b.Len() > 0 {
			b.WriteString(headerSep)
		}
		b.WriteString(label)
		b.WriteString(v)
	}
	if src != "" {
		part("source ", src)
	}
	if id == "" {
		part("id (none)", "")
	} else {
		part("id ", id)
	}
	if user != "" {
		part("user ", user)
	}
	withUser := b.Len()
	var tb [32]byte
	if !c.Started.IsZero() {
		part("started ", "")
		b.Write(c.Started.In(loc).AppendFormat(tb[:0], headerTime))
	}
	withStart := b.Len()
	if !c.Updated.IsZero() {
		end := c.Updated.In(loc)
		f := headerTime
		if s := c.Started.In(loc); !c.Started.IsZero() && s.Year() == end.Year() && s.YearDay() == end.YearDay() {
			f = "15:04" // the same day: the time is enough
		}
		part("ended ", "")
		b.Write(end.AppendFormat(tb[:0], f))
	}
	// Each try is the parts of one step of the order above (each a prefix of the line); the
	// first that fits wins. The summary only follows every other part.
	all := b.String()
	if lw := sanitize.Width(all); lw <= w {
		if room := w - lw - headerSepW; sum != "" && room >= headerMinSummary {
			b.WriteString(headerSep)
			b.WriteString(sanitize.Truncate(sum, room, sanitize.Ellipsis))
			return b.String()
		}
		return all
	}
	for _, end := range []int{withStart, withUser} {
		if line := all[:end]; sanitize.Width(line) <= w {
			return line
		}
	}
	labelled := func(label, v string) string {
		if v == "" {
			return ""
		}
		return label + " " + v
	}
	srcPart, idPart, userPart := labelled("source", src), "id "+id, labelled("user", user)
	if id == "" {
		idPart = "id (none)"
	}
	// The user, shortened to what is left beside the source and the id.
	base := joinParts(srcPart, idPart)
	if room := w - sanitize.Width(base) - headerSepW - len("user "); userPart != "" && room >= headerMinUser {
		return joinParts(base, "user "+sanitize.Truncate(user, room, sanitize.Ellipsis))
	}
	if sanitize.Width(base) <= w {
		return base
	}
	// The source shortened to a few cells, then the id cut at its start.
	if srcPart != "" {
		srcPart = "source " + sanitize.Truncate(src, 8, sanitize.Ellipsis)
	}
	if line := joinParts(srcPart, idPart); sanitize.Width(line) <= w {
		return line
	}
	prefix := "id "
	if srcPart != "" {
		prefix = srcPart + headerSep + "id "
	}
	room := w - sanitize.Width(prefix)
	if room < 6 { // too narrow for the source: the id alone
		prefix, room = "id ", w-len("id ")
	}
	return prefix + idTail(id, max(room, 4))
}

// joinParts joins the non-empty parts with headerSep.
func joinParts(parts ...string) string {
	var b strings.Builder
	for _, p := range parts {
		if p == "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteString(headerSep)
		}
		b.WriteString(p)
	}
	return b.String()
}

// idTail is the end of sanitized id in at most w cells, after "…" when it had to be cut.
func idTail(id string, w int) string {
	if sanitize.Width(id) <= w {
		return id
	}
	r := []rune(id)
	keep, used := 0, 0
	for keep < len(r) {
		cw := sanitize.Width(string(r[len(r)-keep-1]))
		if used+cw > w-1 {
			break
		}
		keep++
		used += cw
	}
	tail := string(r[len(r)-keep:])
	for keep > 0 && sanitize.Width(sanitize.Ellipsis+tail) > w { // a cluster that joined up wider
		keep--
		tail = string(r[len(r)-keep:])
	}
	return sanitize.Ellipsis + tail
}
