// Package config reads, validates and writes confab's TOML configuration file: the
// configured sources ([[source]]) and saved views ([[view]]).
//
// The file never holds a secret: a secret-looking key is an error that points the user at
// the OS keyring or the CONFAB_SECRET_<NAME> environment variable. Every problem found
// names the file, the line and the field, so a user can fix it without guessing.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/BurntSushi/toml"

	"github.com/confab-dev/confab/client"
	"github.com/confab-dev/confab/store/xdg"
)

// EnvConfig is the environment variable that names the config file when --config is not given.
const EnvConfig = "CONFAB_CONFIG"

// Config is a loaded, validated configuration.
type Config struct {
	// Path is the file the configuration was read from ("" when it was built in memory).
	Path    string
	Sources []Source
	Views   []View
	// ClipboardMaxOSC52 is the largest copy, in bytes, sent to the terminal's clipboard with
	// OSC 52 (top-level key clipboard_max_osc52): 0 means the default (512 KB), a negative
	// value never uses OSC 52. Larger copies go to the native clipboard or a file.
	ClipboardMaxOSC52 int
	// NoMouse leaves the mouse to the terminal (top-level key mouse = false): the TUI does
	// not ask for mouse events, so the terminal's text selection works as usual.
	NoMouse bool
	// Warnings are problems that do not stop confab (e.g. oauth2 without a client_id).
	Warnings []Problem
}

// Source is one configured vendor source, with defaults applied and durations parsed.
type Source struct {
	Name          string
	Kind          string // a kind registered in the validating registry (client.Vendors)
	Region        string // as written; "" when base_url or workspace is used
	BaseURL       string // as written; see Endpoint for the effective base URL
	Auth          string // AuthAPIKey, AuthOAuth2 or AuthBearer (defaulted to the kind's first)
	APIKeyStyle   string // "bearer" or "raw" (moveworks api_key only; defaulted to raw)
	TokenURL      string // as written; see TokenEndpoint for the effective one
	ClientID      string
	Scope         string
	Account       string // talkdesk account
	Workspace     string // opendialog workspace
	AllowedHosts  []string
	SecretCommand []string // argv of a command that prints the secret
	Filter        string   // the default filter
	PageSize      int      // 0: the source's default
	// Window is the length of one request window (talkdesk, opendialog); 0: the default.
	Window time.Duration
	// SessionTimeout splits an OpenDialog user's messages into conversations; 0: the default.
	SessionTimeout time.Duration
	// Timeout is the per-request timeout; 0: the default.
	Timeout time.Duration
	// RateLimitWait is how long one request may wait out the vendor's 429s before confab
	// gives up; 0: the default (client.DefaultRateLimitWait, 3 minutes).
	RateLimitWait time.Duration
	// MaxWindows bounds the window requests one listing may need (talkdesk, opendialog): a
	// broader range is refused before any request; 0: the default (400).
	MaxWindows int
	// Params renames Talkdesk query parameters: keys "start", "end", "limit".
	Params map[string]string
	// TimeFormat is the format of Talkdesk's window parameters, one of TalkdeskTimeFormats;
	// "" is the default (rfc3339micro).
	TimeFormat string
	// LookBack is how far back `confab export` searches a Talkdesk source for an id (the API
	// has no lookup by id); 0: the default (30 days).
	LookBack time.Duration
	// ConsoleURL is the template of a link to the vendor's web console for a conversation
	// ({id}, {source}; console.go), as written; "" when not set.
	ConsoleURL string
	// Line is the line of the source's [[source]] header (0 when built in memory).
	Line int
}

// View is a saved filter on a source.
type View struct {
	Name   string
	Source string
	Filter string
	Order  string // "newest" (default) or "oldest"
	Line   int
}

// Problem is one thing wrong (or worth a warning) in a config file.
type Problem struct {
	File    string
	Line    int // 0 when unknown
	Msg     string
	Warning bool
}

