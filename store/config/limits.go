package config

import (
	"fmt"
	"io"
	"os"
)

// Limits on the config file, checked before the TOML decoder sees it: BurntSushi/toml spends
// time and memory quadratic in the parts of a dotted key and in the nesting of inline tables
// (a 40 KB key of 20,000 parts allocates 15 GB), and no real config comes near these.
const (
	// MaxFileSize is the largest config file confab reads.
	MaxFileSize = 4 << 20
	// MaxKeyParts is how many dotted parts a key or a table header may have.
	MaxKeyParts = 16
	// MaxNesting is how deeply arrays and inline tables may nest.
	MaxNesting = 32
)

// readLimited reads the config file at path, refusing one larger than MaxFileSize without
// reading it all.
func readLimited(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return nil, err
	}
	return data, nil
}

// checkShape returns a problem when data is larger than MaxFileSize, or has a key or header of
// more than MaxKeyParts dotted parts, or values nested deeper than MaxNesting. It reads data
// once, skipping strings and comments; syntax errors are left to the decoder.
func checkShape(path string, data []byte) *Problem {
	if len(data) > MaxFileSize {
		return &Problem{File: path, Msg: fmt.Sprintf("the config file is larger than %d KiB: that is not a confab config", MaxFileSize>>10)}
	}
	s := shapeScanner{data: data, line: 1}
	return s.run(path)
}

type shapeScanner struct {
	data  []byte
	i     int
	line  int
	stack []byte // open '[' and '{' of the value being read
}

func (s *shapeScanner) run(path string) *Problem {
	fail := func(format string, args ...any) *Problem {
		return &Problem{File: path, Line: s.line, Msg: fmt.Sprintf(format, args...)}
	}
	keyMode := true // at a place where a key (or a table header) starts
	parts := 1      // dotted parts of the key being read
	for s.i < len(s.data) {
		c := s.data[s.i]
		switch {
		case c == '\n':
			s.line++
			s.i++
			if len(s.stack) == 0 {
				keyMode, parts = true, 1
			}
			continue
		case c == '#':
			for s.i < len(s.data) && s.data[s.i] != '\n' {
				s.i++
			}
			continue
		case c == '"' || c == '\'':
			s.skipString()
			continue
		}
		if keyMode {
			switch c {
			case '.':
				if parts++; parts > MaxKeyParts {
					return fail("a key or table header has more than %d dotted parts (the limit)", MaxKeyParts)
				}
			case '=':
				keyMode, parts = false, 1
			case '[':
				if len(s.stack) > 0 { // not a header: an array value where a key was expected
					keyMode = false
					continue
				}
				// a table header: its dots count as key parts; the brackets are not nesting
			case '}': // an empty inline table, or a trailing comma before its end
				keyMode = false
				continue
			}
			s.i++
			continue
		}
		switch c {
		case '[', '{':
			if len(s.stack) >= MaxNesting {
				return fail("values nest deeper than %d levels (the limit)", MaxNesting)
			}
			s.stack = append(s.stack, c)
			if c == '{' {
				keyMode, parts = true, 1
			}
		case ']', '}':
			if len(s.stack) > 0 {
				s.stack = s.stack[:len(s.stack)-1]
			}
		case ',':
			if len(s.stack) > 0 && s.stack[len(s.stack)-1] == '{' {
				keyMode, parts = true, 1
			}
		}
		s.i++
	}
	return nil
}

// skipString moves past the string starting at s.i: basic or literal, one-line or multi-line.
func (s *shapeScanner) skipString() {
	q := s.data[s.i]
	multi := s.i+2 < len(s.data) && s.data[s.i+1] == q && s.data[s.i+2] == q
	if multi {
		s.i += 3
	} else {
		s.i++
	}
	for s.i < len(s.data) {
		c := s.data[s.i]
		switch {
		case c == '\\' && q == '"':
			s.i += 2
			continue
		case c == '\n':
			s.line++
			if !multi {
				s.i++
				return // an unterminated one-line string: the decoder reports it
			}
		case c == q:
			if !multi {
				s.i++
				return
			}
			if s.i+2 < len(s.data) && s.data[s.i+1] == q && s.data[s.i+2] == q {
				s.i += 3
				for s.i < len(s.data) && s.data[s.i] == q { // """" ends with a quote inside
					s.i++
				}
				return
			}
		}
		s.i++
	}
}
