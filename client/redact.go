package client

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"log/slog"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"
)

// Redacted is what a secret is replaced with.
const Redacted = "***"

// minSubstring is the shortest secret removed wherever it occurs. A shorter one (a test key,
// a PIN) is removed only where it stands alone, between characters that cannot be part of a
// token, so that a 3-letter secret does not mangle every word that contains it.
const minSubstring = 4

// Redactor removes secrets from text: every known secret value of a source (the configured
// API key, client secret or token, each OAuth access token fetched, the HTTP Basic
// credentials) in its plain, URL-encoded, JSON-escaped and base64 forms, and anything that
// looks like a credential whatever its value ("Bearer …", "Basic …", "client_secret=…").
// Every error a source returns and every line of the debug log goes through one.
//
// A nil *Redactor knows no value but still masks the patterns. Redactor is safe for
// concurrent use.
type Redactor struct {
	mu     sync.RWMutex
	known  map[string]bool
	values []string // longest first, so a secret inside another is not half-replaced
}

// NewRedactor returns a Redactor that knows secrets.
func NewRedactor(secrets ...string) *Redactor {
	r := &Redactor{known: map[string]bool{}}
	r.Add(secrets...)
	return r
}

// Add makes r remove each secret and its encoded forms (URL query and path escaping, JSON
// string escaping). For a value of the form "Scheme credential" (an Authorization header
// value), the credential alone is added too. Empty values are ignored.
func (r *Redactor) Add(secrets ...string) {
	if r == nil {
		return
	}
	var forms []string
	for _, s := range secrets {
		s = strings.TrimSpace(s)
		if s == "" {
			continue
		}
		forms = append(forms, encodings(s)...)
		if scheme, cred, ok := strings.Cut(s, " "); ok && isScheme(scheme) {
			forms = append(forms, encodings(strings.TrimSpace(cred))...)
		}
	}
	r.addForms(forms)
}

// AddBasic makes r remove the HTTP Basic credentials of id and secret: base64 of
// "id:secret", raw and with both parts URL-encoded (as OAuth2 clients send them), besides the
// secret itself. The id alone is not a secret and stays visible.
func (r *Redactor) AddBasic(id, secret string) {
	if r == nil || secret == "" {
		return
	}
	r.Add(secret)
	var forms []string
	for _, pair := range []string{id + ":" + secret, url.QueryEscape(id) + ":" + url.QueryEscape(secret)} {
		forms = append(forms, base64.StdEncoding.EncodeToString([]byte(pair)),
			base64.URLEncoding.EncodeToString([]byte(pair)),
			base64.RawStdEncoding.EncodeToString([]byte(pair)))
	}
	r.addForms(forms)
}

func (r *Redactor) addForms(forms []string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.known == nil {
		r.known = map[string]bool{}
	}
	added := false
	for _, f := range forms {
		if f != "" && !r.known[f] {
			r.known[f] = true
			r.values = append(r.values, f)
			added = true
		}
	}
	if added {
		slices.SortStableFunc(r.values, func(a, b string) int { return len(b) - len(a) })
	}
}

// encodings are s and the forms it takes in a URL or a JSON string.
func encodings(s string) []string {
	out := []string{s, url.QueryEscape(s), url.PathEscape(s)}
	if b, err := json.Marshal(s); err == nil {
		out = append(out, strings.Trim(string(b), `"`))
	}
	if strings.Contains(s, "/") { // some encoders escape '/' too
		if b, err := json.Marshal(s); err == nil {
			out = append(out, strings.ReplaceAll(strings.Trim(string(b), `"`), "/", `\/`))
		}
	}
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if enc.Encode(s) == nil {
		out = append(out, strings.Trim(strings.TrimSpace(b.String()), `"`))
	}
	return out
}

// isScheme reports whether s is an HTTP authentication scheme name such as Bearer or Basic.
func isScheme(s string) bool {
	if s == "" || len(s) > 20 {
		return false
	}
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '-') {
			return false
		}
	}
	return true
}

// The patterns masked whatever the value. A "Bearer"/"Basic" credential is masked when it
// looks like one (16+ characters, or 8+ with a character other than a letter), so that prose
// such as "Bearer authentication" or "Basic auth" stays readable.
var (
	schemeRE = regexp.MustCompile(`(?i)\b(bearer|basic)(\s+)([A-Za-z0-9\-._~+/]+=*)`)
	fieldRE  = regexp.MustCompile(`(?i)((?:access_token|refresh_token|id_token|client_secret|api[_-]?key|x-api-key|apikey|password|passwd)["']?\s*[:=]\s*["']?)([^\s"'&,;}<]+)`)
)

// ScrubKnown returns body with every known secret value (of at least 4 bytes, in each of
// its encoded forms) replaced by Redacted, and body itself when it holds none. It is for the
// data a vendor returns: a vendor that echoes a credential into a record must not carry it
// into the TUI, an export or the local store. The patterns Redact masks are left alone here
// (a user may well write "password: …" in a message, which is data), and the JSON escaped
// forms are replaced by a plain string, so a JSON body stays valid.
func (r *Redactor) ScrubKnown(body []byte) []byte {
	if r == nil || len(body) == 0 {
		return body
	}
	r.mu.RLock()
	defer r.mu.RUnlock()
	for _, v := range r.values {
		if len(v) >= minSubstring && bytes.Contains(body, []byte(v)) {
			body = bytes.ReplaceAll(body, []byte(v), []byte(Redacted))
		}
	}
	return body
}

