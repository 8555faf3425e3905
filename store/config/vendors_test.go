package config

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/confab-dev/confab/client"
	"github.com/confab-dev/confab/client/moveworks"
	"github.com/confab-dev/confab/client/opendialog"
	"github.com/confab-dev/confab/client/talkdesk"
)

// TestMain registers the three vendors in client.Vendors, as cmd/confab does at start-up:
// this package validates against the registry and imports no vendor package itself.
func TestMain(m *testing.M) {
	client.Register(&moveworks.Descriptor)
	client.Register(&talkdesk.Descriptor)
	client.Register(&opendialog.Descriptor)
	os.Exit(m.Run())
}

// labVendor is a made-up vendor, known only to this test's registry: no regions, a bearer
// token or an API key, the keys window and [source.params] (sub-keys a, b), and a check of
// the source as a whole.
func labVendor() *client.Vendor {
	return &client.Vendor{
		Kind:  "lab",
		Auths: []string{client.AuthBearer, client.AuthAPIKey},
		Fields: []client.ConfigField{
			{Key: "window", Check: func(s client.SourceConfig, written string) error {
				if s.Window > time.Hour {
					return fmt.Errorf("window %s is longer than an hour", written)
				}
				return nil
			}},
			{Key: "params", SubKeys: []string{"a", "b"}},
		},
		Check: func(s client.SourceConfig) []client.ConfigProblem {
			var ps []client.ConfigProblem
			if s.BaseURL == "" {
				ps = append(ps, client.ConfigProblem{Msg: "lab needs base_url"})
			}
			if s.Auth != client.AuthBearer {
				ps = append(ps, client.ConfigProblem{Key: "auth", Msg: "lab prefers bearer", Warning: true})
			}
			return ps
		},
		New: func(client.SourceConfig, client.BuildEnv) (client.Source, error) { return nil, errors.New("unused") },
	}
}

func TestLoaderValidatesAgainstItsRegistry(t *testing.T) {
	reg, err := client.NewRegistry(labVendor())
	if err != nil {
		t.Fatal(err)
	}
	const head = "[[source]]\nname = \"l\"\nkind = \"lab\"\n"
	tests := []struct {
		name     string
		body     string
		errs     []string // every error, in order
		warnings []string
	}{
		{"valid", head + "base_url = \"http://127.0.0.1:9/x\"\nwindow = \"30m\"\nparams = {a = \"from\"}\n", nil, nil},
		{"kind unknown to this registry", "[[source]]\nname = \"m\"\nkind = \"moveworks\"\n",
			[]string{`:3: source "m": kind "moveworks" is not one of lab`}, nil},
		{"kind missing", "[[source]]\nname = \"m\"\n", []string{`:1: source "m": kind is required (one of lab)`}, nil},
		{"whole-source check", head, []string{`:1: source "l": lab needs base_url`}, nil},
		{"whole-source warning on a key", head + "auth = \"api_key\"\n",
			[]string{`:1: source "l": lab needs base_url`}, []string{`:4: warning: source "l": lab prefers bearer`}},
		{"field check", head + "base_url = \"http://127.0.0.1:9/x\"\nwindow = \"2h\"\n",
			[]string{`:5: source "l": window 2h is longer than an hour`}, nil},
		{"table sub-keys", head + "base_url = \"http://127.0.0.1:9/x\"\n[source.params]\na = \"\"\nc = \"x\"\n",
			[]string{`:6: source "l": params.a is empty`, `:7: source "l": params.c is not one of a, b`}, nil},
		{"region on a vendor without regions", head + "base_url = \"http://127.0.0.1:9/x\"\nregion = \"us\"\n",
			[]string{`:5: source "l": lab has no regions: set base_url`}, []string{`:5: warning: source "l": both base_url and region are set`}},
		{"key no registered kind declares", head + "base_url = \"http://127.0.0.1:9/x\"\nlookback = \"1d\"\ntime_format = \"unix\"\n",
			[]string{`:6: source "l": time_format applies to no kind of source this build supports`},
			[]string{`:5: warning: source "l": lookback applies to no kind of source this build supports`}},
		{"auth not offered", head + "base_url = \"http://127.0.0.1:9/x\"\nauth = \"oauth2\"\n",
			[]string{`:5: source "l": auth "oauth2" is not one of bearer, api_key for lab`},
			[]string{`:5: warning: source "l": auth is oauth2 but client_id is not set`, `:5: warning: source "l": lab prefers bearer`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := Loader{Vendors: reg}.Parse("lab.toml", []byte(tt.body))
			var got []string
			var cerr *Error
			if errors.As(err, &cerr) {
				for _, p := range cerr.Problems {
					got = append(got, p.String())
				}
			} else if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			matchAll(t, "errors", got, tt.errs)
			var warns []string
			for _, p := range cfg.Warnings {
				warns = append(warns, p.String())
			}
			matchAll(t, "warnings", warns, tt.warnings)
		})
	}
}

