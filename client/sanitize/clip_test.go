package sanitize

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestClip(t *testing.T) {
	long := strings.Repeat("日本", 100) // 3 bytes a rune
	tests := []struct {
		name string
		s    string
		n    int
		want string
	}{
		{"short", "hello", 10, "hello"},
		{"exact", "hello", 5, "hello"},
		{"cut", "hello world", 5, "hello…"},
		{"rune boundary", "日本語", 4, "日…"},
		{"zero", "hello", 0, ""},
		{"negative", "hello", -1, ""},
		{"long", long, 7, "日本…"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Clip(tt.s, tt.n)
			if got != tt.want {
				t.Errorf("Clip(%q, %d) = %q, want %q", tt.s, tt.n, got, tt.want)
			}
			if !utf8.ValidString(got) {
				t.Errorf("Clip(%q, %d) = %q is not valid UTF-8", tt.s, tt.n, got)
			}
		})
	}
}

func TestClipKeepsWidthForOrdinaryText(t *testing.T) {
	for _, w := range []int{0, 1, 40, 200} {
		s := strings.Repeat("👩‍👩‍👧‍👦 ab 日本 ", 1000)
		if got := Width(Line(Clip(s, ClipBytes(w)))); got < w {
			t.Errorf("w=%d: clipped text is only %d cells wide", w, got)
		}
	}
}
