package odata

import (
	"errors"
	"reflect"
	"testing"

	"github.com/confab-dev/confab/client"
)

func TestParseOrderBy(t *testing.T) {
	tests := []struct {
		coll Collection
		in   string
		want []OrderBy
	}{
		{Conversations, "", nil},
		{Conversations, "   ", nil},
		{Conversations, "created_time", []OrderBy{{Field: "created_time"}}},
		{Conversations, "created_time desc, id", []OrderBy{{"created_time", true}, {"id", false}}},
		{Conversations, "last_updated_time DESC", []OrderBy{{"last_updated_time", true}}},
		{Conversations, "user_id asc,id desc", []OrderBy{{"user_id", false}, {"id", true}}},
		{Interactions, " created_time\tasc , detail/domain ", []OrderBy{{"created_time", false}, {"detail/domain", false}}},
	}
	for _, tt := range tests {
		got, err := ParseOrderBy(tt.in, tt.coll)
		if err != nil {
			t.Errorf("ParseOrderBy(%q): %v", tt.in, err)
			continue
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("ParseOrderBy(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestParseOrderByErrors(t *testing.T) {
	tests := []struct {
		coll       Collection
		in         string
		pos        int
		token, msg string
	}{
		{Conversations, "created_tme desc", 0, "created_tme", `unknown field "created_tme" (did you mean "created_time"?)`},
		{Conversations, "id, platform", 4, "platform", `unknown field "platform": it is a field of interactions, not conversations`},
		{Conversations, "id, sender", 4, "sender", `unknown field "sender" (fields: id, user_id, primary_domain, route, type, created_time, last_updated_time, detail/domain, detail/ticket_id, detail/usecase_name, detail/campaign_name, detail/channel_name, detail/content)`},
		{Conversations, "id downward", 3, "downward", `unknown sort direction "downward": use asc or desc`},
		{Conversations, "id desc id", 8, "id", `unexpected "id": a sort key is a field and optionally asc or desc`},
		{Conversations, "id,,created_time", 3, ",", "empty sort key: remove the extra comma"},
		{Conversations, "id,", 2, ",", "empty sort key: remove the extra comma"},
		{Conversations, ",id", 0, ",", "empty sort key: remove the extra comma"},
		{Conversations, "id, id desc", 4, "id", "id is listed twice"},
	}
	for _, tt := range tests {
		_, err := ParseOrderBy(tt.in, tt.coll)
		var fe *client.FilterError
		if !errors.As(err, &fe) {
			t.Errorf("ParseOrderBy(%q) = %v; want a *client.FilterError", tt.in, err)
			continue
		}
		if fe.Pos != tt.pos || fe.Token != tt.token || fe.Msg != tt.msg {
			t.Errorf("ParseOrderBy(%q) = at %d %q: %q\n want at %d %q: %q", tt.in, fe.Pos, fe.Token, fe.Msg, tt.pos, tt.token, tt.msg)
		}
	}
	if _, err := ParseOrderBy("id", "users"); err == nil {
		t.Error("ParseOrderBy on an unknown collection succeeded")
	}
}

func TestOrderByString(t *testing.T) {
	if s := (OrderBy{"created_time", true}).String(); s != "created_time desc" {
		t.Errorf("String = %q", s)
	}
	if s := (OrderBy{Field: "id"}).String(); s != "id" {
		t.Errorf("String = %q", s)
	}
}
