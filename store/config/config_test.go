package config

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

func writeTemp(t *testing.T, body string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "config.toml")
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

const validFile = `# confab config
[[source]]
name = "mw"
kind = "moveworks"
region = "eu"
api_key_style = "raw"
filter = "platform eq 'slack'"
page_size = 100
timeout = "45s"
rate_limit_wait = "10m"
secret_command = ["pass", "show", "confab/mw"]
console_url = "https://console.example.com/{source}/conversations/{id}"

[[source]]
name = "td"
kind = "talkdesk"
account = "acme"
client_id = "cid"
window = "3d"
allowed_hosts = [
  "https://api.talkdeskapp.com",
  ".talkdesk.com",
]
[source.params]
start = "start_date"
end = "end_date"

[[source]]
name = "od"
kind = "opendialog"
workspace = "acme"
session_timeout = "45m"
window = "1d"

[[view]]
name = "slack this week"
source = "mw"
filter = "platform eq 'slack'"
order = "oldest"
`

func TestLoadValid(t *testing.T) {
	path := writeTemp(t, validFile)
	cfg, err := Load(path)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if len(cfg.Warnings) != 0 {
		t.Errorf("warnings: %v", cfg.Warnings)
	}
	if got := cfg.SourceNames(); !reflect.DeepEqual(got, []string{"mw", "td", "od"}) {
		t.Fatalf("sources = %v", got)
	}
	mw, _ := cfg.Source("mw")
	want := Source{
		Name: "mw", Kind: "moveworks", Region: "eu", Auth: "api_key", APIKeyStyle: "raw",
		Filter: "platform eq 'slack'", PageSize: 100, Timeout: 45 * time.Second, RateLimitWait: 10 * time.Minute,
		SecretCommand: []string{"pass", "show", "confab/mw"}, Line: 2,
		ConsoleURL: "https://console.example.com/{source}/conversations/{id}",
	}
	if !reflect.DeepEqual(mw, want) {
		t.Errorf("mw = %+v\nwant %+v", mw, want)
	}
	if got := mw.Endpoint(); got != "https://api.am-eu-central.moveworks.ai/export/v1/records" {
		t.Errorf("mw endpoint = %q", got)
	}
	td, _ := cfg.Source("td")
	if td.Auth != "oauth2" || td.Window != 72*time.Hour || td.Params["start"] != "start_date" || len(td.AllowedHosts) != 2 || td.Line != 14 {
		t.Errorf("td = %+v", td)
	}
	if got := td.TokenEndpoint(); got != "https://acme.talkdeskid.com/oauth/token" {
		t.Errorf("td token endpoint = %q", got)
	}
	if got := td.Endpoint(); got != "https://api.talkdeskapp.com" {
		t.Errorf("td endpoint = %q", got)
	}
	od, _ := cfg.Source("od")
	if od.Auth != "bearer" || od.SessionTimeout != 45*time.Minute || od.Window != 24*time.Hour {
		t.Errorf("od = %+v", od)
	}
	if got := od.Endpoint(); got != "https://acme.cloud.opendialog.ai/public/api" {
		t.Errorf("od endpoint = %q", got)
	}
	if len(cfg.Views) != 1 || cfg.Views[0] != (View{Name: "slack this week", Source: "mw", Filter: "platform eq 'slack'", Order: "oldest", Line: 35}) {
		t.Errorf("views = %+v", cfg.Views)
	}
}

