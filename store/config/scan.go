package config

import "strings"

// BurntSushi/toml does not expose the line of a key inside an array of tables, so a small
// scanner finds where each table header and key is written. It understands the TOML the
// config uses: [table] and [[array]] headers, bare/quoted/dotted keys, comments, multi-line
// arrays and inline tables, and multi-line strings (whose contents it skips). It only locates
// keys: the decoder has already checked the syntax.

// keyLine is one header or key found in the file.
type keyLine struct {
	table string // dotted header path ("" for the root, "source", "source.params")
	index int    // index of the enclosing [[array]] instance, -1 when none
	key   string // dotted key within the table; "" for the header itself
	line  int    // 1-based
}

func (k keyLine) path() string {
	switch {
	case k.table == "":
		return k.key
	case k.key == "":
		return k.table
	}
	return k.table + "." + k.key
}

// lineIndex finds the lines of headers and keys in constant time per lookup, so validating a
// file of many sources stays linear.
type lineIndex struct {
	entries []keyLine
	headers map[headerAt]int   // a header's line, by its table and array index
	byPath  map[string][]int   // indexes into entries, by dotted path
	byIndex map[headerAt][]int // indexes into entries, by dotted path and array index
}

// headerAt is a table (or a dotted path) within the index-th instance of an array table.
type headerAt struct {
	table string
	index int
}

func (li *lineIndex) add(e keyLine) {
	li.entries = append(li.entries, e)
	p := e.path()
	li.byPath[p] = append(li.byPath[p], len(li.entries)-1)
	pi := headerAt{p, e.index}
	li.byIndex[pi] = append(li.byIndex[pi], len(li.entries)-1)
	if e.key == "" {
		h := headerAt{e.table, e.index}
		if _, ok := li.headers[h]; !ok {
			li.headers[h] = e.line
		}
	}
}

// header returns the line of the index-th [[table]] header, or 0.
func (li *lineIndex) header(table string, index int) int {
	return li.headers[headerAt{table, index}]
}

// key returns the line of key within the index-th instance of the array table, falling back
// to the instance's header. Keys in sub-tables ("params.start") are found too.
func (li *lineIndex) key(table string, index int, key string) int {
	for _, i := range li.byIndex[headerAt{table + "." + key, index}] {
		if e := li.entries[i]; strings.HasPrefix(e.table, table) {
			return e.line
		}
	}
	return li.header(table, index)
}

// findEntries returns every occurrence of the dotted path.
func (li *lineIndex) findEntries(path string) []keyLine {
	var out []keyLine
	for _, i := range li.byPath[path] {
		out = append(out, li.entries[i])
	}
	return out
}

func scanLines(data []byte) *lineIndex {
	li := &lineIndex{headers: map[headerAt]int{}, byPath: map[string][]int{}, byIndex: map[headerAt][]int{}}
	counts := map[string]int{} // [[array]] header → instances seen
	table, index := "", -1
	lines := strings.Split(string(data), "\n")
	var inString string // the closing delimiter of a multi-line string being skipped
	depth := 0          // bracket depth of a multi-line value being skipped
	for i, raw := range lines {
		n := i + 1
		line := raw
		if inString != "" {
			j := strings.Index(line, inString)
			if j < 0 {
				continue
			}
			line = line[j+len(inString):]
			inString = ""
			depth, inString = skipValue(line, depth)
			continue
		}
		if depth > 0 {
			depth, inString = skipValue(line, depth)
			continue
		}
		t := strings.TrimSpace(line)
		if t == "" || t[0] == '#' {
			continue
		}
		if strings.HasPrefix(t, "[") {
			isArray := strings.HasPrefix(t, "[[")
			rest := strings.TrimPrefix(strings.TrimPrefix(t, "["), "[")
			key, _ := parseKey(rest)
			if key == "" {
				continue
			}
			table = key
			if isArray {
				counts[key]++
			}
			// The index of the innermost array table that encloses (or is) this header: try
			// the header's own path, then each shorter prefix.
			index = -1
			for a := table; ; {
				if c, ok := counts[a]; ok {
					index = c - 1
					break
				}
				dot := strings.LastIndexByte(a, '.')
				if dot < 0 {
					break
				}
				a = a[:dot]
			}
			li.add(keyLine{table: table, index: index, line: n})
			continue
		}
		key, rest := parseKey(t)
		if key == "" {
			continue
		}
		rest = strings.TrimSpace(rest)
		if !strings.HasPrefix(rest, "=") {
			continue
		}
		li.add(keyLine{table: table, index: index, key: key, line: n})
		rest = strings.TrimSpace(rest[1:])
		// Keys inside a one-line inline table: "params = { start = "x" }".
		if strings.HasPrefix(rest, "{") {
			for _, sub := range inlineKeys(rest) {
				li.add(keyLine{table: table, index: index, key: key + "." + sub, line: n})
			}
		}
		depth, inString = skipValue(rest, 0)
	}
	return li
}

