package talkdesk

import (
	"fmt"
	"strings"
	"time"

	"github.com/confab-dev/confab/client"
	"github.com/confab-dev/confab/client/filterterm"
	"github.com/confab-dev/confab/client/timeexpr"
)

// The Talkdesk filter language. The API filters by time window only (APIS.md §2.4), so the
// window terms become request parameters and every other condition is checked by confab on
// each page it receives:
//
//	since:TIME  until:TIME      the time window (RFC 3339, 2026-11-08, 7d, 2w, yesterday…);
//	                            a value with spaces is quoted: since:"20 days ago"
//	field=value                 exact match, case-insensitive
//	field~value                 substring match, case-insensitive
//	field!=value  field!~value  their negations
//
// Terms are separated by spaces and must all hold. Fields: participant, channel, direction,
// sentiment, intent. A message-level field (all but direction) holds when any message of the
// interaction matches; a negation holds when none does.

// fields are the condition fields, in display order.
var fields = []client.Field{
	{Name: "participant", Type: "enum", Values: []string{"agent", "customer", "virtual_agent"},
		Doc: "who spoke: some message is from this participant"},
	{Name: "channel", Type: "enum", Values: []string{"voice", "webchat", "chat", "sms", "digital_connect"},
		Doc: "some message went over this channel"},
	{Name: "direction", Type: "enum", Values: []string{"inbound", "outbound"}, Doc: "the interaction's direction"},
	{Name: "sentiment", Type: "enum", Values: []string{"positive", "neutral", "negative"},
		Doc: "some message has this sentiment"},
	{Name: "intent", Type: "string", Doc: "some message has this detected intent"},
	{Name: "since", Type: "datetime", Doc: "since:TIME starts the time window (inclusive)"},
	{Name: "until", Type: "datetime", Doc: "until:TIME ends the time window (exclusive)"},
}

var condFields = map[string]bool{"participant": true, "channel": true, "direction": true, "sentiment": true, "intent": true}

const fieldList = "participant, channel, direction, sentiment, intent, since:, until:"

// cond is one client-side condition; value is lower-cased.
type cond struct {
	field, op, value string
}

// filter is a parsed filter.
type filter struct {
	since, until time.Time // zero when not given
	conds        []cond
}

// spec implements client.FilterSpec.
type spec struct{ now func() time.Time }

// Fields are the filterable fields.
func (spec) Fields() []client.Field { return append([]client.Field(nil), fields...) }

// Operators are the operators and keywords of the language.
func (spec) Operators() []string { return []string{"=", "~", "!=", "!~", "since:", "until:"} }

// Examples are a few valid filters.
func (spec) Examples() []string {
	return []string{"sentiment=negative intent~password", "since:14d channel=voice direction=inbound",
		`since:2026-11-01 until:2026-11-08 participant=virtual_agent`, "channel!=voice"}
}

// Validate checks text without any I/O.
func (s spec) Validate(text string) error {
	_, err := parseFilter(text, s.now())
	return err
}

// Window reports whether text is only a time window (since:, until:) and the window it
// names (client.WindowFilter).
func (spec) Window(text string, now time.Time) (since, until time.Time, ok bool) {
	f, err := parseFilter(text, now)
	if err != nil || len(f.conds) > 0 {
		return time.Time{}, time.Time{}, false
	}
	return f.since, f.until, true
}