func TestLoadProblems(t *testing.T) {
	tests := []struct {
		name string
		body string
		want []string // each problem's "line: message" fragment, in order
	}{
		{
			name: "unknown kind",
			body: "[[source]]\nname = \"mw\"\n\nkind = \"movewords\"\n",
			want: []string{`:4: source "mw": kind "movewords" is not one of moveworks, talkdesk, opendialog`},
		},
		{
			name: "missing kind and name",
			body: "[[source]]\nregion = \"us\"\n",
			want: []string{`:1: source #1: name is required`, `:1: source #1: kind is required`},
		},
		{
			name: "bad name",
			body: "[[source]]\nname = \"m w\"\nkind = \"moveworks\"\n",
			want: []string{`:2: source "m w": name may only contain`},
		},
		{
			name: "unknown region",
			body: "[[source]]\nname = \"mw\"\nkind = \"moveworks\"\nregion = \"mars\"\n",
			want: []string{`:4: source "mw": region "mars" is not one of us, eu, ca, gov`},
		},
		{
			name: "opendialog without workspace or base_url",
			body: "[[source]]\nname = \"od\"\nkind = \"opendialog\"\n",
			want: []string{`:1: source "od": opendialog needs workspace or base_url`},
		},
		{
			name: "opendialog with a region",
			body: "[[source]]\nname = \"od\"\nkind = \"opendialog\"\nworkspace = \"w\"\nregion = \"us\"\n",
			want: []string{`:5: source "od": opendialog has no regions`},
		},
		{
			name: "bad auth for kind",
			body: "[[source]]\nname = \"td\"\nkind = \"talkdesk\"\naccount = \"a\"\nauth = \"api_key\"\n",
			want: []string{`:5: source "td": auth "api_key" is not one of oauth2 for talkdesk`},
		},
		{
			name: "bad api key style",
			body: "[[source]]\nname = \"mw\"\nkind = \"moveworks\"\napi_key_style = \"basic\"\n",
			want: []string{`:4: source "mw": api_key_style "basic" is not one of raw, bearer`},
		},
		{
			name: "talkdesk without account or token_url",
			body: "[[source]]\nname = \"td\"\nkind = \"talkdesk\"\nclient_id = \"c\"\n",
			want: []string{`:1: source "td": talkdesk needs account`},
		},
		{
			name: "bad durations",
			body: "[[source]]\nname = \"td\"\nkind = \"talkdesk\"\naccount = \"a\"\nclient_id = \"c\"\nwindow = \"8d\"\ntimeout = \"soon\"\n",
			want: []string{`:6: source "td": window 8d is longer than Talkdesk's 7-day limit`, `:7: source "td": timeout "soon" is not a duration`},
		},
		{
			name: "rate_limit_wait out of range",
			body: "[[source]]\nname = \"mw\"\nkind = \"moveworks\"\nrate_limit_wait = \"2d\"\n[[source]]\nname = \"mw2\"\nkind = \"moveworks\"\nrate_limit_wait = \"later\"\n",
			want: []string{`:4: source "mw": rate_limit_wait 2d is longer than a day`, `:8: source "mw2": rate_limit_wait "later" is not a duration`},
		},
		{
			name: "negative duration",
			body: "[[source]]\nname = \"mw\"\nkind = \"moveworks\"\ntimeout = \"-1s\"\n",
			want: []string{`:4: source "mw": timeout "-1s" must be positive`},
		},
		{
			name: "duplicate names",
			body: "[[source]]\nname = \"mw\"\nkind = \"moveworks\"\n[[source]]\nname = \"mw\"\nkind = \"moveworks\"\n",
			want: []string{`:5: source "mw": duplicate name (first defined on line 2)`},
		},
		{
			name: "view with unknown source and order",
			body: "[[source]]\nname = \"mw\"\nkind = \"moveworks\"\n[[view]]\nname = \"v\"\nsource = \"nope\"\norder = \"sideways\"\n",
			want: []string{`:6: view "v": source "nope" is not a configured source (have: mw)`, `:7: view "v": order "sideways" is not one of newest, oldest`},
		},
		{
			name: "unknown key",
			body: "[[source]]\nname = \"mw\"\nkind = \"moveworks\"\n[[source]]\nname = \"mw2\"\nkind = \"moveworks\"\nplaform = \"slack\"\n",
			want: []string{`:7: source "mw2": unknown key "plaform"`},
		},
		{
			name: "unknown top-level table",
			body: "[sources]\nname = \"mw\"\n",
			want: []string{`:1: unknown key "sources"`},
		},
		{
			name: "secret in the file",
			body: "[[source]]\nname = \"my-mw\"\nkind = \"moveworks\"\napi_key = \"sk-123\"\n",
			want: []string{`:4: source "my-mw": key "api_key" looks like a secret: secrets never go in the config file; store it in the OS keyring (service confab, account = source name) or set CONFAB_SECRET_MY_MW`},
		},
		{
			name: "client_secret in the file",
			body: "[[source]]\nname = \"td\"\nkind = \"talkdesk\"\naccount = \"a\"\nclient_secret = \"x\"\n",
			want: []string{`:5: source "td": key "client_secret" looks like a secret`},
		},
		{
			name: "malformed TOML",
			body: "[[source]]\nname = \"mw\"\nkind = moveworks\n",
			want: []string{`:3: invalid TOML:`},
		},
		{
			name: "wrong type",
			body: "[[source]]\nname = \"mw\"\nkind = \"moveworks\"\npage_size = \"ten\"\n",
			want: []string{`:4: source.page_size must be an integer, not a string`},
		},
		{
			name: "plain http to a remote host",
			body: "[[source]]\nname = \"mw\"\nkind = \"moveworks\"\nbase_url = \"http://example.com/x\"\n",
			want: []string{`:4: source "mw": base_url uses plain http to a non-loopback host: the credential would travel unencrypted; use https`},
		},
		{
			name: "allowed_hosts: plain http off loopback, public suffixes",
			body: "[[source]]\nname = \"td\"\nkind = \"talkdesk\"\naccount = \"a\"\nclient_id = \"c\"\nallowed_hosts = [\"http://10.0.0.1:8080\", \".com\", \".co.uk\", \".github.io\", \"http://127.0.0.1:9\", \".example.co.uk\", \"https://conv.example.com\"]\n",
			want: []string{
				`:6: source "td": allowed_hosts: allowed host "http://10.0.0.1:8080" uses plain http: credentials would travel unencrypted; use https`,
				`:6: source "td": allowed_hosts: allowed host suffix ".com" is a public suffix`,
				`:6: source "td": allowed_hosts: allowed host suffix ".co.uk" is a public suffix`,
				`:6: source "td": allowed_hosts: allowed host suffix ".github.io" is a public suffix`,
			},
		},
		{
			name: "wrong type: array",
			body: "[[source]]\nname = \"mw\"\nkind = \"moveworks\"\nallowed_hosts = \"a.example\"\n",
			want: []string{`:4: source.allowed_hosts must be an array, not a string`},
		},
		{
			name: "wrong type: table",
			body: "clipboard_max_osc52 = 1\nview = 3\n",
			want: []string{`:2: view must be an array, not an integer`},
		},
		{
			name: "bad base_url",
			body: "[[source]]\nname = \"mw\"\nkind = \"moveworks\"\nbase_url = \"ftp://x/y\"\n",
			want: []string{`:4: source "mw": base_url "ftp://x/y" is not an http(s) URL`},
		},
		{
			name: "key in a base_url query is not echoed",
			body: "[[source]]\nname = \"mw\"\nkind = \"moveworks\"\nbase_url = \"https://x/y?api_key=SECRET-42&v=2#tok\"\n",
			want: []string{`:4: source "mw": base_url "https://x/y?api_key=***&v=***#***" must not have a query or fragment`},
		},
		{
			name: "key in a bad URL is not echoed",
			body: "[[source]]\nname = \"mw\"\nkind = \"moveworks\"\nbase_url = \"ftp://u:SECRET-42@x/y\"\n",
			want: []string{`:4: source "mw": base_url "ftp://***@x/y" is not an http(s) URL`},
		},
		{
			name: "credentials in base_url",
			body: "[[source]]\nname = \"mw\"\nkind = \"moveworks\"\nbase_url = \"https://u:p@x/y\"\n",
			want: []string{`:4: source "mw": base_url must not hold credentials`},
		},
		{
			name: "params on a non-talkdesk source and unknown param",
			body: "[[source]]\nname = \"mw\"\nkind = \"moveworks\"\n[source.params]\nfrom = \"x\"\n",
			want: []string{`:4: source "mw": [source.params] applies only to talkdesk sources`, `:5: source "mw": params.from is not one of start, end, limit`},
		},
		{
			name: "empty secret_command",
			body: "[[source]]\nname = \"mw\"\nkind = \"moveworks\"\nsecret_command = []\n",
			want: []string{`:4: source "mw": secret_command must name a program`},
		},
		{
			name: "unknown key in a view",
			body: "[[source]]\nname = \"mw\"\nkind = \"moveworks\"\n[[view]]\nname = \"v\"\nsource = \"mw\"\nsort = \"x\"\n",
			want: []string{`:7: view "v": unknown key "sort"`},
		},
		{
			name: "inline params table",
			body: "[[source]]\nname = \"td\"\nkind = \"talkdesk\"\naccount = \"a\"\nclient_id = \"c\"\nparams = { start = \"s\", until = \"u\" }\n",
			want: []string{`:6: source "td": params.until is not one of start, end, limit`},
		},
		{
			name: "multi-line values do not confuse line numbers",
			body: "[[source]]\nname = \"mw\"\nkind = \"moveworks\"\nfilter = \"\"\"\nbogus = 1\n\"\"\"\nallowed_hosts = [\n  \"a.example\",\n]\nbogus = 2\n",
			want: []string{`:10: source "mw": unknown key "bogus"`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := writeTemp(t, tt.body)
			_, err := Load(path)
			var cerr *Error
			if !errors.As(err, &cerr) {
				t.Fatalf("Load error = %v, want *Error", err)
			}
			if len(cerr.Problems) != len(tt.want) {
				t.Fatalf("got %d problems, want %d:\n%s", len(cerr.Problems), len(tt.want), problemsText(cerr.Problems))
			}
			for i, w := range tt.want {
				got := cerr.Problems[i].String()
				if !strings.HasPrefix(got, path) || !strings.Contains(got, w) {
					t.Errorf("problem %d = %q, want it to start with the path and contain %q", i, got, w)
				}
				if strings.Contains(got, "SECRET-42") {
					t.Errorf("problem %d = %q echoes a secret", i, got)
				}
			}
		})
	}
}