// Redact returns s with every known secret and every credential-looking token replaced by
// Redacted.
func (r *Redactor) Redact(s string) string {
	if s == "" {
		return s
	}
	if r != nil {
		r.mu.RLock()
		for _, v := range r.values {
			if len(v) >= minSubstring {
				s = strings.ReplaceAll(s, v, Redacted)
			} else {
				s = replaceStandalone(s, v)
			}
		}
		r.mu.RUnlock()
	}
	s = schemeRE.ReplaceAllStringFunc(s, func(m string) string {
		sub := schemeRE.FindStringSubmatch(m)
		if !looksLikeCredential(sub[3]) {
			return m
		}
		return sub[1] + sub[2] + Redacted
	})
	return fieldRE.ReplaceAllStringFunc(s, func(m string) string {
		sub := fieldRE.FindStringSubmatch(m)
		if sub[2] == Redacted {
			return m
		}
		return sub[1] + Redacted
	})
}

func looksLikeCredential(tok string) bool {
	if tok == Redacted || strings.HasPrefix(tok, Redacted) {
		return false
	}
	if len(tok) >= 16 {
		return true
	}
	return len(tok) >= 8 && strings.ContainsFunc(tok, func(c rune) bool {
		return !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z')
	})
}

// replaceStandalone replaces v in s where it is not part of a longer token.
func replaceStandalone(s, v string) string {
	var b strings.Builder
	for {
		i := strings.Index(s, v)
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		end := i + len(v)
		if (i == 0 || !tokenByte(s[i-1])) && (end == len(s) || !tokenByte(s[end])) {
			b.WriteString(s[:i])
			b.WriteString(Redacted)
		} else {
			b.WriteString(s[:end])
		}
		s = s[end:]
	}
}

func tokenByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-' || c >= 0x80
}

// RedactError is err's text, redacted by r ("" for nil).
func (r *Redactor) RedactError(err error) string {
	if err == nil {
		return ""
	}
	return r.Redact(err.Error())
}

// RedactURL is raw with its user information, query values and fragment replaced by
// Redacted, for a message that must show a configured URL: "https://h/x?api_key=***". Text
// that is not a URL is cut at its first '?', '#' or '@'.
func RedactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		if i := strings.IndexAny(raw, "?#@"); i >= 0 {
			return raw[:i] + Redacted
		}
		return raw
	}
	if u.User != nil {
		u.User = url.User(Redacted)
	}
	if u.RawQuery != "" {
		var parts []string
		for p := range strings.SplitSeq(u.RawQuery, "&") {
			name, _, _ := strings.Cut(p, "=")
			parts = append(parts, name+"="+Redacted)
		}
		u.RawQuery = strings.Join(parts, "&")
	}
	if u.Fragment != "" || u.RawFragment != "" {
		u.Fragment, u.RawFragment = Redacted, ""
	}
	s := u.String()
	// url.URL escapes the marker in user info and the fragment; show it as written.
	return strings.ReplaceAll(s, "%2A%2A%2A", Redacted)
}

// RedactHandler returns a slog.Handler that passes every record to h with its message and
// attribute values redacted by r: nothing a source echoes reaches the debug log.
func RedactHandler(h slog.Handler, r *Redactor) slog.Handler {
	return &redactHandler{h: h, r: r}
}

type redactHandler struct {
	h slog.Handler
	r *Redactor
}

func (h *redactHandler) Enabled(ctx context.Context, l slog.Level) bool { return h.h.Enabled(ctx, l) }

func (h *redactHandler) Handle(ctx context.Context, rec slog.Record) error {
	out := slog.NewRecord(rec.Time, rec.Level, h.r.Redact(rec.Message), rec.PC)
	rec.Attrs(func(a slog.Attr) bool {
		out.AddAttrs(h.attr(a))
		return true
	})
	return h.h.Handle(ctx, out)
}

func (h *redactHandler) WithAttrs(as []slog.Attr) slog.Handler {
	red := make([]slog.Attr, len(as))
	for i, a := range as {
		red[i] = h.attr(a)
	}
	return &redactHandler{h: h.h.WithAttrs(red), r: h.r}
}

func (h *redactHandler) WithGroup(name string) slog.Handler {
	return &redactHandler{h: h.h.WithGroup(name), r: h.r}
}

// attr redacts a's value: strings, errors and anything else printed as text.
func (h *redactHandler) attr(a slog.Attr) slog.Attr {
	v := a.Value.Resolve()
	switch v.Kind() {
	case slog.KindString:
		return slog.String(a.Key, h.r.Redact(v.String()))
	case slog.KindGroup:
		g := v.Group()
		red := make([]any, len(g))
		for i, x := range g {
			red[i] = h.attr(x)
		}
		return slog.Group(a.Key, red...)
	case slog.KindAny:
		if err, ok := v.Any().(error); ok {
			return slog.String(a.Key, h.r.RedactError(err))
		}
		return slog.String(a.Key, h.r.Redact(v.String()))
	}
	return slog.Attr{Key: a.Key, Value: v}
}
