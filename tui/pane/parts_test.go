package pane

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/confab-dev/confab/client"
	"github.com/confab-dev/confab/tui/internal/fake"
	"github.com/confab-dev/confab/tui/quickfilter"
)

func TestSeenValuesLearn(t *testing.T) {
	conv := func(kv ...string) client.Conversation {
		var a client.Attrs
		for i := 0; i < len(kv); i += 2 {
			a = append(a, client.Attr{Key: kv[i], Value: kv[i+1]})
		}
		return client.Conversation{Attrs: a}
	}
	many := make([]client.Conversation, seenCap+5)
	for i := range many {
		many[i] = conv("k", fmt.Sprint(i), fmt.Sprintf("key%d", i), "v")
	}
	tests := []struct {
		name  string
		items []client.Conversation
		key   string
		want  []string
		keys  int
	}{
		{"values once each, in order", []client.Conversation{conv("domain", "IT"), conv("domain", "HR"), conv("domain", "IT")},
			"domain", []string{"IT", "HR"}, 1},
		{"no empty, long or multi-line values", []client.Conversation{conv("d", ""), conv("d", strings.Repeat("x", 65)),
			conv("d", "a\nb"), conv("d", "\x1b[31mred"), conv("d", "ok")}, "d", []string{"ok"}, 1},
		{"at most seenCap values per key", many, "k", nil, seenCap},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var s seenValues
			s.learn(quickfilter.Slice(tt.items))
			if len(s.vals) != tt.keys {
				t.Errorf("%d keys, want %d", len(s.vals), tt.keys)
			}
			if tt.want != nil && !slices.Equal(s.vals[tt.key], tt.want) {
				t.Errorf("values of %s = %q, want %q", tt.key, s.vals[tt.key], tt.want)
			}
			if len(s.vals[tt.key]) > seenCap {
				t.Errorf("%d values of %s, over the cap", len(s.vals[tt.key]), tt.key)
			}
			if s.n != len(tt.items) {
				t.Errorf("scanned %d rows, want %d", s.n, len(tt.items))
			}
		})
	}
}

func TestSeenValuesLearnsOnlyNewRows(t *testing.T) {
	items := []client.Conversation{{Attrs: client.Attrs{{Key: "d", Value: "a"}}}}
	var s seenValues
	s.learn(quickfilter.Slice(items))
	s.vals["d"] = nil // forgotten: a second learn of the same rows must not scan them again
	s.learn(quickfilter.Slice(items))
	if len(s.vals["d"]) != 0 {
		t.Fatalf("rows were scanned twice: %q", s.vals["d"])
	}
	s.learn(quickfilter.Slice(append(items, client.Conversation{Attrs: client.Attrs{{Key: "d", Value: "b"}}})))
	if !slices.Equal(s.vals["d"], []string{"b"}) {
		t.Fatalf("values = %q, want [b]", s.vals["d"])
	}
}

func TestSpecsValidate(t *testing.T) {
	tests := []struct {
		name    string
		spec    client.FilterSpec
		text    string
		wantErr bool
		pos     int
	}{
		{"quick: words", quickSpec{}, "vpn !hr domain:it", false, 0},
		{"quick: a bad regexp", quickSpec{}, "re:(", true, -1},
		{"name: one line", nameSpec{}, "slack-it", false, 0},
		{"name: a tab", nameSpec{}, "a\tb", true, 1},
		{"name: a newline", nameSpec{}, "ab\n", true, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.spec.Validate(tt.text)
			if (err != nil) != tt.wantErr {
				t.Fatalf("Validate(%q) = %v", tt.text, err)
			}
			var fe *client.FilterError
			if err != nil && !errors.As(err, &fe) {
				t.Fatalf("the error is a %T, not a *client.FilterError", err)
			}
			if fe != nil && tt.pos >= 0 && fe.Pos != tt.pos {
				t.Errorf("Pos = %d, want %d", fe.Pos, tt.pos)
			}
		})
	}
}

func TestThreadBindingLoaded(t *testing.T) {
	tests := []struct {
		state threadState
		conv  string
		id    string
		want  bool
	}{
		{threadReady, "a", "a", true},
		{threadReady, "a", "b", false},
		{threadLoading, "a", "a", false},
		{threadFailed, "a", "a", false},
		{threadNone, "", "", false},
	}
	for _, tt := range tests {
		b := threadBinding{state: tt.state, c: client.Conversation{ID: tt.conv}}
		if got := b.loaded(tt.id); got != tt.want {
			t.Errorf("state %v conv %q: loaded(%q) = %v, want %v", tt.state, tt.conv, tt.id, got, tt.want)
		}
	}
}

func TestHeadLines(t *testing.T) {
	views := []View{{Name: "a", Source: "fake", Filter: "VPN"}, {Name: "b", Source: "fake"}, {Name: "other", Source: "elsewhere"}}
	tests := []struct {
		name string
		h    int
		keys []string
		want int // lines above the list
	}{
		{"the bar", 30, nil, 1},
		{"the quick filter opened", 30, []string{"/"}, 2},
		{"the view picker lists the source's views", 30, []string{"v"}, 3},
		{"the save prompt", 30, []string{"S"}, 2},
		{"never the whole pane", 4, []string{"v"}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := fake.New("fake", 3, 1)
			p := newTestPane(t, src, 100, tt.h, 100, func(c *Config) { c.Views, c.ConfigPath = views, "/nonexistent/config.toml" })
			drain(t, p, p.Init())
			send(t, p, keys(tt.keys...)...)
			if got := p.headLines(); got != tt.want {
				t.Errorf("headLines = %d, want %d", got, tt.want)
			}
			if got := strings.Count(p.View(), "\n") + 1; got != tt.h {
				t.Errorf("the view is %d lines, want %d", got, tt.h)
			}
		})
	}
}

func TestViewPicker(t *testing.T) {
	views := []View{{Name: "vpn", Source: "fake", Filter: "VPN", Order: "oldest"}, {Name: "all", Source: "fake"}}
	tests := []struct {
		name       string
		keys       []string
		wantFilter string
		wantNotice string
	}{
		{"enter applies the first view", []string{"v", "enter"}, "VPN", "View vpn"},
		{"down then enter applies the second", []string{"v", "down", "enter"}, "", "View all"},
		{"esc closes the picker", []string{"v", "esc"}, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := fake.New("fake", 30, 1)
			p := newTestPane(t, src, 100, 30, 100, func(c *Config) { c.Views = views })
			drain(t, p, p.Init())
			got := notices(send(t, p, keys(tt.keys...)...))
			if p.Capturing() {
				t.Error("the picker is still open")
			}
			if p.Filter() != tt.wantFilter {
				t.Errorf("filter = %q, want %q", p.Filter(), tt.wantFilter)
			}
			if tt.wantNotice != "" && !slices.Contains(got, tt.wantNotice) {
				t.Errorf("notices = %q, want %q", got, tt.wantNotice)
			}
		})
	}
}
