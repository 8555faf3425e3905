// Package quickfilter narrows conversations already loaded, on the client, without a request:
// the `/` quick filter of the TUI. It is pure and never imports Bubble Tea; the TUI runs Filter
// in a command, off the UI loop.
//
// The language:
//
//	vpn reset        every term must match (case-insensitive substring) the user id, the
//	                 summary or an attribute value
//	!hr              a term starting with ! must not match
//	user:u-12        field:value scopes a term to one field: user, summary, id, or an
//	                 attribute key (domain, platform, channel…); !field:value negates it
//	re:^reset.*vpn   a query starting with re: is one regular expression (Go syntax, matched
//	                 as written: add (?i) to ignore case) over the same fields
//
// Ignoring case means comparing strings.ToLower of both sides; attribute keys are compared with
// strings.EqualFold.
//
// Matching every row is too slow for a million of them, so the TUI keeps an Index of the rows
// loaded (built page by page, off the UI loop) and runs FilterIndexed: a term is then one
// bytes.Index scan of a contiguous lower-cased buffer, and a regular expression runs only on
// the rows that hold a literal it requires; one anchored at the start or end of a field (^Reset,
// [0-9]{5}$) runs no regular expression at all and looks only there (anchor.go); one with no
// literal worth searching for ([0-9]{5}) is searched as a run of byte classes (classseq.go). Filter, the
// same without an index, matches each row with Matcher.Match. FilterPatched also matches the
// summaries fetched apart from the listing (patch.go).
package quickfilter

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"regexp/syntax"
	"runtime"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/confab-dev/confab/client"
	"github.com/confab-dev/confab/client/filterterm"
)

// Error is a quick filter that cannot be used (an invalid regular expression).
type Error struct {
	Msg string
	Pos int // byte offset in the query
}

func (e *Error) Error() string { return fmt.Sprintf("quick filter at column %d: %s", e.Pos+1, e.Msg) }

// field says which part of a conversation a term looks at.
type field int

const (
	anyField field = iota
	userField
	summaryField
	idField
	attrField
)

type term struct {
	field field
	attr  string // the attribute key, for attrField
	neg   bool
	text  string // lower-cased
	ascii bool   // text is ASCII: the allocation-free matcher applies
	naive bool   // text holds a 0 or 1 byte: the index cannot answer, each row is matched
}

// Matcher is a parsed quick filter. The zero value (and nil) matches everything.
type Matcher struct {
	terms []term
	re    *regexp.Regexp
	pre   *requirement // what the index must hold for re to match, if known
	anch  *anchored    // re as runes at the start or end of a field, if it is that simple
	seqs  []*classSeq  // runs of classes re requires (one of), when searching for them beats pre (classseq.go)
}

// Parse parses query. An empty query gives a Matcher that matches everything.
func Parse(query string) (*Matcher, error) {
	q := strings.TrimSpace(query)
	if rest, ok := strings.CutPrefix(q, "re:"); ok {
		if rest == "" {
			return &Matcher{}, nil
		}
		re, err := regexp.Compile(rest)
		if err != nil {
			msg := err.Error()
			var e *syntax.Error
			if errors.As(err, &e) {
				msg = string(e.Code)
				if e.Expr != "" {
					msg += ": " + e.Expr
				}
			}
			pos := strings.Index(query, "re:") + 3
			return nil, &Error{Msg: "invalid regular expression: " + msg, Pos: pos}
		}
		m := &Matcher{re: re, pre: prefilter(rest), anch: anchor(rest)}
		if m.anch == nil {
			m.seqs = pickSeqs(m.pre, classReqs(rest))
		}
		return m, nil
	}
	m := &Matcher{}
	words, _ := filterterm.Lex(q, filterterm.Options{Plain: true}) // plain lexing never fails
	for _, tw := range words {
		w, t := tw.Text, term{}
		if len(w) > 1 && w[0] == '!' {
			t.neg, w = true, w[1:]
		}
		if k, v, ok := strings.Cut(w, ":"); ok && v != "" && isKey(k) {
			switch strings.ToLower(k) {
			case "user":
				t.field = userField
			case "summary":
				t.field = summaryField
			case "id":
				t.field = idField
			default:
				t.field, t.attr = attrField, k
			}
			w = v
		}
		t.text = strings.ToLower(w)
		t.ascii = isASCII(t.text)
		t.naive = strings.ContainsAny(t.text, "\x00\x01")
		m.terms = append(m.terms, t)
	}
	return m, nil
}

