package client

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"
)

// The authentication schemes a Vendor may offer (the values of a source's auth key).
const (
	// AuthAPIKey sends a static API key in the Authorization header (raw or "Bearer <key>",
	// per the source's api_key_style).
	AuthAPIKey = "api_key"
	// AuthOAuth2 fetches an access token with the OAuth2 client-credentials grant from the
	// source's token URL (client_id in the config, the client secret as the source's secret).
	AuthOAuth2 = "oauth2"
	// AuthBearer sends a static token as "Authorization: Bearer <token>".
	AuthBearer = "bearer"
)

// SourceConfig is one configured source as a Vendor sees it: the [[source]] keys of the
// config file, validated for structure (durations parsed, defaults applied) by store/config.
// Keys a vendor does not declare (see Vendor.Fields) are left as written and ignored.
type SourceConfig struct {
	Name         string
	Kind         string
	Region       string // as written; "" for the vendor's default region (or none)
	BaseURL      string // as written; see Vendor.Endpoint for the effective base URL
	Auth         string // one of the Vendor's Auths (defaulted to the first)
	APIKeyStyle  string // "raw" or "bearer" (auth = "api_key" only)
	TokenURL     string // as written; see Vendor.TokenEndpoint for the effective one
	ClientID     string // oauth2
	Scope        string // oauth2; "" for the vendor's default
	Account      string // the vendor account, where its host names carry one
	Workspace    string // the vendor workspace, where its host names carry one
	AllowedHosts []string
	PageSize     int           // 0: the vendor's default
	Window       time.Duration // length of one request window; 0: the default
	// SessionTimeout splits a user's messages into conversations; 0: the default.
	SessionTimeout time.Duration
	MaxWindows     int               // most windows one listing may walk; 0: the default
	Params         map[string]string // renamed query parameters (see ConfigField.SubKeys)
	TimeFormat     string            // format of time parameters, lower-cased; "": the default
	LookBack       time.Duration     // how far back a lookup by id searches; 0: the default
}

// Region is one regional deployment of a vendor.
type Region struct {
	// Name is the value of the region key ("us", "eu", …).
	Name string
	// BaseURL is the region's API base URL, without a trailing slash.
	BaseURL string
	// TokenDomain is the domain of the region's OAuth2 token hosts, for vendors whose token
	// URL is derived per region (e.g. Talkdesk's {account}.talkdeskid.com); "" otherwise.
	TokenDomain string
}

// ConfigField is a [[source]] key that applies only to the kinds whose Vendor declares it (e.g.
// "account" for Talkdesk, "workspace" for OpenDialog). On a source of a kind that does not
// declare it, store/config reports it as not applying (naming the kinds that declare it);
// on a source of a declaring kind, Check checks its value.
type ConfigField struct {
	// Key is the config key: one of account, workspace, window, session_timeout,
	// max_windows, params, time_format, lookback (the keys store/config knows as optional).
	Key string
	// SubKeys are the keys a table field (params) may hold; each must be non-empty. The
	// table's keys are checked against them even on a source of another kind.
	SubKeys []string
	// Check, when set, checks the value of a key that is set (written is the value as
	// written in the file, e.g. "8d" for a window of 192h; s holds it parsed). Its error's
	// message is reported, after "source NAME: ", on the key's line.
	Check func(s SourceConfig, written string) error
}

// ConfigProblem is one thing a Vendor finds wrong (or worth a warning) in a source's
// configuration, beyond its Fields' own checks.
type ConfigProblem struct {
	// Key is the config key the problem is about: it is reported on that key's line (on the
	// [[source]] header's when the key is not written, e.g. a missing required key), among
	// that key's other problems; "" means the source as a whole (the header, after the
	// source's other problems).
	Key string
	// Msg says what is wrong and what to do, without the "source NAME: " prefix.
	Msg string
	// Warning is true for a problem that does not make the source unusable.
	Warning bool
}

// BuildEnv is what a Vendor's constructor gets besides the source's configuration.
type BuildEnv struct {
	// Secret is the source's secret: the API key, OAuth2 client secret or token (per Auth).
	Secret string
	// HTTP are the HTTP options (timeouts, retries, logger, redactor) of the source.
	HTTP HTTPOptions
	// Now is the app's clock: relative windows ("the last 7 days") use it; nil: time.Now.
	Now func() time.Time
	// BaseURL and TokenURL are the effective endpoints (Vendor.Endpoint and
	// Vendor.TokenEndpoint of the configuration), filled in by Vendor.Open.
	BaseURL, TokenURL string
}