// String formats the problem as "file:line: msg" ("file:line: warning: msg" for a warning).
func (p Problem) String() string {
	var b strings.Builder
	b.WriteString(p.File)
	if p.Line > 0 {
		b.WriteString(":")
		b.WriteString(strconv.Itoa(p.Line))
	}
	b.WriteString(": ")
	if p.Warning {
		b.WriteString("warning: ")
	}
	b.WriteString(p.Msg)
	return b.String()
}

// Error is an invalid config file: every error found, in line order.
type Error struct {
	Problems []Problem // errors only, never empty
}

// Error returns the first problem, and how many more there are.
func (e *Error) Error() string {
	s := e.Problems[0].String()
	if n := len(e.Problems) - 1; n > 0 {
		s += fmt.Sprintf(" (and %d more)", n)
	}
	return s
}

// Source returns the source named name.
func (c *Config) Source(name string) (Source, bool) {
	for _, s := range c.Sources {
		if s.Name == name {
			return s, true
		}
	}
	return Source{}, false
}

// SourceNames returns the configured source names in file order.
func (c *Config) SourceNames() []string {
	names := make([]string, len(c.Sources))
	for i, s := range c.Sources {
		names[i] = s.Name
	}
	return names
}

// Path returns the config file to use: flag when set, else $CONFAB_CONFIG, else
// $XDG_CONFIG_HOME/confab/config.toml (~/.config/confab/config.toml). explicit reports whether
// the user named the file (a missing explicit file is an error; a missing default is not).
func Path(flag string, getenv func(string) string) (path string, explicit bool, err error) {
	if flag != "" {
		return flag, true, nil
	}
	if p := getenv(EnvConfig); p != "" {
		return p, true, nil
	}
	dir, err := xdg.ConfigDir(getenv)
	if err != nil {
		return "", false, errors.New("cannot find the home directory: set HOME, XDG_CONFIG_HOME or --config")
	}
	return filepath.Join(dir, "config.toml"), false, nil
}

// Loader reads config files against a registry of vendor descriptors: a source's kind must
// be registered there, and its descriptor checks what is particular to the kind.
type Loader struct {
	// Vendors are the kinds a source may have; nil means client.Vendors (what cmd/confab
	// registers at start-up).
	Vendors *client.Registry
}

func (l Loader) vendors() *client.Registry {
	if l.Vendors == nil {
		return client.Vendors
	}
	return l.Vendors
}

// Load reads and validates the config file at path with client.Vendors (Loader.Load). A
// missing file gives an error that wraps fs.ErrNotExist. An invalid file gives an *Error.
func Load(path string) (*Config, error) { return Loader{}.Load(path) }

// LoadOrEmpty is Load, except that a missing file gives an empty configuration.
func LoadOrEmpty(path string) (*Config, error) { return Loader{}.LoadOrEmpty(path) }

// Load reads and validates the config file at path. A missing file gives an error that
// wraps fs.ErrNotExist. An invalid file gives an *Error.
func (l Loader) Load(path string) (*Config, error) {
	data, err := readLimited(path)
	if err != nil {
		return nil, fmt.Errorf("read config: %w", err)
	}
	return l.Parse(path, data)
}

// LoadOrEmpty is Load, except that a missing file gives an empty configuration.
func (l Loader) LoadOrEmpty(path string) (*Config, error) {
	cfg, err := l.Load(path)
	if errors.Is(err, fs.ErrNotExist) {
		return &Config{Path: path}, nil
	}
	return cfg, err
}

// rawFile is the file's shape, as TOML sees it.
type rawFile struct {
	ClipboardMaxOSC52 int         `toml:"clipboard_max_osc52,omitempty,omitzero"`
	Mouse             *bool       `toml:"mouse,omitempty"`
	Source            []rawSource `toml:"source,omitempty"`
	View              []rawView   `toml:"view,omitempty"`
}

