package odata

import (
	"strings"

	"github.com/confab-dev/confab/client"
)

// OrderBy is one key of a $orderby: a field and its direction.
type OrderBy struct {
	Field string
	Desc  bool
}

// String renders the key as $orderby text ("created_time desc" or "id").
func (o OrderBy) String() string {
	if o.Desc {
		return o.Field + " desc"
	}
	return o.Field
}

// ParseOrderBy parses $orderby text such as "created_time desc, id" for collection c. Empty
// text gives (nil, nil). Unknown fields, unknown directions, empty keys and a field listed
// twice are *client.FilterError values with the offending token's byte offset.
func ParseOrderBy(text string, c Collection) ([]OrderBy, error) {
	s, ok := schemas[c]
	if !ok {
		return nil, &client.FilterError{Msg: "unknown collection \"" + string(c) + "\"", Pos: -1}
	}
	if strings.TrimSpace(text) == "" {
		return nil, nil
	}
	var out []OrderBy
	seen := map[string]bool{}
	start := 0
	for start <= len(text) {
		end := strings.IndexByte(text[start:], ',')
		if end < 0 {
			end = len(text)
		} else {
			end += start
		}
		words := splitWords(text, start, end)
		switch {
		case len(words) == 0:
			pos := end
			if end == len(text) {
				pos = start - 1 // the comma before an empty last key
			}
			return nil, errAt(pos, ",", "empty sort key: remove the extra comma")
		case len(words) > 2:
			w := words[2]
			return nil, errAt(w.pos, w.text, "unexpected %q: a sort key is a field and optionally asc or desc", w.text)
		}
		f := words[0]
		if _, ok := s.fields[f.text]; !ok {
			return nil, errAt(f.pos, f.text, "%s", s.unknownFieldMsg(f.text))
		}
		if seen[f.text] {
			return nil, errAt(f.pos, f.text, "%s is listed twice", f.text)
		}
		seen[f.text] = true
		key := OrderBy{Field: f.text}
		if len(words) == 2 {
			switch d := words[1]; strings.ToLower(d.text) {
			case "asc":
			case "desc":
				key.Desc = true
			default:
				return nil, errAt(d.pos, d.text, "unknown sort direction %q: use asc or desc", d.text)
			}
		}
		out = append(out, key)
		start = end + 1
	}
	return out, nil
}

type word struct {
	pos  int
	text string
}

// splitWords splits text[start:end] on ASCII white space, keeping offsets.
func splitWords(text string, start, end int) []word {
	var ws []word
	i := start
	for i < end {
		for i < end && isSpace(text[i]) {
			i++
		}
		j := i
		for j < end && !isSpace(text[j]) {
			j++
		}
		if j > i {
			ws = append(ws, word{pos: i, text: text[i:j]})
		}
		i = j
	}
	return ws
}
