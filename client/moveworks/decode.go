package moveworks

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/confab-dev/confab/client"
)

// A small single-pass JSON reader specialised for Data API pages. encoding/json decodes a
// page of interactions at a fraction of the throughput confab needs (DESIGN.md: at least
// 170 MB/s), so records are read straight into the model, keeping each record's bytes as Raw.
// It is strict about JSON syntax: anything malformed is an error.

var errSyntax = errors.New("malformed JSON")

type reader struct {
	b      []byte
	i      int
	intern map[string]string // repeated values (enums, conversation and user ids)
}

func (r *reader) fail(what string) error {
	if r.i >= len(r.b) {
		return fmt.Errorf("%w: unexpected end of input (%s)", errSyntax, what)
	}
	return fmt.Errorf("%w at byte %d: %s", errSyntax, r.i, what)
}

func (r *reader) ws() {
	for r.i < len(r.b) {
		switch r.b[r.i] {
		case ' ', '\t', '\n', '\r':
			r.i++
		default:
			return
		}
	}
}

// peek returns the next non-space byte (0 at the end).
func (r *reader) peek() byte {
	r.ws()
	if r.i < len(r.b) {
		return r.b[r.i]
	}
	return 0
}

func (r *reader) expect(c byte) error {
	if r.peek() != c {
		return r.fail(fmt.Sprintf("expected %q", c))
	}
	r.i++
	return nil
}

// literal consumes null, true or false.
func (r *reader) literal(lit string) bool {
	if len(r.b)-r.i >= len(lit) && string(r.b[r.i:r.i+len(lit)]) == lit {
		r.i += len(lit)
		return true
	}
	return false
}

// rawString reads a string and returns its bytes between the quotes and whether it holds
// escapes. The bytes alias the input.
func (r *reader) rawString() ([]byte, bool, error) {
	if r.peek() != '"' {
		return nil, false, r.fail("expected a string")
	}
	r.i++
	start, esc := r.i, false
	for r.i < len(r.b) {
		c := r.b[r.i]
		switch {
		case c == '"':
			s := r.b[start:r.i]
			r.i++
			return s, esc, nil
		case c == '\\':
			esc = true
			r.i += 2
		case c < 0x20:
			return nil, false, r.fail("control character in a string")
		default:
			r.i++
		}
	}
	return nil, false, r.fail("unterminated string")
}

// str reads a string value; null reads as "".
func (r *reader) str() (string, error) {
	if r.peek() == 'n' {
		if r.literal("null") {
			return "", nil
		}
		return "", r.fail("bad literal")
	}
	raw, esc, err := r.rawString()
	if err != nil {
		return "", err
	}
	if !esc {
		if utf8.Valid(raw) {
			return string(raw), nil
		}
		return strings.ToValidUTF8(string(raw), "\uFFFD"), nil
	}
	return unescape(raw)
}

// interned reads a string value that repeats across records (an enum, a conversation or user
// id) and shares one copy of it.
func (r *reader) interned() (string, error) {
	if r.peek() != '"' {
		return r.scalar()
	}
	save := r.i
	raw, esc, err := r.rawString()
	if err != nil || esc || len(raw) > 64 {
		r.i = save
		return r.str()
	}
	if v, ok := r.intern[string(raw)]; ok {
		return v, nil
	}
	v := string(raw)
	if !utf8.ValidString(v) {
		return strings.ToValidUTF8(v, "\uFFFD"), nil
	}
	if r.intern == nil {
		r.intern = make(map[string]string, 64)
	}
	if len(r.intern) < 4096 {
		r.intern[v] = v
	}
	return v, nil
}

// scalar reads a string, number, boolean or null as text ("" for null); other values are
// skipped and read as "".
func (r *reader) scalar() (string, error) {
	switch c := r.peek(); {
	case c == '"' || c == 'n':
		return r.str()
	case c == '-' || (c >= '0' && c <= '9'):
		start := r.i
		if err := r.number(); err != nil {
			return "", err
		}
		return string(r.b[start:r.i]), nil
	case c == 't' && r.literal("true"):
		return "true", nil
	case c == 'f' && r.literal("false"):
		return "false", nil
	}
	return "", r.skip()
}