type rawSource struct {
	Name           string            `toml:"name"`
	Kind           string            `toml:"kind"`
	Region         string            `toml:"region,omitempty"`
	BaseURL        string            `toml:"base_url,omitempty"`
	Auth           string            `toml:"auth,omitempty"`
	APIKeyStyle    string            `toml:"api_key_style,omitempty"`
	TokenURL       string            `toml:"token_url,omitempty"`
	ClientID       string            `toml:"client_id,omitempty"`
	Scope          string            `toml:"scope,omitempty"`
	Account        string            `toml:"account,omitempty"`
	Workspace      string            `toml:"workspace,omitempty"`
	AllowedHosts   []string          `toml:"allowed_hosts,omitempty"`
	SecretCommand  []string          `toml:"secret_command,omitempty"`
	Filter         string            `toml:"filter,omitempty"`
	PageSize       int               `toml:"page_size,omitempty,omitzero"`
	Window         string            `toml:"window,omitempty"`
	SessionTimeout string            `toml:"session_timeout,omitempty"`
	Timeout        string            `toml:"timeout,omitempty"`
	RateLimitWait  string            `toml:"rate_limit_wait,omitempty"`
	MaxWindows     int               `toml:"max_windows,omitempty,omitzero"`
	Params         map[string]string `toml:"params,omitempty"`
	TimeFormat     string            `toml:"time_format,omitempty"`
	LookBack       string            `toml:"lookback,omitempty"`
	ConsoleURL     string            `toml:"console_url,omitempty"`
}

type rawView struct {
	Name   string `toml:"name"`
	Source string `toml:"source"`
	Filter string `toml:"filter,omitempty"`
	Order  string `toml:"order,omitempty"`
}

// secretKeys are keys that look like a secret; they are refused wherever they appear.
var secretKeys = map[string]bool{
	"secret": true, "api_key": true, "apikey": true, "client_secret": true, "token": true,
	"access_token": true, "password": true, "passwd": true,
}

var lineInMsg = regexp.MustCompile(`^toml: line (\d+)(?: \(last key "[^"]*"\))?: `)

// Parse validates data, the contents of the config file at path (used in messages), with
// client.Vendors (Loader.Parse).
func Parse(path string, data []byte) (*Config, error) { return Loader{}.Parse(path, data) }

// Parse validates data, the contents of the config file at path (used in messages).
func (l Loader) Parse(path string, data []byte) (*Config, error) {
	if p := checkShape(path, data); p != nil {
		return nil, &Error{Problems: []Problem{*p}}
	}
	var raw rawFile
	md, err := toml.NewDecoder(bytes.NewReader(data)).Decode(&raw)
	if err != nil {
		return nil, &Error{Problems: []Problem{decodeProblem(path, err)}}
	}
	lines := scanLines(data)
	v := &validator{file: path, lines: lines, vendors: l.vendors()}
	cfg := v.build(raw)
	v.unknownKeys(md.Undecoded(), raw)
	cfg.Path = path
	sort.SliceStable(v.problems, func(i, j int) bool { return v.problems[i].Line < v.problems[j].Line })
	var errs []Problem
	for _, p := range v.problems {
		if p.Warning {
			cfg.Warnings = append(cfg.Warnings, p)
		} else {
			errs = append(errs, p)
		}
	}
	if len(errs) > 0 {
		return cfg, &Error{Problems: errs}
	}
	return cfg, nil
}