func problemsText(ps []Problem) string {
	var b strings.Builder
	for _, p := range ps {
		b.WriteString(p.String())
		b.WriteString("\n")
	}
	return b.String()
}

func TestWarnings(t *testing.T) {
	tests := []struct {
		name string
		body string
		want []string
	}{
		{
			name: "oauth2 without client_id",
			body: "[[source]]\nname = \"mw\"\nkind = \"moveworks\"\nauth = \"oauth2\"\n",
			want: []string{`:4: warning: source "mw": auth is oauth2 but client_id is not set`},
		},
		{
			name: "both region and base_url",
			body: "[[source]]\nname = \"mw\"\nkind = \"moveworks\"\nregion = \"us\"\nbase_url = \"https://example.com/x\"\n",
			want: []string{`:4: warning: source "mw": both base_url and region are set`},
		},
		{
			name: "options that do not apply",
			body: "[[source]]\nname = \"mw\"\nkind = \"moveworks\"\nwindow = \"1d\"\nclient_id = \"c\"\n",
			want: []string{`:4: warning: source "mw": window applies only`, `:5: warning: source "mw": client_id applies only`},
		},
		{
			name: "loopback http is fine",
			body: "[[source]]\nname = \"mw\"\nkind = \"moveworks\"\nbase_url = \"http://127.0.0.1:8700/export/v1/records\"\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := Load(writeTemp(t, tt.body))
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			if len(cfg.Warnings) != len(tt.want) {
				t.Fatalf("got warnings:\n%s", problemsText(cfg.Warnings))
			}
			for i, w := range tt.want {
				if got := cfg.Warnings[i].String(); !strings.Contains(got, w) {
					t.Errorf("warning %d = %q, want %q", i, got, w)
				}
			}
		})
	}
}

