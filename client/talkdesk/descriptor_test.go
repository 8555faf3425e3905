package talkdesk_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/confab-dev/confab/client"
	"github.com/confab-dev/confab/client/talkdesk"
)

func TestDescriptorFieldChecks(t *testing.T) {
	d := &talkdesk.Descriptor
	tests := []struct {
		key, written string
		s            client.SourceConfig
		want         string // "" when the value is accepted
	}{
		{"account", "acme", client.SourceConfig{Account: "acme"}, ""},
		{"account", "ac.me", client.SourceConfig{Account: "ac.me"}, `account "ac.me" is not a valid host name label`},
		{"window", "7d", client.SourceConfig{Window: 7 * 24 * time.Hour}, ""},
		{"window", "8d", client.SourceConfig{Window: 8 * 24 * time.Hour}, "window 8d is longer than Talkdesk's 7-day limit"},
		{"time_format", "UNIX_MS", client.SourceConfig{TimeFormat: "unix_ms"}, ""},
		{"time_format", "iso", client.SourceConfig{TimeFormat: "iso"}, `time_format "iso" is not one of rfc3339micro, rfc3339milli, rfc3339nano, rfc3339, unix, unix_ms`},
	}
	for _, tt := range tests {
		t.Run(tt.key+"="+tt.written, func(t *testing.T) {
			f, ok := d.ConfigField(tt.key)
			if !ok || f.Check == nil {
				t.Fatalf("no checked field %s", tt.key)
			}
			err := f.Check(tt.s, tt.written)
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("err = %v, want none", err)
			case tt.want != "" && (err == nil || err.Error() != tt.want):
				t.Errorf("err = %v, want %q", err, tt.want)
			}
		})
	}
	for _, key := range []string{"max_windows", "params", "lookback"} {
		if _, ok := d.ConfigField(key); !ok {
			t.Errorf("field %s is not declared", key)
		}
	}
	if f, _ := d.ConfigField("params"); !slices.Equal(f.SubKeys, []string{"start", "end", "limit"}) {
		t.Errorf("params sub-keys = %v", f.SubKeys)
	}
	for _, key := range []string{"workspace", "session_timeout"} {
		if _, ok := d.ConfigField(key); ok {
			t.Errorf("field %s is declared", key)
		}
	}
}

func TestDescriptorSourceCheckAndEndpoints(t *testing.T) {
	d := &talkdesk.Descriptor
	tests := []struct {
		name            string
		s               client.SourceConfig
		problems        int
		endpoint, token string
	}{
		{"account", client.SourceConfig{Auth: client.AuthOAuth2, Account: "acme"}, 0,
			"https://api.talkdeskapp.com", "https://acme.talkdeskid.com/oauth/token"},
		{"eu", client.SourceConfig{Auth: client.AuthOAuth2, Account: "acme", Region: "eu"}, 0,
			"https://api.talkdeskapp.eu", "https://acme.talkdeskid.eu/oauth/token"},
		{"ca", client.SourceConfig{Auth: client.AuthOAuth2, Account: "acme", Region: "ca"}, 0,
			"https://api.talkdeskappca.com", "https://acme.talkdeskidca.com/oauth/token"},
		{"token_url", client.SourceConfig{Auth: client.AuthOAuth2, TokenURL: "http://127.0.0.1:9/t", BaseURL: "http://127.0.0.1:9/"}, 0,
			"http://127.0.0.1:9", "http://127.0.0.1:9/t"},
		{"neither", client.SourceConfig{Auth: client.AuthOAuth2}, 1, "https://api.talkdeskapp.com", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := d.Check(tt.s); len(got) != tt.problems {
				t.Errorf("Check = %v, want %d problems", got, tt.problems)
			}
			if got := d.Endpoint(tt.s); got != tt.endpoint {
				t.Errorf("Endpoint = %q, want %q", got, tt.endpoint)
			}
			if got := d.TokenEndpoint(tt.s); got != tt.token {
				t.Errorf("TokenEndpoint = %q, want %q", got, tt.token)
			}
		})
	}
	if got := d.RegionNames(); !slices.Equal(got, []string{"us", "eu", "ca"}) {
		t.Errorf("regions = %v", got)
	}
	if !slices.Equal(d.Auths, []string{client.AuthOAuth2}) {
		t.Errorf("auths = %v", d.Auths)
	}
}

func TestDescriptorOpen(t *testing.T) {
	src, err := talkdesk.Descriptor.Open(client.SourceConfig{Name: "td", Kind: talkdesk.Kind, Auth: client.AuthOAuth2,
		Account: "acme", ClientID: "c", Params: map[string]string{"start": "from"}}, client.BuildEnv{Secret: "s"})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	if src.Name() != "td" || src.Kind() != talkdesk.Kind || src.FilterSpec() == nil {
		t.Errorf("source = %s %s", src.Name(), src.Kind())
	}
	if _, err := talkdesk.Descriptor.Open(client.SourceConfig{Name: "td", Auth: client.AuthOAuth2, ClientID: "c"},
		client.BuildEnv{Secret: "s"}); err == nil {
		t.Error("Open without account or token_url succeeded")
	}
}

func TestDescriptorAccess(t *testing.T) {
	ac := talkdesk.Descriptor.Access
	if ac == nil || ac.Scope != talkdesk.Scope || !ac.ScopeTakesTime {
		t.Fatalf("access = %+v", ac)
	}
	tests := []struct {
		requested, need, adviceEnd string
	}{
		{"", "needs the scope interactions-public:read (documented for interactions)", "can take a few minutes to apply"},
		{"interactions:read", "needs the scope interactions-public:read (documented for interactions); this source requests interactions:read",
			"; this source requests interactions:read (scope in the config): request interactions-public:read"},
	}
	for _, tt := range tests {
		if got := ac.Need(tt.requested); got != tt.need {
			t.Errorf("Need(%q) = %q, want %q", tt.requested, got, tt.need)
		}
		if got := ac.Advice(tt.requested); !strings.HasSuffix(got, tt.adviceEnd) {
			t.Errorf("Advice(%q) = %q, want it to end %q", tt.requested, got, tt.adviceEnd)
		}
	}
}
