package odata

import (
	"reflect"
	"testing"

	"github.com/confab-dev/confab/client"
)

func TestComplete(t *testing.T) {
	conv, inter := Spec(Conversations), Spec(Interactions)
	tests := []struct {
		name   string
		spec   client.FilterSpec
		text   string
		cursor int // -1: the end of text
		want   client.Completion
	}{
		{"field", conv, "prim", -1, client.Completion{From: 0, To: 4, Candidates: []string{"primary_domain"}}},
		{"path", inter, "detail/con", -1, client.Completion{From: 0, To: 10, Candidates: []string{"detail/content"}}},
		{"keyword after value", conv, "route eq 'DM' an", -1, client.Completion{From: 14, To: 16, Candidates: []string{"and"}}},
		{"function", inter, "contains(label, 'x') or sta", -1, client.Completion{From: 24, To: 27, Candidates: []string{"startswith"}}},
		{"operators after field", inter, "platform ", -1, client.Completion{From: 9, To: 9, Candidates: []string{"eq", "ne", "gt", "ge", "lt", "le", "in", "and", "or", "not", "null",
			"contains", "startswith", "endswith", "tolower", "toupper"}}},
		{"quoted value", conv, "route eq 'D", -1, client.Completion{From: 10, To: 11, Candidates: []string{"DM"}, Suffix: "'", Field: "route"}},
		{"quoted value, ordering", inter, "platform ge 'm", -1, client.Completion{From: 13, To: 14, Candidates: []string{"msteams", "movewebchat"}, Suffix: "'", Field: "platform"}},
		{"quoted value with space", conv, "detail/domain eq 'TRAVEL_AND", -1, client.Completion{From: 18, To: 28, Candidates: []string{"TRAVEL_AND_EXPENSE"}, Suffix: "'", Field: "detail/domain"}},
		{"empty quoted value", inter, "actor ne '", -1, client.Completion{From: 10, To: 10, Candidates: []string{"user", "bot"}, Suffix: "'", Field: "actor"}},
		{"in list", conv, "route in ('DM', 'N", -1, client.Completion{From: 17, To: 18, Candidates: []string{"Notification"}, Suffix: "'", Field: "route"}},
		{"first in list value", inter, "actor in ('", -1, client.Completion{From: 11, To: 11, Candidates: []string{"user", "bot"}, Suffix: "'", Field: "actor"}},
		{"bare value", conv, "route eq ", -1, client.Completion{From: 9, To: 9, Candidates: []string{"'DM'", "'Notification'", "'Ticket_Interception'"}, Field: "route", Wrap: "'"}},
		{"bare value, no known values", inter, "label eq null or detail/entity ne ", -1, client.Completion{From: 34, To: 34, Candidates: []string{}, Field: "detail/entity", Wrap: "'"}},
		{"string not a value", inter, "contains(label, 'x", -1, client.Completion{From: 18, To: 18}},
		{"cursor inside", conv, "prim eq 'IT'", 4, client.Completion{From: 0, To: 4, Candidates: []string{"primary_domain"}}},
		{"cursor past end", conv, "rou", 99, client.Completion{From: 0, To: 3, Candidates: []string{"route"}}},
		{"after a bad token, names", conv, "route == ", -1, client.Completion{From: 9, To: 9, Candidates: []string{"id", "user_id",
			"primary_domain", "route", "type", "created_time", "last_updated_time", "detail/domain", "detail/ticket_id", "detail/usecase_name",
			"detail/campaign_name", "detail/channel_name", "detail/content", "eq", "ne", "gt", "ge", "lt", "le", "in", "and", "or", "not", "null",
			"contains", "startswith", "endswith", "tolower", "toupper"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cur := tt.cursor
			if cur < 0 {
				cur = len(tt.text)
			}
			got := tt.spec.Complete(tt.text, cur)
			if len(got.Candidates) == 0 && len(tt.want.Candidates) == 0 {
				got.Candidates, tt.want.Candidates = nil, nil
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Complete(%q, %d) =\n %+v, want\n %+v", tt.text, cur, got, tt.want)
			}
		})
	}
}
