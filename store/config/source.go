package config

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/confab-dev/confab/client"
)

// sourceCheck is the validation of one [[source]] (the i-th): where its keys are, and how
// its problems are reported ("source NAME: …" on the key's line).
type sourceCheck struct {
	v      *validator
	i      int
	header int    // the line of its [[source]] header
	label  string // `source "NAME"`, or `source #N` without a name

	vendor  *client.Vendor
	pending []client.ConfigProblem // the descriptor's whole-source problems not reported yet
}

func (c *sourceCheck) line(key string) int { return c.v.lines.key("source", c.i, key) }

func (c *sourceCheck) fail(key, format string, args ...any) {
	c.v.add(c.line(key), false, c.label+": "+format, args...)
}

func (c *sourceCheck) warn(key, format string, args ...any) {
	c.v.add(c.line(key), true, c.label+": "+format, args...)
}

// source validates one [[source]] and applies its defaults; ok is false when it is unusable.
// The generic structure is checked here; what depends on the kind comes from its descriptor
// (client.Vendor) in the validator's registry.
func (v *validator) source(i int, rs rawSource, seen map[string]int) (Source, bool) {
	header := v.lines.header("source", i)
	c := &sourceCheck{v: v, i: i, header: header, label: fmt.Sprintf("source %q", rs.Name)}
	errs := len(v.problems)
	c.name(rs.Name, seen)
	s := Source{
		Name: rs.Name, Kind: rs.Kind, Region: rs.Region, BaseURL: rs.BaseURL, Auth: rs.Auth,
		APIKeyStyle: rs.APIKeyStyle, TokenURL: rs.TokenURL, ClientID: rs.ClientID, Scope: rs.Scope,
		Account: rs.Account, Workspace: rs.Workspace, AllowedHosts: rs.AllowedHosts,
		SecretCommand: rs.SecretCommand, Filter: rs.Filter, PageSize: rs.PageSize, Params: rs.Params,
		Line: header,
	}
	vendor, ok := c.kind(rs.Kind)
	if !ok {
		return s, false
	}
	c.vendor = vendor
	// The checks run in a fixed order (problems without a line, as in an array of inline
	// tables, keep it): where the API is, how to authenticate, access, paging and time.
	if s.Auth == "" {
		s.Auth = vendor.Auths[0]
	}
	if vendor.Check != nil {
		c.pending = vendor.Check(preview(s, rs))
	}
	c.location(&s, rs)
	c.auth(&s, rs)
	c.access(rs)
	c.paging(&s, rs)
	c.consoleURL(&s, rs)
	c.report("") // the descriptor's remaining problems
	return s, len(v.problems) == errs || onlyWarnings(v.problems[errs:])
}

// preview is s as its descriptor's whole-source check sees it: every value parsed as the
// checks below will parse it (a value they refuse is zero), before they report anything.
func preview(s Source, rs rawSource) client.SourceConfig {
	quiet := func(raw string) time.Duration {
		if d, err := ParseDuration(raw); err == nil && d > 0 && raw != "" {
			return d
		}
		return 0
	}
	p := s.Settings()
	p.Window, p.SessionTimeout, p.LookBack = quiet(rs.Window), quiet(rs.SessionTimeout), quiet(rs.LookBack)
	p.MaxWindows = max(rs.MaxWindows, 0)
	p.TimeFormat = strings.ToLower(strings.TrimSpace(rs.TimeFormat))
	return p
}

// name checks the source's name (required, its characters, unique) and records it.
func (c *sourceCheck) name(name string, seen map[string]int) {
	switch {
	case name == "":
		c.label = fmt.Sprintf("source #%d", c.i+1)
		c.v.add(c.header, false, "%s: name is required", c.label)
	case !namePattern.MatchString(name):
		c.fail("name", "name may only contain letters, digits, '_', '.' and '-'")
	default:
		if first, dup := seen[name]; dup {
			c.fail("name", "duplicate name (first defined on line %d)", first)
		} else {
			seen[name] = c.line("name")
			c.v.names = append(c.v.names, name)
		}
	}
}

// kind returns the descriptor of the source's kind; ok is false (and a problem reported)
// when the kind is missing or not registered.
func (c *sourceCheck) kind(kind string) (*client.Vendor, bool) {
	kinds := strings.Join(c.v.vendors.Kinds(), ", ")
	if kind == "" {
		c.v.add(c.header, false, "%s: kind is required (one of %s)", c.label, kinds)
		return nil, false
	}
	vendor, ok := c.v.vendors.Lookup(kind)
	if !ok {
		c.fail("kind", "kind %q is not one of %s", kind, kinds)
	}
	return vendor, ok
}

