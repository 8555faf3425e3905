package main

import (
	"strings"
	"testing"

	"github.com/confab-dev/confab/client"
)

func TestFilterCaret(t *testing.T) {
	tests := []struct {
		filter string
		fe     *client.FilterError
		want   string
	}{
		{"plaform eq 'x'", &client.FilterError{Pos: 0}, "  plaform eq 'x'\n  ^\n"},
		{"route eq 'DM' and (x", &client.FilterError{Pos: 18}, "  route eq 'DM' and (x\n                    ^\n"},
		{"detail/content eq '打印' and x", &client.FilterError{Pos: 31}, "  detail/content eq '打印' and x\n" + strings.Repeat(" ", 2+29) + "^\n"},
		{"no position", &client.FilterError{Pos: -1}, ""},
	}
	for _, tt := range tests {
		if got := filterCaret(tt.filter, tt.fe); got != tt.want {
			t.Errorf("filterCaret(%q, %d) =\n%q\nwant\n%q", tt.filter, tt.fe.Pos, got, tt.want)
		}
	}
}
