package opendialog

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/confab-dev/confab/client"
)

func TestParseFilter(t *testing.T) {
	now := time.Date(2026, 11, 10, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		in       string
		params   []Param
		from, to time.Time
	}{
		{"", nil, time.Time{}, time.Time{}},
		{"country=us", []Param{{"country", "us"}}, time.Time{}, time.Time{}},
		{"  Country=US   browser=chrome ", []Param{{"country", "US"}, {"browser", "chrome"}}, time.Time{}, time.Time{}},
		{`country="United Kingdom" email="a\"b"`, []Param{{"country", "United Kingdom"}, {"email", `a"b`}}, time.Time{}, time.Time{}},
		{"user_id=wc_1 from:7d to:yesterday", []Param{{"user_id", "wc_1"}},
			now.Add(-7 * 24 * time.Hour), time.Date(2026, 11, 10, 0, 0, 0, 0, time.UTC)},
		{"from=2026-11-01 to=2026-11-02", nil, time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 11, 3, 0, 0, 0, 0, time.UTC)},
		{"from:2026-11-01T10:00:00Z selected_scenario=support", []Param{{"selected_scenario", "support"}},
			time.Date(2026, 11, 1, 10, 0, 0, 0, time.UTC), time.Time{}},
	}
	for _, tc := range tests {
		f, err := ParseFilter(tc.in, now)
		if err != nil {
			t.Errorf("%q: %v", tc.in, err)
			continue
		}
		if !reflect.DeepEqual(f.Params, tc.params) || !f.From.Equal(tc.from) || !f.To.Equal(tc.to) {
			t.Errorf("%q = %+v, want %v %v %v", tc.in, f, tc.params, tc.from, tc.to)
		}
	}
}

func TestParseFilterErrors(t *testing.T) {
	now := time.Date(2026, 11, 10, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		in   string
		pos  int
		want string
	}{
		{"country=us page=2", 11, `unknown filter "page": use one of ip_address, country, browser_language, os, browser, timezone, email, platform, selected_scenario, user_id, from, to`},
		{"invalid_param=x", 0, `unknown filter "invalid_param"`},
		{"country", 0, "country needs a value"},
		{"country=", 0, "country has an empty value"},
		{"country:us", 7, "':' is only for from: and to:"},
		{`country="open`, 8, "unterminated quoted value"},
		{`country="a"b`, 11, "expected a space"},
		{`country=a"b`, 9, "a quote may only start a value"},
		{"=us", 0, "expected a filter name"},
		{"os=a os=b", 5, "os is given twice"},
		{"from:yesterday to:7d", 15, "the range is inverted"},
		{"from:soonish", 5, `cannot read time "soonish"`},
	}
	for _, tc := range tests {
		_, err := ParseFilter(tc.in, now)
		var fe *client.FilterError
		if !errors.As(err, &fe) || !errors.Is(err, client.ErrBadFilter) {
			t.Errorf("%q: %v, want a *FilterError", tc.in, err)
			continue
		}
		if fe.Pos != tc.pos || !strings.Contains(fe.Msg, tc.want) {
			t.Errorf("%q: at %d %q, want at %d %q", tc.in, fe.Pos, fe.Msg, tc.pos, tc.want)
		}
	}
}

func TestIDRoundTrip(t *testing.T) {
	at := time.Date(2026, 11, 1, 23, 58, 3, 123456000, time.UTC)
	for _, user := range []string{"wc_00ab", "jane.doe@example.com", "a b/c%d", "日本"} {
		id := ID(user, at)
		if strings.ContainsAny(id, " /'\"") {
			t.Errorf("id %q has shell-unfriendly characters", id)
		}
		u, got, err := ParseID(id)
		if err != nil || u != user || !got.Equal(at) {
			t.Errorf("ParseID(%q) = %q %v %v", id, u, got, err)
		}
	}
}

func TestSpec(t *testing.T) {
	s := Spec(nil)
	if len(s.Fields()) != 12 || len(s.Examples()) == 0 || len(s.Operators()) == 0 {
		t.Errorf("spec: %d fields", len(s.Fields()))
	}
	for _, ex := range s.Examples() {
		if err := s.Validate(ex); err != nil {
			t.Errorf("example %q: %v", ex, err)
		}
	}
}

func TestDataAttrs(t *testing.T) {
	got := dataAttrs([]byte(`{"form_name":"Hardware","callback_id":"f.hw","fields":{"urgency":"high","n":3},"tags":["a","b"],"name":"Send"}`))
	var want client.Attrs
	for _, kv := range [][2]string{{"name", "Send"}, {"callback_id", "f.hw"}, {"form_name", "Hardware"}, {"fields.urgency", "high"}, {"fields.n", "3"}, {"tags", "a, b"}} {
		want = append(want, client.Attr{Key: kv[0], Value: kv[1]})
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("dataAttrs = %v\nwant %v", got, want)
	}
}