func unescape(raw []byte) (string, error) {
	out := make([]byte, 0, len(raw))
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		if c != '\\' {
			out = append(out, c)
			continue
		}
		i++
		if i >= len(raw) {
			return "", fmt.Errorf("%w: bad escape", errSyntax)
		}
		switch raw[i] {
		case '"', '\\', '/':
			out = append(out, raw[i])
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case 'u':
			r1, ok := hex4(raw[i+1:])
			if !ok {
				return "", fmt.Errorf("%w: bad \\u escape", errSyntax)
			}
			i += 4
			if utf16.IsSurrogate(r1) {
				if r2, ok := hex4(raw[min(i+3, len(raw)):]); ok && i+2 < len(raw) && raw[i+1] == '\\' && raw[i+2] == 'u' {
					if d := utf16.DecodeRune(r1, r2); d != utf8.RuneError {
						out = utf8.AppendRune(out, d)
						i += 6
						continue
					}
				}
				r1 = utf8.RuneError
			}
			out = utf8.AppendRune(out, r1)
		default:
			return "", fmt.Errorf("%w: bad escape \\%c", errSyntax, raw[i])
		}
	}
	return strings.ToValidUTF8(string(out), "\uFFFD"), nil
}

func hex4(b []byte) (rune, bool) {
	if len(b) < 4 {
		return 0, false
	}
	var v rune
	for _, c := range b[:4] {
		switch {
		case c >= '0' && c <= '9':
			v = v<<4 | rune(c-'0')
		case c >= 'a' && c <= 'f':
			v = v<<4 | rune(c-'a'+10)
		case c >= 'A' && c <= 'F':
			v = v<<4 | rune(c-'A'+10)
		default:
			return 0, false
		}
	}
	return v, true
}

// number consumes a JSON number, checking its grammar.
func (r *reader) number() error {
	b, i := r.b, r.i
	if i < len(b) && b[i] == '-' {
		i++
	}
	digits := func() int {
		n := 0
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
			n++
		}
		return n
	}
	if i < len(b) && b[i] == '0' {
		i++
	} else if digits() == 0 {
		return r.fail("bad number")
	}
	if i < len(b) && b[i] == '.' {
		i++
		if digits() == 0 {
			return r.fail("bad number")
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		if digits() == 0 {
			return r.fail("bad number")
		}
	}
	r.i = i
	return nil
}

// skip consumes any value.
func (r *reader) skip() error {
	switch c := r.peek(); {
	case c == '"':
		_, _, err := r.rawString()
		return err
	case c == '{':
		return r.object(func([]byte) error { return r.skip() })
	case c == '[':
		return r.array(r.skip)
	case c == 't' && r.literal("true"), c == 'f' && r.literal("false"), c == 'n' && r.literal("null"):
		return nil
	case c == '-' || (c >= '0' && c <= '9'):
		return r.number()
	}
	return r.fail("expected a value")
}

// object reads an object (or null), calling member for each key; member must consume the value.
func (r *reader) object(member func(key []byte) error) error {
	if r.peek() == 'n' && r.literal("null") {
		return nil
	}
	if err := r.expect('{'); err != nil {
		return err
	}
	if r.peek() == '}' {
		r.i++
		return nil
	}
	for {
		raw, esc, err := r.rawString()
		if err != nil {
			return err
		}
		key := raw
		if esc {
			k, err := unescape(raw)
			if err != nil {
				return err
			}
			key = []byte(k)
		}
		if err := r.expect(':'); err != nil {
			return err
		}
		if err := member(key); err != nil {
			return err
		}
		switch r.peek() {
		case ',':
			r.i++
		case '}':
			r.i++
			return nil
		default:
			return r.fail("expected ',' or '}'")
		}
	}
}

// array reads an array (or null), calling elem for each element.
func (r *reader) array(elem func() error) error {
	if r.peek() == 'n' && r.literal("null") {
		return nil
	}
	if err := r.expect('['); err != nil {
		return err
	}
	if r.peek() == ']' {
		r.i++
		return nil
	}
	for {
		if err := elem(); err != nil {
			return err
		}
		switch r.peek() {
		case ',':
			r.i++
		case ']':
			r.i++
			return nil
		default:
			return r.fail("expected ',' or ']'")
		}
	}
}

// timeValue reads a timestamp; the vendor's fixed format has a fast path.
func (r *reader) timeValue() (time.Time, error) {
	s, err := r.str()
	if err != nil || s == "" {
		return time.Time{}, err
	}
	if t, ok := parseStamp(s); ok {
		return t, nil
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("bad timestamp %q", s)
	}
	return t, nil
}