// location checks where the API is: base_url, region against the vendor's regions, and
// workspace.
func (c *sourceCheck) location(s *Source, rs rawSource) {
	vendor := c.vendor
	if rs.BaseURL != "" {
		c.v.checkURL(c.line("base_url"), c.label, "base_url", rs.BaseURL)
		if rs.Region != "" {
			c.warn("region", "both base_url and region are set: base_url is used")
		}
	}
	switch {
	case rs.Region == "":
	case len(vendor.Regions) == 0:
		instead := vendor.NoRegions
		if instead == "" {
			instead = "base_url"
		}
		c.fail("region", "%s has no regions: set %s", rs.Kind, instead)
	default:
		if _, ok := vendor.Region(rs.Region); !ok {
			c.fail("region", "region %q is not one of %s", rs.Region, strings.Join(vendor.RegionNames(), ", "))
		}
	}
	c.report("workspace")
	c.vendorKey(s, rs, "workspace")
}

// auth checks how to authenticate: the scheme (defaulted to the vendor's first), the API key
// style and the OAuth2 keys.
func (c *sourceCheck) auth(s *Source, rs rawSource) {
	if vendor := c.vendor; !slices.Contains(vendor.Auths, s.Auth) {
		c.fail("auth", "auth %q is not one of %s for %s", s.Auth, strings.Join(vendor.Auths, ", "), rs.Kind)
	}
	if s.Auth == AuthAPIKey {
		switch rs.APIKeyStyle {
		case "":
			// The vendor's own example sends the raw key (APIS.md §1.3).
			s.APIKeyStyle = "raw"
		case "bearer", "raw":
		default:
			c.fail("api_key_style", "api_key_style %q is not one of raw, bearer", rs.APIKeyStyle)
		}
	} else if rs.APIKeyStyle != "" {
		c.warn("api_key_style", "api_key_style applies only to auth = \"api_key\"; ignored")
	}
	c.oauth2(s, rs)
	c.report("account") // e.g. an account the token URL needs
	c.vendorKey(s, rs, "account")
}

// oauth2 checks the OAuth2 keys: client_id and token_url with auth = "oauth2", none of
// token_url, client_id and scope without it.
func (c *sourceCheck) oauth2(s *Source, rs rawSource) {
	if s.Auth != AuthOAuth2 {
		for _, kv := range [][2]string{{"token_url", rs.TokenURL}, {"client_id", rs.ClientID}, {"scope", rs.Scope}} {
			if kv[1] != "" {
				c.warn(kv[0], "%s applies only to auth = \"oauth2\"; ignored", kv[0])
			}
		}
		return
	}
	if rs.ClientID == "" {
		c.warn("auth", "auth is oauth2 but client_id is not set: confab will ask for it")
	}
	if rs.TokenURL != "" {
		c.v.checkURL(c.line("token_url"), c.label, "token_url", rs.TokenURL)
	}
}

// access checks allowed_hosts and secret_command.
func (c *sourceCheck) access(rs rawSource) {
	for _, h := range rs.AllowedHosts {
		if strings.TrimSpace(h) == "" {
			c.fail("allowed_hosts", "allowed_hosts has an empty entry")
			continue
		}
		if err := client.CheckAllowedHost(strings.TrimSpace(h)); err != nil {
			c.fail("allowed_hosts", "allowed_hosts: %v", err)
		}
	}
	if c.line("secret_command") != c.header {
		if len(rs.SecretCommand) == 0 || strings.TrimSpace(rs.SecretCommand[0]) == "" {
			c.fail("secret_command", "secret_command must name a program, e.g. [\"pass\", \"show\", \"confab/%s\"]", rs.Name)
		}
	}
}

// paging checks page_size, parses the durations and the time format whatever the kind, and
// asks the descriptor about the keys that apply to some kinds only (vendorKey).
func (c *sourceCheck) paging(s *Source, rs rawSource) {
	if rs.PageSize < 0 {
		c.fail("page_size", "page_size %d is negative", rs.PageSize)
	}
	s.Window = c.duration("window", rs.Window)
	c.vendorKey(s, rs, "window")
	s.SessionTimeout = c.duration("session_timeout", rs.SessionTimeout)
	c.vendorKey(s, rs, "session_timeout")
	s.Timeout = c.duration("timeout", rs.Timeout)
	s.RateLimitWait = c.duration("rate_limit_wait", rs.RateLimitWait)
	if s.RateLimitWait > maxRateLimitWait {
		c.fail("rate_limit_wait", "rate_limit_wait %s is longer than a day; a request waiting that long is better cancelled and run again", rs.RateLimitWait)
	}
	s.MaxWindows = c.v.maxWindows(c.line("max_windows"), c.label, rs) // maxwindows.go
	c.vendorKey(s, rs, "max_windows")
	c.vendorKey(s, rs, "params")
	s.TimeFormat = strings.ToLower(strings.TrimSpace(rs.TimeFormat))
	c.vendorKey(s, rs, "time_format")
	s.LookBack = c.duration("lookback", rs.LookBack)
	c.vendorKey(s, rs, "lookback")
}