// Vendor describes one kind of source: the facts confab needs to validate a [[source]] of
// that kind and to build its client. Each vendor package exports one (e.g.
// moveworks.Descriptor); cmd/confab registers them in Vendors; store/config validates the
// generic structure of a source and asks its Vendor for the rest. Adding a vendor is a new
// package with a Descriptor and one Register line in cmd/confab.
//
// A Vendor is read-only once registered.
type Vendor struct {
	// Kind is the value of the kind key ("moveworks"); unique in a Registry.
	Kind string
	// Regions are the regional deployments, the default first; nil when the vendor has no
	// regions (its base URL then comes from Locate or base_url).
	Regions []Region
	// NoRegions says what to set instead of region for a vendor without regions, for the
	// message when region is set anyway (e.g. "workspace or base_url"); "" means "base_url".
	NoRegions string
	// Auths are the authentication schemes the vendor offers (AuthAPIKey, AuthOAuth2,
	// AuthBearer), the default first; never empty.
	Auths []string
	// Fields are the optional [[source]] keys that apply to this kind, with their checks.
	Fields []ConfigField
	// Check, when set, checks the source as a whole (e.g. a base URL or workspace is
	// required, or an account when no token_url is set). s has auth defaulted and every
	// value parsed (a value the generic checks refuse is zero).
	Check func(s SourceConfig) []ConfigProblem
	// Locate, when set, gives the base URL from vendor-specific keys (e.g. OpenDialog's
	// workspace) when base_url is not set; "" falls back to the region.
	Locate func(s SourceConfig) string
	// TokenURL, when set, gives the default OAuth2 token URL of a source with auth =
	// "oauth2" and no token_url; endpoint is the source's effective base URL. "" means none
	// can be derived.
	TokenURL func(s SourceConfig, endpoint string) string
	// FilterSpec is the vendor's filter language (what the filter bar validates and
	// completes); now is the clock for relative times (nil: time.Now).
	FilterSpec func(now func() time.Time) FilterSpec
	// Access says what a credential needs to read conversations, for the messages after the
	// vendor refused one; nil: generic advice.
	Access *Access
	// New builds the source's client from its configuration and environment. It makes no
	// request; its errors name the source. Call it through Open, which fills env's
	// endpoints.
	New func(s SourceConfig, env BuildEnv) (Source, error)
}

// Access is what a vendor's credential needs to read conversations (APIS.md), for the
// messages of 'confab auth login' and 'confab auth status'.
type Access struct {
	// Scope is the OAuth2 scope the vendor documents for reading conversations; "" when it
	// documents none.
	Scope string
	// Need says in a few words what a not-permitted credential lacks. requested is the scope
	// the source asked for when it differs from Scope ("" otherwise).
	Need func(requested string) string
	// Advice says what to do about a not-permitted credential (requested as for Need).
	Advice func(requested string) string
	// ScopeTakesTime is true when a scope newly given to an OAuth2 client takes minutes to
	// apply, the token request being refused with 401 until then.
	ScopeTakesTime bool
}

// RegionNames returns the names of the vendor's regions, the default first (nil when it has
// none).
func (v *Vendor) RegionNames() []string {
	if len(v.Regions) == 0 {
		return nil
	}
	names := make([]string, len(v.Regions))
	for i, r := range v.Regions {
		names[i] = r.Name
	}
	return names
}

// Region returns the region called name; "" names the default region.
func (v *Vendor) Region(name string) (Region, bool) {
	if len(v.Regions) == 0 {
		return Region{}, false
	}
	if name == "" {
		return v.Regions[0], true
	}
	for _, r := range v.Regions {
		if r.Name == name {
			return r, true
		}
	}
	return Region{}, false
}

// ConfigField returns the vendor's config field with key key.
func (v *Vendor) ConfigField(key string) (ConfigField, bool) {
	for _, f := range v.Fields {
		if f.Key == key {
			return f, true
		}
	}
	return ConfigField{}, false
}

// Endpoint is the effective API base URL of s: its base_url (without a trailing slash), else
// Locate's answer, else the URL of its region (or of the default region); "" when none
// applies (an unknown region, or a vendor without regions and nothing set).
func (v *Vendor) Endpoint(s SourceConfig) string {
	if s.BaseURL != "" {
		return strings.TrimRight(s.BaseURL, "/")
	}
	if v.Locate != nil {
		if u := v.Locate(s); u != "" {
			return u
		}
	}
	r, _ := v.Region(s.Region)
	return r.BaseURL
}

// TokenEndpoint is the effective OAuth2 token URL of s: "" unless its auth is oauth2; its
// token_url when set; else the vendor's derived one (TokenURL), if any.
func (v *Vendor) TokenEndpoint(s SourceConfig) string {
	if s.Auth != AuthOAuth2 {
		return ""
	}
	if s.TokenURL != "" {
		return s.TokenURL
	}
	if v.TokenURL == nil {
		return ""
	}
	return v.TokenURL(s, v.Endpoint(s))
}