// parseStamp parses 2025-08-01T16:45:27.511Z.
func parseStamp(s string) (time.Time, bool) {
	if len(s) != 24 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':' || s[19] != '.' || s[23] != 'Z' {
		return time.Time{}, false
	}
	num := func(a, b int) int {
		n := 0
		for i := a; i < b; i++ {
			c := s[i]
			if c < '0' || c > '9' {
				return -1
			}
			n = n*10 + int(c-'0')
		}
		return n
	}
	y, mo, d, h, mi, sec, ms := num(0, 4), num(5, 7), num(8, 10), num(11, 13), num(14, 16), num(17, 19), num(20, 23)
	if y < 0 || mo < 1 || mo > 12 || d < 1 || d > 31 || h < 0 || h > 23 || mi < 0 || mi > 59 || sec < 0 || sec > 59 || ms < 0 {
		return time.Time{}, false
	}
	t := time.Date(y, time.Month(mo), d, h, mi, sec, ms*int(time.Millisecond), time.UTC)
	if t.Day() != d {
		return time.Time{}, false // e.g. February 30th
	}
	return t, true
}

// detail is the union of the detail keys confab shows (APIS.md §1.6).
type detail struct {
	content, domain, entity, resourceID, typ, inner string
	source, usecase, ticket, campaign, channel      string
	fileTypes                                       []string
}

func (r *reader) detail(d *detail) error {
	return r.object(func(k []byte) error {
		var err error
		switch string(k) {
		case "content":
			d.content, err = r.scalar()
		case "domain":
			d.domain, err = r.interned()
		case "entity":
			d.entity, err = r.interned()
		case "resource_id":
			d.resourceID, err = r.interned()
		case "type":
			d.typ, err = r.interned()
		case "detail":
			d.inner, err = r.scalar()
		case "source":
			d.source, err = r.interned()
		case "usecase_name":
			d.usecase, err = r.scalar()
		case "ticket_id":
			d.ticket, err = r.scalar()
		case "campaign_name":
			d.campaign, err = r.scalar()
		case "channel_name":
			d.channel, err = r.scalar()
		case "file_types":
			err = r.array(func() error {
				s, err := r.scalar()
				if s != "" {
					d.fileTypes = append(d.fileTypes, s)
				}
				return err
			})
		default:
			err = r.skip()
		}
		return err
	})
}

// envelope reads a Data API collection page, calling row for each element of value with the
// reader positioned at it. Count is -1 when the page has no @odata.count.
func (r *reader) envelope(row func() error) (next string, count int, err error) {
	count = -1
	err = r.object(func(k []byte) error {
		switch string(k) {
		case "@odata.nextLink":
			var err error
			next, err = r.str()
			return err
		case "@odata.count":
			s, err := r.scalar()
			if err != nil {
				return err
			}
			if s != "" {
				n, perr := strconv.Atoi(s)
				if perr != nil || n < 0 {
					return fmt.Errorf("%w: bad @odata.count %q", errSyntax, s)
				}
				count = n
			}
			return nil
		case "value":
			return r.array(row)
		}
		return r.skip()
	})
	if err == nil && r.peek() != 0 {
		err = r.fail("data after the end of the page")
	}
	return next, count, err
}

// span consumes a value with read and returns its bytes.
func (r *reader) span(read func() error) ([]byte, error) {
	r.ws()
	start := r.i
	if err := read(); err != nil {
		return nil, err
	}
	return r.b[start:r.i:r.i], nil
}

// interactionsPage is one decoded page of /interactions.
type interactionsPage struct {
	rows  []client.Interaction
	next  string
	count int
}

// UnmarshalJSON decodes a page straight into the model. It keeps a copy of data.
func (p *interactionsPage) UnmarshalJSON(data []byte) error {
	if err := client.CheckDepth(data, client.MaxDepth); err != nil {
		return err
	}
	return p.decode(append([]byte(nil), data...))
}

// decode reads a page from body, which it keeps (Raw fields alias it). The reader recurses
// into nested values: body must have passed client.CheckDepth, as client.HTTP's bodies have.
func (p *interactionsPage) decode(body []byte) error {
	r := &reader{b: body}
	p.rows = make([]client.Interaction, 0, min(len(body)/300+1, 10_000))
	var err error
	p.next, p.count, err = r.envelope(func() error {
		p.rows = append(p.rows, client.Interaction{})
		it := &p.rows[len(p.rows)-1]
		raw, err := r.span(func() error { return r.interaction(it) })
		it.Raw = raw
		return err
	})
	return err
}

