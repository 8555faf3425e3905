package client_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/confab-dev/confab/client"
)

// stubSource is the smallest client.Source, for constructor tests.
type stubSource struct {
	name string
	env  client.BuildEnv
}

func (s stubSource) Name() string { return s.name }
func (s stubSource) Kind() string { return "stub" }
func (s stubSource) Conversations(context.Context, client.Query, string) (client.Page, error) {
	return client.Page{}, nil
}
func (s stubSource) Thread(context.Context, client.Conversation) ([]client.Interaction, error) {
	return nil, nil
}
func (s stubSource) Conversation(context.Context, string) (client.Conversation, error) {
	return client.Conversation{}, client.ErrNotFound
}
func (s stubSource) FilterSpec() client.FilterSpec { return nil }

func newStub(s client.SourceConfig, env client.BuildEnv) (client.Source, error) {
	return stubSource{name: s.Name, env: env}, nil
}

func vendor(kind string, fields ...string) *client.Vendor {
	v := &client.Vendor{Kind: kind, Auths: []string{client.AuthBearer}, New: newStub}
	for _, f := range fields {
		v.Fields = append(v.Fields, client.ConfigField{Key: f})
	}
	return v
}

func TestRegistryRegister(t *testing.T) {
	tests := []struct {
		name    string
		vendors []*client.Vendor
		wantErr string // "" when every vendor is accepted
	}{
		{"three kinds", []*client.Vendor{vendor("a"), vendor("b"), vendor("c")}, ""},
		{"nil descriptor", []*client.Vendor{nil}, "nil descriptor"},
		{"empty kind", []*client.Vendor{vendor("")}, "empty or has spaces"},
		{"kind with a space", []*client.Vendor{vendor("a b ")}, "empty or has spaces"},
		{"duplicate kind", []*client.Vendor{vendor("a"), vendor("a")}, "already registered"},
		{"no auth", []*client.Vendor{{Kind: "a", New: newStub}}, "no auth scheme"},
		{"unknown auth", []*client.Vendor{{Kind: "a", Auths: []string{"basic"}, New: newStub}}, `auth "basic" is not one of`},
		{"no constructor", []*client.Vendor{{Kind: "a", Auths: []string{client.AuthBearer}}}, "no constructor"},
		{"repeated region", []*client.Vendor{{Kind: "a", Auths: []string{client.AuthBearer}, New: newStub,
			Regions: []client.Region{{Name: "us"}, {Name: "us"}}}}, `region "us" is empty or repeated`},
		{"repeated field", []*client.Vendor{vendor("a", "window", "window")}, `field "window" is empty or repeated`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := client.NewRegistry(tt.vendors...)
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("NewRegistry: %v", err)
				}
				if got := r.Kinds(); !slices.Equal(got, []string{"a", "b", "c"}) {
					t.Errorf("Kinds = %v, want registration order", got)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("err = %v, want one containing %q", err, tt.wantErr)
			}
		})
	}
}