// isKey reports whether k can be a field name: letters, digits, '_', '-' and '.'.
func isKey(k string) bool {
	if k == "" {
		return false
	}
	for i := 0; i < len(k); i++ {
		c := k[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-' || c == '.') {
			return false
		}
	}
	return true
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// Empty reports whether m matches everything.
func (m *Matcher) Empty() bool { return m == nil || (m.re == nil && len(m.terms) == 0) }

// Match reports whether c matches m.
func (m *Matcher) Match(c *client.Conversation) bool {
	if m.Empty() {
		return true
	}
	if m.re != nil {
		return m.matchRegexp(c)
	}
	for i := range m.terms {
		t := &m.terms[i]
		if t.match(c) == t.neg {
			return false
		}
	}
	return true
}

func (t *term) match(c *client.Conversation) bool {
	switch t.field {
	case userField:
		return t.contains(c.UserID)
	case summaryField:
		return t.contains(c.Summary)
	case idField:
		return t.contains(c.ID)
	case attrField:
		for _, a := range c.Attrs {
			if strings.EqualFold(a.Key, t.attr) && t.contains(a.Value) {
				return true
			}
		}
		return false
	}
	if t.contains(c.Summary) || t.contains(c.UserID) {
		return true
	}
	for _, a := range c.Attrs {
		if t.contains(a.Value) {
			return true
		}
	}
	return false
}

// contains reports whether h contains the term's text, ignoring case: whether
// strings.ToLower(h) contains it.
func (t *term) contains(h string) bool {
	if t.ascii {
		// Only ASCII letters and two other runes (İ, the Kelvin sign) lower-case to ASCII.
		return containsFoldASCII(h, t.text) || lowersToASCII(h) && strings.Contains(strings.ToLower(h), t.text)
	}
	return strings.Contains(strings.ToLower(h), t.text)
}

// containsFoldASCII reports whether h contains n (lower-case ASCII), ignoring ASCII case. It
// does not allocate: candidates are found with strings.IndexByte for both cases of n's first
// byte. A non-ASCII byte of h never equals an ASCII byte of n, so UTF-8 text is safe.
func containsFoldASCII(h, n string) bool {
	if len(n) == 0 {
		return true
	}
	if len(h) < len(n) {
		return false
	}
	lo := n[0]
	up := lo
	if lo >= 'a' && lo <= 'z' {
		up = lo - 'a' + 'A'
	}
	last := len(h) - len(n) // the last position a match may start at
	nl, nu := -2, -2        // next candidate positions (-2: not computed, -1: none)
	for i := 0; i <= last; {
		if nl != -1 && nl < i {
			nl = indexFrom(h[:last+1], lo, i)
		}
		if up != lo && nu != -1 && nu < i {
			nu = indexFrom(h[:last+1], up, i)
		}
		p := nl
		if up != lo && (p == -1 || (nu != -1 && nu < p)) {
			p = nu
		}
		if p == -1 {
			return false
		}
		if equalFoldASCII(h[p+1:p+len(n)], n[1:]) {
			return true
		}
		i = p + 1
	}
	return false
}

func indexFrom(h string, c byte, from int) int {
	j := strings.IndexByte(h[from:], c)
	if j < 0 {
		return -1
	}
	return from + j
}

// equalFoldASCII compares s with lower-case ASCII n, ignoring ASCII case; len(s) == len(n).
func equalFoldASCII(s, n string) bool {
	for i := 0; i < len(n); i++ {
		c := s[i]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != n[i] {
			return false
		}
	}
	return true
}

// chunk is the number of rows one worker matches between checks of the context.
const chunk = 16384

// Filter returns the indexes (plus base) of the items that match m, in order. It splits the
// work over the available CPUs and stops early, returning ctx's error, when ctx is cancelled.
func Filter(ctx context.Context, items []client.Conversation, m *Matcher, base int) ([]int, error) {
	return FilterRows(ctx, Slice(items), m, base)
}

// FilterRows is Filter over rows.
func FilterRows(ctx context.Context, items Rows, m *Matcher, base int) ([]int, error) {
	return filterSpan(ctx, items, 0, items.Len(), m, base)
}

// filterSpan matches rows [lo, hi) of items; a match i is reported as i+shift.
func filterSpan(ctx context.Context, items Rows, lo, hi int, m *Matcher, shift int) ([]int, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("quick filter: %w", err)
	}
	n := hi - lo
	workers := min(runtime.GOMAXPROCS(0), 8, max(1, n/chunk))
	if workers <= 1 {
		return filterRange(ctx, items, lo, hi, m, shift)
	}
	per := (n + workers - 1) / workers
	parts := make([][]int, workers)
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for w := range workers {
		from, to := lo+w*per, min(hi, lo+(w+1)*per)
		wg.Go(func() {
			parts[w], errs[w] = filterRange(ctx, items, from, to, m, shift)
		})
	}
	wg.Wait()
	n = 0
	for w := range parts {
		if errs[w] != nil {
			return nil, errs[w]
		}
		n += len(parts[w])
	}
	out := make([]int, 0, n)
	for _, p := range parts {
		out = append(out, p...)
	}
	return out, nil
}

func filterRange(ctx context.Context, items Rows, lo, hi int, m *Matcher, shift int) ([]int, error) {
	var out []int
	var buf client.Conversation
	for i := lo; i < hi; i++ {
		if (i-lo)%chunk == chunk-1 {
			if err := ctx.Err(); err != nil {
				return nil, fmt.Errorf("quick filter: %w", err)
			}
		}
		if m.Match(items.At(i, &buf)) {
			out = append(out, shift+i)
		}
	}
	return out, nil
}

// Rows is the loaded rows the quick filter reads: a Slice, or the pane's compact row store.
// It is read from several goroutines at once and must not change while a call reads it.
type Rows interface {
	Len() int
	// At returns row i; rows not kept as Conversations are written into buf (whose Attrs'
	// storage is reused) and buf returned. The result is read before the next At with buf.
	At(i int, buf *client.Conversation) *client.Conversation
}

// Slice is Rows over conversations in memory.
type Slice []client.Conversation

// Len is the number of rows.
func (s Slice) Len() int { return len(s) }

// At returns &s[i].
func (s Slice) At(i int, _ *client.Conversation) *client.Conversation { return &s[i] }