func (r *reader) interaction(it *client.Interaction) error {
	var typ, platform, label string
	var d detail
	if r.peek() != '{' {
		return r.fail("a record must be an object")
	}
	err := r.object(func(k []byte) error {
		var err error
		switch string(k) {
		case "id":
			it.ID, err = r.scalar()
		case "conversation_id":
			it.ConversationID, err = r.interned()
		case "parent_interaction_id":
			it.ParentID, err = r.scalar()
		case "actor":
			var a string
			a, err = r.interned()
			it.Actor = client.Actor(strings.ToLower(a))
		case "type":
			typ, err = r.interned()
		case "platform":
			platform, err = r.interned()
		case "label":
			label, err = r.interned()
		case "created_time":
			it.Time, err = r.timeValue()
		case "last_updated_time":
			it.Updated, err = r.timeValue()
		case "user_id":
			it.UserID, err = r.interned()
		case "detail":
			err = r.detail(&d)
		default:
			err = r.skip()
		}
		return err
	})
	if err != nil {
		return err
	}
	it.Kind = interactionKind(typ)
	it.Text = interactionText(it.Kind, &d)
	it.Attrs = make(client.Attrs, 0, 4).
		Add("platform", platform).
		Add("domain", d.domain).
		Add("entity", d.entity).
		Add("label", label)
	if it.Kind == client.KindLink || it.Kind == client.KindForm {
		it.Attrs = it.Attrs.Add("resource", d.resourceID).Add("resource_type", strings.TrimPrefix(d.typ, "RESOURCE_TYPE_"))
	}
	if it.Kind == client.KindUpload {
		it.Attrs = it.Attrs.Add("file_types", strings.Join(d.fileTypes, ","))
	}
	return nil
}

// interactionKind maps INTERACTION_TYPE_* onto the model's kinds.
func interactionKind(typ string) string {
	switch strings.TrimPrefix(typ, "INTERACTION_TYPE_") {
	case "FREE_TEXT", "UTTERANCE":
		return client.KindText
	case "BOT_MESSAGE":
		return client.KindBot
	case "BUTTON_CLICK":
		return client.KindButton
	case "LINK_CLICK":
		return client.KindLink
	case "UIFORM_SUBMISSION":
		return client.KindForm
	case "CONTENT_UPLOAD":
		return client.KindUpload
	case "":
		return ""
	}
	return strings.ToLower(strings.TrimPrefix(typ, "INTERACTION_TYPE_"))
}

// interactionText is what a row of the thread shows for an interaction.
func interactionText(kind string, d *detail) string {
	switch {
	case d.content != "":
		return d.content
	case kind == client.KindLink && d.resourceID != "":
		return d.resourceID
	case kind == client.KindForm && d.inner != "":
		return d.inner
	case kind == client.KindUpload && len(d.fileTypes) > 0:
		return "uploaded " + strings.Join(d.fileTypes, ", ")
	case kind == client.KindUpload:
		return "uploaded a file"
	}
	return d.inner
}

// conversationsPage is one decoded page of /conversations.
type conversationsPage struct {
	source string
	rows   []client.Conversation
	next   string
	count  int
}

// UnmarshalJSON decodes a page straight into the model. It keeps a copy of data.
func (p *conversationsPage) UnmarshalJSON(data []byte) error {
	if err := client.CheckDepth(data, client.MaxDepth); err != nil {
		return err
	}
	return p.decode(append([]byte(nil), data...))
}

// decode reads a page from body, which it keeps (Raw fields alias it). The reader recurses
// into nested values: body must have passed client.CheckDepth, as client.HTTP's bodies have.
func (p *conversationsPage) decode(body []byte) error {
	r := &reader{b: body}
	p.rows = make([]client.Conversation, 0, min(len(body)/200+1, 10_000))
	var err error
	p.next, p.count, err = r.envelope(func() error {
		p.rows = append(p.rows, client.Conversation{Source: p.source})
		c := &p.rows[len(p.rows)-1]
		raw, err := r.span(func() error { return r.conversation(c) })
		c.Raw = raw
		return err
	})
	return err
}

func (r *reader) conversation(c *client.Conversation) error {
	var domain, route, typ string
	var d detail
	if r.peek() != '{' {
		return r.fail("a record must be an object")
	}
	err := r.object(func(k []byte) error {
		var err error
		switch string(k) {
		case "id":
			c.ID, err = r.scalar()
		case "user_id":
			c.UserID, err = r.interned()
		case "created_time":
			c.Started, err = r.timeValue()
		case "last_updated_time":
			c.Updated, err = r.timeValue()
		case "primary_domain":
			domain, err = r.interned()
		case "route":
			route, err = r.interned()
		case "type":
			typ, err = r.interned()
		case "detail":
			err = r.detail(&d)
		default:
			err = r.skip()
		}
		return err
	})
	if err != nil {
		return err
	}
	c.Summary = client.FirstLine(d.content)
	c.Attrs = make(client.Attrs, 0, 4).
		Add("domain", domain).
		Add("route", route).
		Add("type", strings.TrimPrefix(typ, "CONVERSATION_TYPE_")).
		Add("ticket", d.ticket).
		Add("campaign", d.campaign).
		Add("usecase", d.usecase).
		Add("channel", d.channel).
		Add("source", d.source)
	return nil
}
