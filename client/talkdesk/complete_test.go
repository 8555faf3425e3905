package talkdesk

import (
	"reflect"
	"testing"
	"time"

	"github.com/confab-dev/confab/client"
)

func TestComplete(t *testing.T) {
	now := func() time.Time { return time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC) }
	var sp client.FilterSpec = spec{now: now}
	tests := []struct {
		text string
		want client.Completion
	}{
		{"sen", client.Completion{From: 0, To: 3, Candidates: []string{"sentiment"}}},
		{"since:7d sen", client.Completion{From: 9, To: 12, Candidates: []string{"sentiment"}}},
		{"sin", client.Completion{From: 0, To: 3, Candidates: []string{"since:"}}},
		{"u", client.Completion{From: 0, To: 1, Candidates: []string{"until:"}}},
		{"sentiment=ne", client.Completion{From: 10, To: 12, Candidates: []string{"neutral", "negative"}, Field: "sentiment"}},
		{"channel!~v", client.Completion{From: 9, To: 10, Candidates: []string{"voice"}, Field: "channel"}},
		{`direction="in`, client.Completion{From: 11, To: 13, Candidates: []string{"inbound"}, Suffix: `"`, Field: "direction"}},
		{"intent~pass", client.Completion{From: 7, To: 11, Field: "intent"}},
		{"participant=agent ", client.Completion{From: 18, To: 18, Candidates: []string{"participant", "channel", "direction", "sentiment", "intent", "since:", "until:"}}},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			if got := sp.Complete(tt.text, len(tt.text)); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Complete(%q) =\n %+v, want\n %+v", tt.text, got, tt.want)
			}
		})
	}
}
