package config

import (
	"fmt"
	"maps"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/confab-dev/confab/client"
	"github.com/confab-dev/confab/client/timeexpr"
)

// The kinds of the vendors cmd/confab registers. The registry (client.Vendors) is what
// validation knows; these names remain for code that builds a Source in memory.
const (
	KindMoveworks  = "moveworks"
	KindTalkdesk   = "talkdesk"
	KindOpenDialog = "opendialog"
)

// The auth methods (the authentication schemes of package client).
const (
	AuthAPIKey = client.AuthAPIKey
	AuthOAuth2 = client.AuthOAuth2
	AuthBearer = client.AuthBearer
)

// Settings is s as its vendor descriptor (client.Vendor) sees it.
func (s Source) Settings() client.SourceConfig {
	return client.SourceConfig{
		Name: s.Name, Kind: s.Kind, Region: s.Region, BaseURL: s.BaseURL, Auth: s.Auth,
		APIKeyStyle: s.APIKeyStyle, TokenURL: s.TokenURL, ClientID: s.ClientID, Scope: s.Scope,
		Account: s.Account, Workspace: s.Workspace, AllowedHosts: s.AllowedHosts,
		PageSize: s.PageSize, Window: s.Window, SessionTimeout: s.SessionTimeout,
		MaxWindows: s.MaxWindows, Params: s.Params, TimeFormat: s.TimeFormat, LookBack: s.LookBack,
	}
}

// Endpoint is the source's effective API base URL, as its kind's descriptor in client.Vendors
// gives it (client.Vendor.Endpoint): base_url, else the vendor's own location (e.g. the
// OpenDialog workspace URL), else the region's (or the default region's) URL.
func (s Source) Endpoint() string {
	if v, ok := client.Vendors.Lookup(s.Kind); ok {
		return v.Endpoint(s.Settings())
	}
	return strings.TrimRight(s.BaseURL, "/")
}

// TokenEndpoint is the source's effective OAuth2 token URL ("" when it uses no OAuth2), as its
// kind's descriptor in client.Vendors gives it (client.Vendor.TokenEndpoint): token_url, else
// the vendor's derived one (for Moveworks {origin of the base URL}/oauth/v1/token, for
// Talkdesk https://{account}.talkdeskid.com/oauth/token per region).
func (s Source) TokenEndpoint() string {
	if v, ok := client.Vendors.Lookup(s.Kind); ok {
		return v.TokenEndpoint(s.Settings())
	}
	if s.Auth == AuthOAuth2 {
		return s.TokenURL
	}
	return ""
}

var namePattern = regexp.MustCompile(`^[A-Za-z0-9_.-]+$`)

type validator struct {
	file     string
	lines    *lineIndex
	problems []Problem
	names    []string // source names by index, for messages
	vendors  *client.Registry
}

func (v *validator) add(line int, warning bool, format string, args ...any) {
	v.problems = append(v.problems, Problem{File: v.file, Line: line, Msg: fmt.Sprintf(format, args...), Warning: warning})
}

func (v *validator) build(raw rawFile) *Config {
	cfg := &Config{ClipboardMaxOSC52: raw.ClipboardMaxOSC52, NoMouse: raw.Mouse != nil && !*raw.Mouse}
	seen := map[string]int{}
	for i, rs := range raw.Source {
		src, ok := v.source(i, rs, seen)
		if ok {
			cfg.Sources = append(cfg.Sources, src)
		}
	}
	known := make(map[string]bool, len(v.names))
	for _, n := range v.names {
		known[n] = true
	}
	seenViews := map[string]int{}
	for i, rv := range raw.View {
		line := func(key string) int { return v.lines.key("view", i, key) }
		view := View{Name: rv.Name, Source: rv.Source, Filter: rv.Filter, Order: rv.Order, Line: v.lines.header("view", i)}
		label := fmt.Sprintf("view %q", rv.Name)
		if rv.Name == "" {
			label = fmt.Sprintf("view #%d", i+1)
			v.add(view.Line, false, "%s: name is required", label)
		} else if first, dup := seenViews[rv.Name]; dup {
			v.add(line("name"), false, "%s: duplicate name (first defined on line %d)", label, first)
		} else {
			seenViews[rv.Name] = line("name")
		}
		switch {
		case rv.Source == "":
			v.add(view.Line, false, "%s: source is required", label)
		case !known[rv.Source]:
			v.add(line("source"), false, "%s: source %q is not a configured source (have: %s)", label, rv.Source, listOrNone(v.names))
		}
		switch rv.Order {
		case "", "newest", "oldest":
		default:
			v.add(line("order"), false, "%s: order %q is not one of newest, oldest", label, rv.Order)
		}
		if view.Order == "" {
			view.Order = "newest"
		}
		cfg.Views = append(cfg.Views, view)
	}
	return cfg
}

func listOrNone(names []string) string {
	const most = 10
	switch {
	case len(names) == 0:
		return "none"
	case len(names) > most:
		return strings.Join(names[:most], ", ") + fmt.Sprintf(" and %d more", len(names)-most)
	}
	return strings.Join(names, ", ")
}

// TalkdeskTimeFormats are the values of a Talkdesk source's time_format (the format of the
// window parameters): a copy of client/talkdesk.TimeFormats, which the talkdesk descriptor
// checks time_format against; kept for callers of this package.
var TalkdeskTimeFormats = []string{"rfc3339micro", "rfc3339milli", "rfc3339nano", "rfc3339", "unix", "unix_ms"}

func onlyWarnings(ps []Problem) bool {
	for _, p := range ps {
		if !p.Warning {
			return false
		}
	}
	return true
}

func sortedKeys(m map[string]string) []string { return slices.Sorted(maps.Keys(m)) }

func (v *validator) checkURL(line int, label, key, raw string) {
	u, err := url.Parse(raw)
	switch {
	case err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http"):
		v.add(line, false, "%s: %s %q is not an http(s) URL", label, key, redactURL(raw))
	case u.User != nil:
		v.add(line, false, "%s: %s must not hold credentials; secrets go in the OS keyring or CONFAB_SECRET_<NAME>", label, key)
	case u.RawQuery != "" || u.Fragment != "":
		v.add(line, false, "%s: %s %q must not have a query or fragment (a key in it would be sent and logged; secrets go in the OS keyring or CONFAB_SECRET_<NAME>)",
			label, key, redactURL(raw))
	case u.Scheme == "http" && !client.IsLoopback(u.Hostname()):
		v.add(line, false, "%s: %s uses plain http to a non-loopback host: the credential would travel unencrypted; use https (plain http is allowed only on loopback)", label, key)
	}
}

// maxRateLimitWait bounds rate_limit_wait.
const maxRateLimitWait = 24 * time.Hour

func (v *validator) duration(line int, label, key, raw string) time.Duration {
	if raw == "" {
		return 0
	}
	d, err := ParseDuration(raw)
	if err != nil {
		v.add(line, false, "%s: %s %q is not a duration (e.g. 30s, 90m, 36h, 7d)", label, key, raw)
		return 0
	}
	if d <= 0 {
		v.add(line, false, "%s: %s %q must be positive", label, key, raw)
		return 0
	}
	return d
}

// ParseDuration is timeexpr.ParseDuration: a Go duration ("90m", "1h30m") or a whole number
// of days or weeks ("1d", "7d", "2w").
func ParseDuration(s string) (time.Duration, error) { return timeexpr.ParseDuration(s) }

// redactURL is client.RedactURL: raw with its user information, query values and fragment
// replaced by "***".
func redactURL(raw string) string { return client.RedactURL(raw) }