func (c *sourceCheck) duration(key, raw string) time.Duration {
	return c.v.duration(c.line(key), c.label, key, raw)
}

// vendorKey is a [[source]] key that applies only to the kinds whose descriptor declares it
// (client.ConfigField).
type vendorKey struct {
	key  string
	name string // how a message names it, when not key
	// strict: set on a kind that does not declare it, it is an error (else a warning, and
	// the key is ignored).
	strict bool
	// value is the key's value as written; set is false when the key is not set.
	value func(rs rawSource) (written string, set bool)
}

// vendorKeys are the optional keys store/config knows, by key.
var vendorKeys = map[string]vendorKey{
	"workspace":       {key: "workspace", value: func(rs rawSource) (string, bool) { return rs.Workspace, rs.Workspace != "" }},
	"account":         {key: "account", value: func(rs rawSource) (string, bool) { return rs.Account, rs.Account != "" }},
	"window":          {key: "window", value: func(rs rawSource) (string, bool) { return rs.Window, rs.Window != "" }},
	"session_timeout": {key: "session_timeout", value: func(rs rawSource) (string, bool) { return rs.SessionTimeout, rs.SessionTimeout != "" }},
	"max_windows":     {key: "max_windows", value: func(rs rawSource) (string, bool) { return strconv.Itoa(rs.MaxWindows), rs.MaxWindows > 0 }},
	"params":          {key: "params", name: "[source.params]", strict: true, value: func(rs rawSource) (string, bool) { return "", len(rs.Params) > 0 }},
	"time_format":     {key: "time_format", strict: true, value: func(rs rawSource) (string, bool) { return rs.TimeFormat, rs.TimeFormat != "" }},
	"lookback":        {key: "lookback", value: func(rs rawSource) (string, bool) { return rs.LookBack, rs.LookBack != "" }},
}

// vendorKey checks the optional key key, when it is set: on a kind whose descriptor declares
// it, with the descriptor's check; on another kind, it does not apply (an error or an
// ignored key). s holds the values parsed so far.
func (c *sourceCheck) vendorKey(s *Source, rs rawSource, key string) {
	k := vendorKeys[key]
	written, set := k.value(rs)
	if !set {
		return
	}
	field, declared := c.vendor.ConfigField(key)
	switch {
	case !declared:
		c.notApplicable(k)
		if key == "max_windows" {
			s.MaxWindows = 0
		}
	case field.Check != nil:
		if err := field.Check(s.Settings(), written); err != nil {
			c.v.add(c.line(key), false, "%s: %s", c.label, err.Error())
		}
	}
	if key == "params" {
		c.params(rs)
	}
}

// notApplicable reports key k set on a kind that does not declare it.
func (c *sourceCheck) notApplicable(k vendorKey) {
	name := k.name
	if name == "" {
		name = k.key
	}
	kinds := c.v.vendors.KindsWith(k.key)
	if len(kinds) == 0 {
		c.v.add(c.line(k.key), !k.strict, "%s: %s applies to no kind of source this build supports", c.label, name)
		return
	}
	if k.strict {
		c.fail(k.key, "%s applies only to %s sources", name, joinAnd(kinds))
	} else {
		c.warn(k.key, "%s applies only to %s sources; ignored", name, joinAnd(kinds))
	}
}

// params checks the keys of [source.params] against the table's sub-keys (those of the
// source's kind, or of the kind that declares the table).
func (c *sourceCheck) params(rs rawSource) {
	allowed := c.v.vendors.SubKeys(rs.Kind, "params")
	for _, key := range sortedKeys(rs.Params) {
		switch {
		case !slices.Contains(allowed, key):
			c.fail("params."+key, "params.%s is not one of "+strings.Join(allowed, ", "), key)
		case strings.TrimSpace(rs.Params[key]) == "":
			c.fail("params."+key, "params.%s is empty", key)
		}
	}
}

// report reports the descriptor's pending whole-source problems about key ("" for all that
// are left), on the key's line (the header's when the key is not written), and forgets them.
func (c *sourceCheck) report(key string) {
	kept := c.pending[:0]
	for _, p := range c.pending {
		if key != "" && p.Key != key {
			kept = append(kept, p)
			continue
		}
		line := c.header
		if p.Key != "" {
			line = c.line(p.Key)
		}
		c.v.add(line, p.Warning, "%s: %s", c.label, p.Msg)
	}
	c.pending = kept
}

// joinAnd joins names as "a", "a and b", "a, b and c".
func joinAnd(names []string) string {
	if len(names) <= 1 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}