// parseFilter reads text; relative times are relative to now.
func parseFilter(text string, now time.Time) (filter, error) {
	var f filter
	terms, err := filterterm.Lex(text, filterterm.Options{})
	if err != nil {
		return f, err
	}
	var untilPos int
	for _, t := range terms {
		lower := strings.ToLower(t.Text)
		if key, val, ok := strings.Cut(lower, ":"); ok && (key == "since" || key == "until") {
			raw := t.Text[len(key)+1:]
			if strings.TrimSpace(val) == "" {
				return f, &client.FilterError{Msg: key + ": needs a time, e.g. " + key + ":7d or " + key + ":2026-11-08", Pos: t.Pos, Token: t.Text}
			}
			var tm time.Time
			var perr error
			if key == "since" {
				tm, perr = timeexpr.Parse(raw, now)
			} else {
				tm, perr = timeexpr.ParseEnd(raw, now)
			}
			if perr != nil {
				return f, &client.FilterError{Msg: perr.Error(), Pos: t.Pos + len(key) + 1, Token: raw}
			}
			if key == "since" {
				if !f.since.IsZero() {
					return f, &client.FilterError{Msg: "since: is given twice", Pos: t.Pos, Token: t.Text}
				}
				f.since = tm
			} else {
				if !f.until.IsZero() {
					return f, &client.FilterError{Msg: "until: is given twice", Pos: t.Pos, Token: t.Text}
				}
				f.until, untilPos = tm, t.Pos
			}
			continue
		}
		i := strings.IndexAny(t.Text, "=~!")
		if i < 0 {
			return f, &client.FilterError{Msg: fmt.Sprintf("%q is not a condition: write field=value, field~value, since:TIME or until:TIME (fields: %s)", t.Text, fieldList),
				Pos: t.Pos, Token: t.Text}
		}
		name := strings.ToLower(t.Text[:i])
		op := t.Text[i : i+1]
		if op == "!" {
			if i+1 >= len(t.Text) || (t.Text[i+1] != '=' && t.Text[i+1] != '~') {
				return f, &client.FilterError{Msg: "use != or !~", Pos: t.Pos + i, Token: op}
			}
			op = t.Text[i : i+2]
		}
		if name == "" {
			return f, &client.FilterError{Msg: "missing field name before " + op + " (fields: " + fieldList + ")", Pos: t.Pos, Token: t.Text}
		}
		if !condFields[name] {
			return f, &client.FilterError{Msg: fmt.Sprintf("unknown field %q (fields: %s)", t.Text[:i], fieldList), Pos: t.Pos, Token: t.Text[:i]}
		}
		value := t.Text[i+len(op):]
		if value == "" {
			return f, &client.FilterError{Msg: fmt.Sprintf("%s%s needs a value", name, op), Pos: t.Pos + i, Token: op}
		}
		f.conds = append(f.conds, cond{field: name, op: op, value: strings.ToLower(value)})
	}
	if !f.since.IsZero() && !f.until.IsZero() && !f.until.After(f.since) {
		return f, &client.FilterError{Msg: "until: is not after since: (empty time window)", Pos: untilPos, Token: "until:"}
	}
	return f, nil
}

// match reports whether the interaction satisfies every condition.
func (f *filter) match(it *interaction) bool {
	for _, c := range f.conds {
		if !c.match(it) {
			return false
		}
	}
	return true
}

func (c cond) test(v string) bool {
	v = strings.ToLower(v)
	if c.op == "=" || c.op == "!=" {
		return v == c.value
	}
	return strings.Contains(v, c.value)
}

func (c cond) match(it *interaction) bool {
	neg := strings.HasPrefix(c.op, "!")
	any := false
	if c.field == "direction" {
		any = c.test(it.Direction)
	} else {
		for i := range it.Messages {
			m := &it.Messages[i]
			var ok bool
			switch c.field {
			case "participant":
				ok = c.test(m.Participant) || c.test(string(actorOf(m.Participant)))
			case "channel":
				ok = c.test(m.Channel)
			case "sentiment":
				ok = c.test(m.Sentiment)
			case "intent":
				ok = m.Intent != "" && c.test(m.Intent)
			}
			if ok {
				any = true
				break
			}
		}
	}
	return any != neg
}

// Complete returns the completions at byte offset cursor of text (client.FilterSpec).
func (s spec) Complete(text string, cursor int) client.Completion {
	return filterterm.Complete(fields, s.Operators(), text, cursor, filterterm.Options{})
}
