package sanitize

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"
)

// rawJSONString quotes s as a JSON string the way a vendor may send it: quotes, backslashes
// and C0 controls escaped, every other byte (DEL, C1, bidi, invalid UTF-8) as it is.
func rawJSONString(s string) []byte {
	b := []byte{'"'}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"' || c == '\\':
			b = append(b, '\\', c)
		case c < 0x20:
			b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
		default:
			b = append(b, c)
		}
	}
	return append(b, '"')
}

// checkSafeJSON fails unless out is valid JSON and valid UTF-8 holding no byte below 0x20
// other than JSON whitespace and no rune forbidden in sanitized output.
func checkSafeJSON(t *testing.T, in, out []byte) {
	t.Helper()
	if !json.Valid(out) {
		t.Fatalf("JSON(%q) = %q is not valid JSON", in, out)
	}
	for _, c := range out {
		if c < 0x20 && c != '\n' && c != '\t' && c != '\r' && c != ' ' {
			t.Fatalf("JSON(%q) = %q keeps the control byte %#x", in, out, c)
		}
	}
	checkSafe(t, "JSON", string(in), string(out))
}

func TestJSON(t *testing.T) {
	tests := []struct {
		name, in, want string // in is the string's content, sent raw by rawJSONString
	}{
		{"plain", "hello", `"hello"`},
		{"ESC stays escaped by the encoder", "\x1b[2J", `"\u001b[2J"`},
		{"NUL", "a\x00b", `"a\u0000b"`},
		{"DEL", "del\x7fete", `"del\u007fete"`},
		{"C1 CSI", "\u009b2J", `"\u009b2J"`},
		{"C1 range ends", "\u0080\u009f\u00a0", `"\u0080\u009f` + "\u00a0" + `"`},
		{"RLO and PDF", "invoice_\u202egnp.exe\u202c", `"invoice_\u202egnp.exe\u202c"`},
		{"isolates and marks", "\u2066\u2067\u2068\u2069\u200e\u200f\u061c", `"\u2066\u2067\u2068\u2069\u200e\u200f\u061c"`},
		{"separators", "a\u2028b\u2029c", `"a\u2028b\u2029c"`},
		{"prepended mark above the BMP", "x\U000110bdy", `"x\ud804\udcbdy"`},
		{"invalid UTF-8", "bad \xff\xfe \xc3( end", `"bad \ufffd\ufffd \ufffd( end"`},
		{"a literal U+FFFD is kept", "\ufffd", "\"\ufffd\""},
		{"emoji, CJK, RTL text kept", "👩‍👩‍👧 日本 مرحبا", "\"👩‍👩‍👧 日本 مرحبا\""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := rawJSONString(tc.in)
			got := JSON(in)
			if string(got) != tc.want {
				t.Fatalf("JSON(%q) = %s, want %s", in, got, tc.want)
			}
			checkSafeJSON(t, in, got)
			var back string
			if err := json.Unmarshal(got, &back); err != nil {
				t.Fatal(err)
			}
			if want := strings.ToValidUTF8(tc.in, "\ufffd"); utf8.ValidString(tc.in) && back != want {
				t.Errorf("decodes to %q, want %q", back, want)
			}
		})
	}
}

// TestJSONKeepsMeaning: the escaped document decodes to exactly what the original decodes
// to, objects and keys included.
func TestJSONKeepsMeaning(t *testing.T) {
	doc := []byte(`{"k` + "\u202e" + `":[1,2.5,true,null,` + string(rawJSONString("\u009b\x7f\xff\x1b]0;t\x07")) + `],"e":{}}`)
	var want, got any
	if err := json.Unmarshal(doc, &want); err != nil {
		t.Fatal(err)
	}
	out := JSON(doc)
	checkSafeJSON(t, doc, out)
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatal(err)
	}
	wb, _ := json.Marshal(want)
	gb, _ := json.Marshal(got)
	if !bytes.Equal(wb, gb) {
		t.Errorf("decoded %s, want %s", gb, wb)
	}
}

func TestJSONSafeInputIsReturnedAsIs(t *testing.T) {
	in := []byte(`{"a":"plain \u001b text 日本"}`)
	if got := JSON(in); &got[0] != &in[0] {
		t.Error("safe input was copied")
	}
}

// FuzzJSON: for any string sent raw by a vendor, the escaped JSON is valid, safe, and
// decodes to what encoding/json decodes the original to.
func FuzzJSON(f *testing.F) {
	for _, s := range []string{"", "\x1b[2J", "\u009b\u202e\u2028", "\xff\xc3(", "a\x7fb", "\U000110cd"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		in := rawJSONString(s)
		out := JSON(in)
		checkSafeJSON(t, in, out)
		var want, got string
		if err := json.Unmarshal(in, &want); err != nil {
			t.Fatalf("the input %q does not decode: %v", in, err)
		}
		if err := json.Unmarshal(out, &got); err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Fatalf("JSON(%q) decodes to %q, the input to %q", in, got, want)
		}
	})
}