// matchAll checks that got has one entry per want, each containing it, in order.
func matchAll(t *testing.T, what string, got, want []string) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s = %q, want %d like %q", what, got, len(want), want)
	}
	for i := range want {
		if !strings.Contains(got[i], want[i]) {
			t.Errorf("%s[%d] = %q, want it to contain %q", what, i, got[i], want[i])
		}
	}
}

// TestEndpointsFollowTheDescriptors: Source.Endpoint and TokenEndpoint ask the registered
// descriptor; an unregistered kind keeps base_url and token_url as written.
func TestEndpointsFollowTheDescriptors(t *testing.T) {
	tests := []struct {
		s               Source
		endpoint, token string
	}{
		{Source{Kind: KindMoveworks, Region: "ca", Auth: AuthOAuth2}, "https://api.am-ca-central.moveworks.ai/export/v1/records", "https://api.am-ca-central.moveworks.ai/oauth/v1/token"},
		{Source{Kind: KindTalkdesk, Region: "eu", Account: "acme", Auth: AuthOAuth2}, "https://api.talkdeskapp.eu", "https://acme.talkdeskid.eu/oauth/token"},
		{Source{Kind: KindOpenDialog, Workspace: "w", Auth: AuthBearer}, "https://w.cloud.opendialog.ai/public/api", ""},
		{Source{Kind: "unregistered", BaseURL: "http://127.0.0.1:9/x/", TokenURL: "http://127.0.0.1:9/t", Auth: AuthOAuth2}, "http://127.0.0.1:9/x", "http://127.0.0.1:9/t"},
		{Source{Kind: "unregistered", TokenURL: "http://127.0.0.1:9/t", Auth: AuthBearer}, "", ""},
	}
	for _, tt := range tests {
		if got := tt.s.Endpoint(); got != tt.endpoint {
			t.Errorf("%s Endpoint = %q, want %q", tt.s.Kind, got, tt.endpoint)
		}
		if got := tt.s.TokenEndpoint(); got != tt.token {
			t.Errorf("%s TokenEndpoint = %q, want %q", tt.s.Kind, got, tt.token)
		}
	}
}

// TestProblemOrderWithoutLines: sources written as an array of inline tables give their
// problems no line, so the order the checks run in is the order the user reads; the
// descriptors' checks keep the places the vendor checks had before they moved out of this
// package (the opendialog workspace among the location checks, the talkdesk account among
// the auth checks, window, session_timeout and lookback each after their parsing).
func TestProblemOrderWithoutLines(t *testing.T) {
	body := `source = [{name="a", kind="opendialog", region="x", account="b", params={q=""}, time_format="iso", window="9d", max_windows=3, auth="oauth2", scope="s"}, {name="", kind="talkdesk", workspace="w w", window="8d", lookback="x", session_timeout="1h", account="a.b", api_key_style="q"}]`
	cfg, err := Parse("c.toml", []byte(body))
	var cerr *Error
	if !errors.As(err, &cerr) {
		t.Fatalf("Parse: %v", err)
	}
	var errs, warns []string
	for _, p := range cerr.Problems {
		errs = append(errs, p.String())
	}
	for _, p := range cfg.Warnings {
		warns = append(warns, p.String())
	}
	matchAll(t, "errors", errs, []string{
		`c.toml: source "a": opendialog has no regions: set workspace or base_url`,
		`c.toml: source "a": opendialog needs workspace or base_url`,
		`c.toml: source "a": auth "oauth2" is not one of bearer for opendialog`,
		`c.toml: source "a": [source.params] applies only to talkdesk sources`,
		`c.toml: source "a": params.q is not one of start, end, limit`,
		`c.toml: source "a": time_format applies only to talkdesk sources`,
		`c.toml: source #2: name is required`,
		`c.toml: source #2: account "a.b" is not a valid host name label`,
		`c.toml: source #2: window 8d is longer than Talkdesk's 7-day limit`,
		`c.toml: source #2: lookback "x" is not a duration (e.g. 30s, 90m, 36h, 7d)`,
	})
	matchAll(t, "warnings", warns, []string{
		`c.toml: warning: source "a": auth is oauth2 but client_id is not set: confab will ask for it`,
		`c.toml: warning: source "a": account applies only to talkdesk sources; ignored`,
		`c.toml: warning: source #2: workspace applies only to opendialog sources; ignored`,
		`c.toml: warning: source #2: api_key_style applies only to auth = "api_key"; ignored`,
		`c.toml: warning: source #2: auth is oauth2 but client_id is not set: confab will ask for it`,
		`c.toml: warning: source #2: session_timeout applies only to opendialog sources; ignored`,
	})
}