func TestErrorSummary(t *testing.T) {
	path := writeTemp(t, "[[source]]\nname = \"a\"\nkind = \"x\"\n[[source]]\nname = \"b\"\nkind = \"y\"\n")
	_, err := Load(path)
	if err == nil || !strings.HasSuffix(err.Error(), "(and 1 more)") || !strings.HasPrefix(err.Error(), path+":3:") {
		t.Fatalf("err = %v", err)
	}
}

func TestPath(t *testing.T) {
	tests := []struct {
		name         string
		flag         string
		env          map[string]string
		want         string
		wantExplicit bool
		wantErr      bool
	}{
		{name: "flag wins", flag: "/a.toml", env: map[string]string{"CONFAB_CONFIG": "/b.toml"}, want: "/a.toml", wantExplicit: true},
		{name: "env", env: map[string]string{"CONFAB_CONFIG": "/b.toml", "XDG_CONFIG_HOME": "/x"}, want: "/b.toml", wantExplicit: true},
		{name: "xdg", env: map[string]string{"XDG_CONFIG_HOME": "/x", "HOME": "/h"}, want: "/x/confab/config.toml"},
		{name: "relative xdg is ignored", env: map[string]string{"XDG_CONFIG_HOME": "x", "HOME": "/h"}, want: "/h/.config/confab/config.toml"},
		{name: "home", env: map[string]string{"HOME": "/h"}, want: "/h/.config/confab/config.toml"},
		{name: "nothing", env: map[string]string{}, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, explicit, err := Path(tt.flag, func(k string) string { return tt.env[k] })
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v", err)
			}
			if got != tt.want || explicit != tt.wantExplicit {
				t.Errorf("Path = %q, %v; want %q, %v", got, explicit, tt.want, tt.wantExplicit)
			}
		})
	}
}

