package client

import (
	"bytes"
	"fmt"
)

// MaxDepth is how deeply the arrays and objects of a vendor's JSON body may nest: HTTP
// refuses a body nested deeper (see CheckDepth) before any decoder sees it, so no decoder
// recurses without bound on hostile input. HTTPOptions.MaxDepth overrides it per source.
const MaxDepth = 512

// DepthError is a JSON body whose arrays and objects nest deeper than Limit. Offset is the
// byte offset of the first '[' or '{' beyond the limit.
type DepthError struct {
	Limit  int
	Offset int
}

func (e *DepthError) Error() string {
	return fmt.Sprintf("JSON nested deeper than %d levels at byte %d", e.Limit, e.Offset)
}

// jsonClass sorts the bytes that matter to CheckDepth outside strings.
var jsonClass = [256]uint8{'"': 1, '[': 2, '{': 2, ']': 3, '}': 3}

// CheckDepth returns a *DepthError when the arrays and objects of b nest deeper than limit
// (MaxDepth when limit <= 0), and nil otherwise. It reads b once, in constant memory, and
// checks nothing else: brackets inside strings do not count, and b may be malformed or cut
// short (that is for the decoder to report). Bodies of concatenated values (NDJSON) are fine.
func CheckDepth(b []byte, limit int) error {
	if limit <= 0 {
		limit = MaxDepth
	}
	depth := 0
	for i := 0; i < len(b); i++ {
		switch jsonClass[b[i]] {
		case 1: // a string: find its closing quote, one not escaped by an odd run of '\'
			j := i + 1
			for {
				k := bytes.IndexByte(b[j:], '"')
				if k < 0 {
					return nil // unterminated: the decoder says so
				}
				j += k
				n := 0
				for p := j - 1; p > i && b[p] == '\\'; p-- {
					n++
				}
				if n%2 == 0 {
					break
				}
				j++
			}
			i = j
		case 2:
			depth++
			if depth > limit {
				return &DepthError{Limit: limit, Offset: i}
			}
		case 3:
			if depth > 0 {
				depth--
			}
		}
	}
	return nil
}
