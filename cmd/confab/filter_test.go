package main

import (
	"strings"
	"testing"

	"github.com/confab-dev/confab/client"
)

func TestPrintFilterCaret(t *testing.T) {
	tests := []struct {
		filter string
		fe     *client.FilterError
		want   string
	}{
		{"plaform eq 'x'", &client.FilterError{Pos: 0}, "  plaform eq 'x'\n  ^\n"},
		{"route eq 'DM' and (x", &client.FilterError{Pos: 18}, "  route eq 'DM' and (x\n                    ^\n"},
		{"detail/content eq '打印' and x", &client.FilterError{Pos: 29}, "  detail/content eq '打印' and x\n                              ^\n"},
		{"no position", &client.FilterError{Pos: -1}, ""},
	}
	for _, tt := range tests {
		var b strings.Builder
		printFilterCaret(&b, tt.filter, tt.fe)
		if b.String() != tt.want {
			t.Errorf("printFilterCaret(%q, %d) =\n%q\nwant\n%q", tt.filter, tt.fe.Pos, b.String(), tt.want)
		}
	}
}