// Open builds the client of s with New, after filling env.BaseURL and env.TokenURL.
func (v *Vendor) Open(s SourceConfig, env BuildEnv) (Source, error) {
	if v.New == nil {
		return nil, fmt.Errorf("source %q: kind %s has no client", s.Name, v.Kind)
	}
	env.BaseURL = v.Endpoint(s)
	env.TokenURL = v.TokenEndpoint(s)
	return v.New(s, env)
}

// validate reports what makes v unusable in a registry.
func (v *Vendor) validate() error {
	switch {
	case v == nil:
		return fmt.Errorf("register a vendor: nil descriptor")
	case v.Kind == "" || strings.TrimSpace(v.Kind) != v.Kind:
		return fmt.Errorf("register a vendor: kind %q is empty or has spaces", v.Kind)
	case len(v.Auths) == 0:
		return fmt.Errorf("register vendor %s: no auth scheme", v.Kind)
	case v.New == nil:
		return fmt.Errorf("register vendor %s: no constructor", v.Kind)
	}
	for _, a := range v.Auths {
		if a != AuthAPIKey && a != AuthOAuth2 && a != AuthBearer {
			return fmt.Errorf("register vendor %s: auth %q is not one of %s, %s, %s", v.Kind, a, AuthAPIKey, AuthOAuth2, AuthBearer)
		}
	}
	seen := map[string]bool{}
	for _, r := range v.Regions {
		if r.Name == "" || seen[r.Name] {
			return fmt.Errorf("register vendor %s: region %q is empty or repeated", v.Kind, r.Name)
		}
		seen[r.Name] = true
	}
	seen = map[string]bool{}
	for _, f := range v.Fields {
		if f.Key == "" || seen[f.Key] {
			return fmt.Errorf("register vendor %s: field %q is empty or repeated", v.Kind, f.Key)
		}
		seen[f.Key] = true
	}
	return nil
}

// Registry holds the Vendors a build supports, in the order they were registered (the order
// messages name them). It is safe for concurrent use.
type Registry struct {
	mu     sync.RWMutex
	byKind map[string]*Vendor
	order  []*Vendor
}

// NewRegistry returns a registry holding vs, in order.
func NewRegistry(vs ...*Vendor) (*Registry, error) {
	r := &Registry{}
	for _, v := range vs {
		if err := r.Register(v); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// Register adds v. It refuses a descriptor without kind, auth schemes or constructor, with a
// repeated region or field, or whose kind is already registered.
func (r *Registry) Register(v *Vendor) error {
	if err := v.validate(); err != nil {
		return err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, dup := r.byKind[v.Kind]; dup {
		return fmt.Errorf("register vendor %s: kind already registered", v.Kind)
	}
	if r.byKind == nil {
		r.byKind = map[string]*Vendor{}
	}
	r.byKind[v.Kind] = v
	r.order = append(r.order, v)
	return nil
}

// Lookup returns the vendor of kind.
func (r *Registry) Lookup(kind string) (*Vendor, bool) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	v, ok := r.byKind[kind]
	return v, ok
}

// Kinds returns the registered kinds in registration order.
func (r *Registry) Kinds() []string {
	return r.KindsWith("")
}

// KindsWith returns, in registration order, the kinds whose vendor declares the field key
// (every kind when key is "").
func (r *Registry) KindsWith(key string) []string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	var kinds []string
	for _, v := range r.order {
		if _, ok := v.ConfigField(key); key == "" || ok {
			kinds = append(kinds, v.Kind)
		}
	}
	return kinds
}

// SubKeys returns the sub-keys of the table field key: those of kind's vendor when it
// declares the field, else those of the first registered vendor that does (nil when none).
func (r *Registry) SubKeys(kind, key string) []string {
	if v, ok := r.Lookup(kind); ok {
		if f, ok := v.ConfigField(key); ok {
			return f.SubKeys
		}
	}
	r.mu.RLock()
	defer r.mu.RUnlock()
	for _, v := range r.order {
		if f, ok := v.ConfigField(key); ok {
			return f.SubKeys
		}
	}
	return nil
}

// Vendors is the registry of the running program: cmd/confab registers the vendors it is
// built with at start-up, before any config is read; store/config validates against it
// unless told otherwise.
var Vendors = &Registry{}

// Register adds v to Vendors; it panics when v is refused (a programming error at start-up).
func Register(v *Vendor) {
	if err := Vendors.Register(v); err != nil {
		panic(err)
	}
}

// ValidHostLabel reports whether s can be one label of a host name (letters, digits and
// inner '-', at most 63 bytes), as an account or workspace that becomes part of a URL must be.
func ValidHostLabel(s string) bool {
	if len(s) == 0 || len(s) > 63 || s[0] == '-' || s[len(s)-1] == '-' {
		return false
	}
	return !slices.ContainsFunc([]byte(s), func(c byte) bool {
		return !(c == '-' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z')
	})
}