func TestLoadMissing(t *testing.T) {
	path := filepath.Join(t.TempDir(), "none.toml")
	if _, err := Load(path); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Load missing = %v, want ErrNotExist", err)
	}
	cfg, err := LoadOrEmpty(path)
	if err != nil || len(cfg.Sources) != 0 || cfg.Path != path {
		t.Errorf("LoadOrEmpty = %+v, %v", cfg, err)
	}
}

func TestWriteRoundTrip(t *testing.T) {
	src, err := Load(writeTemp(t, validFile))
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "new", "confab")
	path := filepath.Join(dir, "config.toml")
	if err := Write(path, src); err != nil {
		t.Fatalf("Write: %v", err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("file mode = %v, want 0600", fi.Mode().Perm())
	}
	if di, _ := os.Stat(dir); di.Mode().Perm() != 0o700 {
		t.Errorf("dir mode = %v, want 0700", di.Mode().Perm())
	}
	got, err := Load(path)
	if err != nil {
		data, _ := os.ReadFile(path)
		t.Fatalf("reload: %v\n%s", err, data)
	}
	strip := func(c *Config) *Config {
		out := *c
		out.Path = ""
		out.Sources = append([]Source(nil), c.Sources...)
		out.Views = append([]View(nil), c.Views...)
		for i := range out.Sources {
			out.Sources[i].Line = 0
		}
		for i := range out.Views {
			out.Views[i].Line = 0
		}
		return &out
	}
	if !reflect.DeepEqual(strip(got), strip(src)) {
		t.Errorf("round trip differs:\n got %+v\nwant %+v", strip(got), strip(src))
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("temporary files left behind: %v", entries)
	}
}

func TestClipboardMaxOSC52(t *testing.T) {
	tests := []struct {
		text string
		want int
		bad  bool
	}{
		{"", 0, false},
		{"clipboard_max_osc52 = 100000\n", 100000, false},
		{"clipboard_max_osc52 = -1\n", -1, false},
		{"clipboard_max_osc52 = \"big\"\n", 0, true},
	}
	for _, tt := range tests {
		text := tt.text + "[[source]]\nname = \"mw\"\nkind = \"moveworks\"\n"
		cfg, err := Parse("config.toml", []byte(text))
		if tt.bad {
			if err == nil {
				t.Errorf("%q: no error", tt.text)
			}
			continue
		}
		if err != nil || cfg.ClipboardMaxOSC52 != tt.want {
			t.Errorf("%q: got %v, %v; want %d", tt.text, cfg, err, tt.want)
			continue
		}
		out, err := Marshal(cfg)
		if err != nil {
			t.Fatal(err)
		}
		back, err := Parse("config.toml", out)
		if err != nil || back.ClipboardMaxOSC52 != tt.want {
			t.Errorf("%q: round trip gave %v, %v", tt.text, back, err)
		}
	}
}
