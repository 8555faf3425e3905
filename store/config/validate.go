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

// The source kinds.
const (
	KindMoveworks  = "moveworks"
	KindTalkdesk   = "talkdesk"
	KindOpenDialog = "opendialog"
)

// The auth methods.
const (
	AuthAPIKey = "api_key"
	AuthOAuth2 = "oauth2"
	AuthBearer = "bearer"
)

// Kinds lists the source kinds in the order messages name them.
var Kinds = []string{KindMoveworks, KindTalkdesk, KindOpenDialog}

type kindInfo struct {
	regions       map[string]string // region → API base URL
	regionOrder   []string
	defaultRegion string // "" when the kind has no default base URL
	auths         []string
}

var kinds = map[string]kindInfo{
	KindMoveworks: {
		regions: map[string]string{
			"us":  "https://api.moveworks.ai/export/v1/records",
			"eu":  "https://api.am-eu-central.moveworks.ai/export/v1/records",
			"ca":  "https://api.am-ca-central.moveworks.ai/export/v1/records",
			"gov": "https://api.moveworksgov.ai/export/v1/records",
		},
		regionOrder:   []string{"us", "eu", "ca", "gov"},
		defaultRegion: "us",
		auths:         []string{AuthAPIKey, AuthOAuth2},
	},
	KindTalkdesk: {
		regions: map[string]string{
			"us": "https://api.talkdeskapp.com",
			"eu": "https://api.talkdeskapp.eu",
			"ca": "https://api.talkdeskappca.com",
		},
		regionOrder:   []string{"us", "eu", "ca"},
		defaultRegion: "us",
		auths:         []string{AuthOAuth2},
	},
	KindOpenDialog: {
		auths: []string{AuthBearer},
	},
}

// talkdeskTokenHosts maps a Talkdesk region to the domain of its token host.
var talkdeskTokenHosts = map[string]string{"us": "talkdeskid.com", "eu": "talkdeskid.eu", "ca": "talkdeskidca.com"}

// Regions returns the regions of kind, in order (nil for a kind without regions).
func Regions(kind string) []string { return kinds[kind].regionOrder }

// Endpoint is the source's effective API base URL: base_url, else the region's (or the
// default region's) URL, else the OpenDialog workspace URL.
func (s Source) Endpoint() string {
	if s.BaseURL != "" {
		return strings.TrimRight(s.BaseURL, "/")
	}
	k := kinds[s.Kind]
	if s.Kind == KindOpenDialog && s.Workspace != "" {
		return "https://" + s.Workspace + ".cloud.opendialog.ai/public/api"
	}
	region := s.Region
	if region == "" {
		region = k.defaultRegion
	}
	return k.regions[region]
}

// TokenEndpoint is the source's effective OAuth2 token URL ("" when it uses no OAuth2):
// token_url, else for Moveworks {origin of the base URL}/oauth/v1/token, for Talkdesk
// https://{account}.talkdeskid.com/oauth/token (per region).
func (s Source) TokenEndpoint() string {
	if s.Auth != AuthOAuth2 {
		return ""
	}
	if s.TokenURL != "" {
		return s.TokenURL
	}
	switch s.Kind {
	case KindMoveworks:
		u, err := url.Parse(s.Endpoint())
		if err != nil || u.Host == "" {
			return ""
		}
		return u.Scheme + "://" + u.Host + "/oauth/v1/token"
	case KindTalkdesk:
		if s.Account == "" {
			return ""
		}
		region := s.Region
		if region == "" {
			region = "us"
		}
		return "https://" + s.Account + "." + talkdeskTokenHosts[region] + "/oauth/token"
	}
	return ""
}

var namePattern = regexp.MustCompile(`^[A-Za-z0-9_.-]+$`)

type validator struct {
	file     string
	lines    *lineIndex
	problems []Problem
	names    []string // source names by index, for messages
}

func (v *validator) add(line int, warning bool, format string, args ...any) {
	v.problems = append(v.problems, Problem{File: v.file, Line: line, Msg: fmt.Sprintf(format, args...), Warning: warning})
}

