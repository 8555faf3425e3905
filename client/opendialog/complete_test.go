package opendialog_test

import (
	"reflect"
	"testing"
	"time"

	"github.com/confab-dev/confab/client"
	"github.com/confab-dev/confab/client/opendialog"
)

func TestComplete(t *testing.T) {
	sp := opendialog.Spec(func() time.Time { return time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC) })
	tests := []struct {
		text string
		want client.Completion
	}{
		{"co", client.Completion{From: 0, To: 2, Candidates: []string{"country"}}},
		{"country=uk br", client.Completion{From: 11, To: 13, Candidates: []string{"browser_language", "browser"}}},
		{"fr", client.Completion{From: 0, To: 2, Candidates: []string{"from:"}}},
		{"platform=", client.Completion{From: 9, To: 9, Candidates: []string{"desktop", "mobile", "tablet"}, Field: "platform"}},
		{"platform=m", client.Completion{From: 9, To: 10, Candidates: []string{"mobile"}, Field: "platform"}},
		{`platform="t`, client.Completion{From: 10, To: 11, Candidates: []string{"tablet"}, Suffix: `"`, Field: "platform"}},
		{"country=u", client.Completion{From: 8, To: 9, Field: "country"}},
		{"from:2w ", client.Completion{From: 8, To: 8, Candidates: []string{"ip_address", "country", "browser_language", "os", "browser",
			"timezone", "email", "platform", "selected_scenario", "user_id", "from:", "to:"}}},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			if got := sp.Complete(tt.text, len(tt.text)); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Complete(%q) =\n %+v, want\n %+v", tt.text, got, tt.want)
			}
		})
	}
}