func TestRegistryLookupAndFields(t *testing.T) {
	params := &client.Vendor{Kind: "p", Auths: []string{client.AuthOAuth2}, New: newStub,
		Fields: []client.ConfigField{{Key: "params", SubKeys: []string{"from", "to"}}}}
	r, err := client.NewRegistry(vendor("a", "window"), params, vendor("c", "window", "account"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		key  string
		want []string
	}{
		{"", []string{"a", "p", "c"}},
		{"window", []string{"a", "c"}},
		{"account", []string{"c"}},
		{"params", []string{"p"}},
		{"lookback", nil},
	}
	for _, tt := range tests {
		if got := r.KindsWith(tt.key); !slices.Equal(got, tt.want) {
			t.Errorf("KindsWith(%q) = %v, want %v", tt.key, got, tt.want)
		}
	}
	if v, ok := r.Lookup("p"); !ok || v != params {
		t.Errorf("Lookup(p) = %v, %v", v, ok)
	}
	if _, ok := r.Lookup("zz"); ok {
		t.Error("Lookup(zz) found an unregistered kind")
	}
	// A kind without the table gets the sub-keys of the kind that declares it (for messages).
	for _, kind := range []string{"p", "a", "zz"} {
		if got := r.SubKeys(kind, "params"); !slices.Equal(got, []string{"from", "to"}) {
			t.Errorf("SubKeys(%s, params) = %v", kind, got)
		}
	}
}

func TestVendorEndpoints(t *testing.T) {
	v := &client.Vendor{
		Kind: "x", Auths: []string{client.AuthAPIKey, client.AuthOAuth2}, New: newStub,
		Regions: []client.Region{{Name: "us", BaseURL: "https://us.example"}, {Name: "eu", BaseURL: "https://eu.example"}},
		Locate: func(s client.SourceConfig) string {
			if s.Workspace == "" {
				return ""
			}
			return "https://" + s.Workspace + ".example"
		},
		TokenURL: func(_ client.SourceConfig, endpoint string) string { return endpoint + "/token" },
	}
	tests := []struct {
		name            string
		s               client.SourceConfig
		endpoint, token string
	}{
		{"default region", client.SourceConfig{Auth: client.AuthAPIKey}, "https://us.example", ""},
		{"region", client.SourceConfig{Region: "eu", Auth: client.AuthOAuth2}, "https://eu.example", "https://eu.example/token"},
		{"unknown region", client.SourceConfig{Region: "mars", Auth: client.AuthOAuth2}, "", "/token"},
		{"base_url wins", client.SourceConfig{BaseURL: "http://127.0.0.1:9/api/", Region: "eu", Workspace: "w", Auth: client.AuthOAuth2},
			"http://127.0.0.1:9/api", "http://127.0.0.1:9/api/token"},
		{"located", client.SourceConfig{Workspace: "w", Auth: client.AuthAPIKey}, "https://w.example", ""},
		{"token_url wins", client.SourceConfig{TokenURL: "https://t.example/o", Auth: client.AuthOAuth2}, "https://us.example", "https://t.example/o"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := v.Endpoint(tt.s); got != tt.endpoint {
				t.Errorf("Endpoint = %q, want %q", got, tt.endpoint)
			}
			if got := v.TokenEndpoint(tt.s); got != tt.token {
				t.Errorf("TokenEndpoint = %q, want %q", got, tt.token)
			}
		})
	}
	if got := v.RegionNames(); !slices.Equal(got, []string{"us", "eu"}) {
		t.Errorf("RegionNames = %v", got)
	}
	if got := (&client.Vendor{}).RegionNames(); got != nil {
		t.Errorf("RegionNames without regions = %v", got)
	}
}

func TestVendorOpenFillsEndpoints(t *testing.T) {
	v := &client.Vendor{Kind: "x", Auths: []string{client.AuthOAuth2}, New: newStub,
		Regions:  []client.Region{{Name: "us", BaseURL: "https://us.example"}},
		TokenURL: func(s client.SourceConfig, _ string) string { return "https://" + s.Account + ".id.example/token" }}
	src, err := v.Open(client.SourceConfig{Name: "n", Account: "acme", Auth: client.AuthOAuth2}, client.BuildEnv{Secret: "s3"})
	if err != nil {
		t.Fatal(err)
	}
	env := src.(stubSource).env
	if env.BaseURL != "https://us.example" || env.TokenURL != "https://acme.id.example/token" || env.Secret != "s3" {
		t.Errorf("env = %+v", env)
	}
	boom := errors.New("boom")
	v.New = func(client.SourceConfig, client.BuildEnv) (client.Source, error) { return nil, boom }
	if _, err := v.Open(client.SourceConfig{}, client.BuildEnv{}); !errors.Is(err, boom) {
		t.Errorf("Open err = %v, want the constructor's", err)
	}
}

func TestValidHostLabel(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"acme", true}, {"Acme-2", true}, {"a", true}, {strings.Repeat("a", 63), true},
		{"", false}, {"-acme", false}, {"acme-", false}, {"ac.me", false}, {"ac_me", false},
		{"ac me", false}, {"açme", false}, {strings.Repeat("a", 64), false},
	}
	for _, tt := range tests {
		if got := client.ValidHostLabel(tt.in); got != tt.want {
			t.Errorf("ValidHostLabel(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}