// parseKey reads a possibly dotted, possibly quoted key at the start of s and returns it with
// its parts joined by "." (quotes removed) and the rest of s.
func parseKey(s string) (string, string) {
	var parts []string
	for {
		s = strings.TrimLeft(s, " \t")
		if s == "" {
			return "", ""
		}
		switch s[0] {
		case '"', '\'':
			end := strings.IndexByte(s[1:], s[0])
			if end < 0 {
				return "", ""
			}
			parts = append(parts, s[1:1+end])
			s = s[2+end:]
		default:
			j := 0
			for j < len(s) && isBare(s[j]) {
				j++
			}
			if j == 0 {
				return "", ""
			}
			parts = append(parts, s[:j])
			s = s[j:]
		}
		s = strings.TrimLeft(s, " \t")
		if strings.HasPrefix(s, ".") {
			s = s[1:]
			continue
		}
		return strings.Join(parts, "."), s
	}
}

func isBare(c byte) bool {
	return c == '_' || c == '-' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// skipValue scans a value (or the continuation of one) and returns the bracket depth left
// open at the end of the line and, when a multi-line string is left open, its delimiter.
func skipValue(s string, depth int) (int, string) {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '#':
			return depth, ""
		case '[', '{':
			depth++
		case ']', '}':
			if depth > 0 {
				depth--
			}
		case '"', '\'':
			delim := string([]byte{c, c, c})
			if strings.HasPrefix(s[i:], delim) {
				end := strings.Index(s[i+3:], delim)
				if end < 0 {
					return depth, delim
				}
				i += 3 + end + 2
				continue
			}
			for j := i + 1; j < len(s); j++ {
				if c == '"' && s[j] == '\\' {
					j++
					continue
				}
				if s[j] == c {
					i = j
					break
				}
				if j == len(s)-1 {
					i = j
				}
			}
		}
	}
	return depth, ""
}

// inlineKeys returns the keys of a one-line inline table "{ a = 1, b.c = 2 }" (top level only).
func inlineKeys(s string) []string {
	s = strings.TrimPrefix(strings.TrimSpace(s), "{")
	var keys []string
	for {
		k, rest := parseKey(s)
		if k == "" {
			return keys
		}
		rest = strings.TrimSpace(rest)
		if !strings.HasPrefix(rest, "=") {
			return keys
		}
		keys = append(keys, k)
		// Skip the value up to the next top-level comma.
		rest = rest[1:]
		depth, inStr := 0, byte(0)
		j := 0
		for ; j < len(rest); j++ {
			c := rest[j]
			if inStr != 0 {
				if c == '\\' && inStr == '"' {
					j++
				} else if c == inStr {
					inStr = 0
				}
				continue
			}
			if c == '"' || c == '\'' {
				inStr = c
			} else if c == '[' || c == '{' {
				depth++
			} else if c == ']' || c == '}' {
				if depth == 0 {
					return keys
				}
				depth--
			} else if c == ',' && depth == 0 {
				break
			}
		}
		if j >= len(rest) {
			return keys
		}
		s = rest[j+1:]
	}
}