func decodeProblem(path string, err error) Problem {
	var pe toml.ParseError
	if errors.As(err, &pe) {
		msg := pe.Message
		if pe.LastKey != "" && !strings.Contains(msg, pe.LastKey) {
			msg = fmt.Sprintf("%s: %s", pe.LastKey, msg)
		}
		return Problem{File: path, Line: pe.Position.Line, Msg: "invalid TOML: " + msg}
	}
	msg := err.Error()
	line := 0
	if m := lineInMsg.FindStringSubmatch(msg); m != nil {
		line, _ = strconv.Atoi(m[1])
		msg = msg[len(m[0]):]
		if i := strings.Index(m[0], "(last key "); i >= 0 {
			key := strings.TrimSuffix(strings.TrimPrefix(m[0][i:], "(last key "), "): ")
			msg = key + ": " + msg
		}
	}
	msg = strings.TrimPrefix(msg, "toml: ")
	if m := typeMismatch.FindStringSubmatch(msg); m != nil {
		msg = fmt.Sprintf("%s must be %s, not %s", m[1], typeNoun(m[3]), typeNoun(m[2]))
	}
	return Problem{File: path, Line: line, Msg: msg}
}

// typeMismatch is the TOML decoder's message for a value of the wrong type, after the key.
var typeMismatch = regexp.MustCompile(`^"?([^"]*)"?: incompatible types: TOML value has type (.+); destination has type (.+)$`)

// typeNouns name, in TOML's words, the Go types the TOML decoder's type messages mention.
var typeNouns = map[string]string{
	"string": "a string", "int64": "an integer", "integer": "an integer", "float64": "a float",
	"float": "a float", "bool": "a boolean", "boolean": "a boolean", "time.Time": "a date-time",
	"[]any": "an array", "slice": "an array", "map[string]any": "a table", "map": "a table",
}

// typeNoun is the TOML name of a type in a decoder message, or the type itself.
func typeNoun(t string) string {
	if n, ok := typeNouns[t]; ok {
		return n
	}
	return t
}

// unknownKeys reports keys the schema does not know, the shallowest of each subtree only.
func (v *validator) unknownKeys(keys []toml.Key, raw rawFile) {
	reported := map[string]bool{} // keys reported: their sub-keys are not reported again
	for _, k := range keys {
		ks := k.String()
		skip := false
		for j := 1; j < len(k) && !skip; j++ {
			skip = reported[k[:j].String()]
		}
		if skip {
			continue
		}
		reported[ks] = true
		name := k[len(k)-1]
		message := func(where, env string) string {
			if secretKeys[strings.ToLower(name)] {
				return fmt.Sprintf("%skey %q looks like a secret: secrets never go in the config file; store it in the OS keyring (service confab, account = source name) or set %s", where, name, env)
			}
			return fmt.Sprintf("%sunknown key %q", where, name)
		}
		entries := v.lines.findEntries(ks)
		for _, e := range entries {
			where, env := describeTable(k[:len(k)-1]), "CONFAB_SECRET_<NAME>"
			if len(k) >= 2 && k[0] == "source" && e.index >= 0 && e.index < len(raw.Source) {
				n := raw.Source[e.index].Name
				where, env = fmt.Sprintf("source %q: ", n), envName(n)
				if len(k) > 2 {
					where += "[" + k[1:len(k)-1].String() + "]: "
				}
			} else if len(k) >= 2 && k[0] == "view" && e.index >= 0 && e.index < len(raw.View) {
				where = fmt.Sprintf("view %q: ", raw.View[e.index].Name)
			}
			v.problems = append(v.problems, Problem{File: v.file, Line: e.line, Msg: message(where, env)})
		}
		if len(entries) == 0 {
			v.problems = append(v.problems, Problem{File: v.file, Msg: message(describeTable(k[:len(k)-1]), "CONFAB_SECRET_<NAME>")})
		}
	}
}

// envName is the environment variable holding a source's secret (as store/secret names it).
func envName(source string) string {
	var b strings.Builder
	b.WriteString("CONFAB_SECRET_")
	for _, r := range source {
		switch {
		case r >= 'a' && r <= 'z':
			b.WriteRune(r - 'a' + 'A')
		case r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	return b.String()
}

func describeTable(k toml.Key) string {
	if len(k) == 0 {
		return ""
	}
	return "[" + k.String() + "]: "
}