func (v *validator) build(raw rawFile) *Config {
	cfg := &Config{ClipboardMaxOSC52: raw.ClipboardMaxOSC52}
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

// source validates one [[source]] and applies its defaults; ok is false when it is unusable.
func (v *validator) source(i int, rs rawSource, seen map[string]int) (Source, bool) {
	header := v.lines.header("source", i)
	line := func(key string) int { return v.lines.key("source", i, key) }
	label := fmt.Sprintf("source %q", rs.Name)
	errs := len(v.problems)
	fail := func(key, format string, args ...any) {
		v.add(line(key), false, label+": "+format, args...)
	}
	warn := func(key, format string, args ...any) {
		v.add(line(key), true, label+": "+format, args...)
	}
	switch {
	case rs.Name == "":
		label = fmt.Sprintf("source #%d", i+1)
		v.add(header, false, "%s: name is required", label)
	case !namePattern.MatchString(rs.Name):
		fail("name", "name may only contain letters, digits, '_', '.' and '-'")
	default:
		if first, dup := seen[rs.Name]; dup {
			fail("name", "duplicate name (first defined on line %d)", first)
		} else {
			seen[rs.Name] = line("name")
			v.names = append(v.names, rs.Name)
		}
	}
	s := Source{
		Name: rs.Name, Kind: rs.Kind, Region: rs.Region, BaseURL: rs.BaseURL, Auth: rs.Auth,
		APIKeyStyle: rs.APIKeyStyle, TokenURL: rs.TokenURL, ClientID: rs.ClientID, Scope: rs.Scope,
		Account: rs.Account, Workspace: rs.Workspace, AllowedHosts: rs.AllowedHosts,
		SecretCommand: rs.SecretCommand, Filter: rs.Filter, PageSize: rs.PageSize, Params: rs.Params,
		Line: header,
	}
	k, known := kinds[rs.Kind]
	switch {
	case rs.Kind == "":
		v.add(header, false, "%s: kind is required (one of %s)", label, strings.Join(Kinds, ", "))
		return s, false
	case !known:
		fail("kind", "kind %q is not one of %s", rs.Kind, strings.Join(Kinds, ", "))
		return s, false
	}

	// Where the API is.
	if rs.BaseURL != "" {
		v.checkURL(line("base_url"), label, "base_url", rs.BaseURL)
		if rs.Region != "" {
			warn("region", "both base_url and region are set: base_url is used")
		}
	}
	if rs.Region != "" {
		if k.regions == nil {
			fail("region", "%s has no regions: set workspace or base_url", rs.Kind)
		} else if _, ok := k.regions[rs.Region]; !ok {
			fail("region", "region %q is not one of %s", rs.Region, strings.Join(k.regionOrder, ", "))
		}
	}
	if rs.Kind == KindOpenDialog {
		if rs.BaseURL == "" && rs.Workspace == "" {
			v.add(header, false, "%s: opendialog needs workspace or base_url", label)
		}
		if rs.Workspace != "" && !validHostLabel(rs.Workspace) {
			fail("workspace", "workspace %q is not a valid host name label", rs.Workspace)
		}
	} else if rs.Workspace != "" {
		warn("workspace", "workspace applies only to opendialog sources; ignored")
	}

	// How to authenticate.
	if s.Auth == "" {
		s.Auth = k.auths[0]
	} else if !slices.Contains(k.auths, s.Auth) {
		fail("auth", "auth %q is not one of %s for %s", s.Auth, strings.Join(k.auths, ", "), rs.Kind)
	}
	if s.Auth == AuthAPIKey {
		switch rs.APIKeyStyle {
		case "":
			// The vendor's own example sends the raw key (APIS.md §1.3).
			s.APIKeyStyle = "raw"
		case "bearer", "raw":
		default:
			fail("api_key_style", "api_key_style %q is not one of raw, bearer", rs.APIKeyStyle)
		}
	} else if rs.APIKeyStyle != "" {
		warn("api_key_style", "api_key_style applies only to auth = \"api_key\"; ignored")
	}
	if s.Auth == AuthOAuth2 {
		if rs.ClientID == "" {
			warn("auth", "auth is oauth2 but client_id is not set: confab will ask for it")
		}
		if rs.TokenURL != "" {
			v.checkURL(line("token_url"), label, "token_url", rs.TokenURL)
		} else if rs.Kind == KindTalkdesk && rs.Account == "" {
			v.add(header, false, "%s: talkdesk needs account (token URL https://{account}.talkdeskid.com/oauth/token) or token_url", label)
		}
	} else {
		for key, val := range map[string]string{"token_url": rs.TokenURL, "client_id": rs.ClientID, "scope": rs.Scope} {
			if val != "" {
				warn(key, "%s applies only to auth = \"oauth2\"; ignored", key)
			}
		}
	}
	if rs.Account != "" {
		if rs.Kind != KindTalkdesk {
			warn("account", "account applies only to talkdesk sources; ignored")
		} else if !validHostLabel(rs.Account) {
			fail("account", "account %q is not a valid host name label", rs.Account)
		}
	}
	for _, h := range rs.AllowedHosts {
		if strings.TrimSpace(h) == "" {
			fail("allowed_hosts", "allowed_hosts has an empty entry")
			continue
		}
		if err := client.CheckAllowedHost(strings.TrimSpace(h)); err != nil {
			fail("allowed_hosts", "allowed_hosts: %v", err)
		}
	}
	if v.lines.key("source", i, "secret_command") != header {
		if len(rs.SecretCommand) == 0 || strings.TrimSpace(rs.SecretCommand[0]) == "" {
			fail("secret_command", "secret_command must name a program, e.g. [\"pass\", \"show\", \"confab/%s\"]", rs.Name)
		}
	}

	// Paging and time.
	if rs.PageSize < 0 {
		fail("page_size", "page_size %d is negative", rs.PageSize)
	}
	s.Window = v.duration(line("window"), label, "window", rs.Window)
	if rs.Window != "" {
		switch {
		case rs.Kind == KindMoveworks:
			warn("window", "window applies only to talkdesk and opendialog sources; ignored")
		case rs.Kind == KindTalkdesk && s.Window > 7*24*time.Hour:
			fail("window", "window %s is longer than Talkdesk's 7-day limit", rs.Window)
		}
	}
	s.SessionTimeout = v.duration(line("session_timeout"), label, "session_timeout", rs.SessionTimeout)
	if rs.SessionTimeout != "" && rs.Kind != KindOpenDialog {
		warn("session_timeout", "session_timeout applies only to opendialog sources; ignored")
	}
	s.Timeout = v.duration(line("timeout"), label, "timeout", rs.Timeout)
	s.RateLimitWait = v.duration(line("rate_limit_wait"), label, "rate_limit_wait", rs.RateLimitWait)
	if s.RateLimitWait > maxRateLimitWait {
		fail("rate_limit_wait", "rate_limit_wait %s is longer than a day; a request waiting that long is better cancelled and run again", rs.RateLimitWait)
	}
	s.MaxWindows = v.maxWindows(line("max_windows"), label, rs) // maxwindows.go
	if len(rs.Params) > 0 {
		if rs.Kind != KindTalkdesk {
			fail("params", "[source.params] applies only to talkdesk sources")
		}
		for _, key := range sortedKeys(rs.Params) {
			switch key {
			case "start", "end", "limit":
				if strings.TrimSpace(rs.Params[key]) == "" {
					fail("params."+key, "params.%s is empty", key)
				}
			default:
				fail("params."+key, "params.%s is not one of start, end, limit", key)
			}
		}
	}
	s.TimeFormat = strings.ToLower(strings.TrimSpace(rs.TimeFormat))
	if rs.TimeFormat != "" {
		switch {
		case rs.Kind != KindTalkdesk:
			fail("time_format", "time_format applies only to talkdesk sources")
		case !slices.Contains(TalkdeskTimeFormats, s.TimeFormat):
			fail("time_format", "time_format %q is not one of %s", rs.TimeFormat, strings.Join(TalkdeskTimeFormats, ", "))
		}
	}
	s.LookBack = v.duration(line("lookback"), label, "lookback", rs.LookBack)
	if rs.LookBack != "" && rs.Kind != KindTalkdesk {
		warn("lookback", "lookback applies only to talkdesk sources; ignored")
	}
	return s, len(v.problems) == errs || onlyWarnings(v.problems[errs:])
}

// TalkdeskTimeFormats are the values of a Talkdesk source's time_format (the format of the
// window parameters, which APIS.md §2.4 could not confirm): RFC 3339 in UTC with
// microseconds (the default), milliseconds, nanoseconds or whole seconds, or Unix seconds
// or milliseconds. client/talkdesk.TimeFormats lists the same names.
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

func validHostLabel(s string) bool {
	if len(s) == 0 || len(s) > 63 || s[0] == '-' || s[len(s)-1] == '-' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c == '-' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			return false
		}
	}
	return true
}

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
