package config

import (
	"errors"
	"net/url"
	"strings"
	"testing"
)

// TestCheckConsoleURL: a console_url template must be an http(s) URL without credentials and
// with only known placeholders; one without {id} is a warning.
func TestCheckConsoleURL(t *testing.T) {
	tests := []struct {
		tmpl    string
		wantErr string // "" for none
		noID    bool
	}{
		{"https://console.example.com/conversations/{id}", "", false},
		{"https://console.example.com/{source}/c/{id}?tab=log", "", false},
		{"https://console.example.com/search?q={id}&src={source}", "", false},
		{"http://127.0.0.1:8080/c/{id}", "", false},
		{"http://console.internal.example.com/c/{id}", "", false},
		{"https://console.example.com/", "has no {id}", true},
		{"ftp://console.example.com/{id}", "is not an http(s) URL", false},
		{"javascript:alert({id})", "is not an http(s) URL", false},
		{"/conversations/{id}", "is not an http(s) URL", false},
		{"console.example.com/{id}", "is not an http(s) URL", false},
		{"https:///{id}", "is not an http(s) URL", false},
		{"https://user:pw@console.example.com/{id}", "must not hold credentials", false},
		{"https://console.example.com/{conversation}", `unknown placeholder "{conversation}"`, false},
		{"https://console.example.com/{ID}", `unknown placeholder "{ID}"`, false},
		{"https://console.example.com/{id", "'{' that is not closed", false},
		{"https://console.example.com/id}", "'}' that closes no placeholder", false},
		{"https://console.example.com/{}", `unknown placeholder "{}"`, false},
	}
	for _, tt := range tests {
		t.Run(tt.tmpl, func(t *testing.T) {
			err := CheckConsoleURL(tt.tmpl)
			switch {
			case tt.wantErr == "" && err != nil:
				t.Fatalf("CheckConsoleURL(%q) = %v, want nil", tt.tmpl, err)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Fatalf("CheckConsoleURL(%q) = %v, want an error with %q", tt.tmpl, err, tt.wantErr)
			}
			if got := errors.Is(err, errNoID); got != tt.noID {
				t.Errorf("errors.Is(err, errNoID) = %v, want %v", got, tt.noID)
			}
		})
	}
}

// TestConsoleURL: the id and the source are percent-encoded, so an id cannot reach another
// path, add a query parameter or a fragment, or carry control characters into the link.
func TestConsoleURL(t *testing.T) {
	tests := []struct {
		tmpl, source, id, want string
	}{
		{"https://c.example.com/conversations/{id}", "mw", "Q7fTz2LmX0aB", "https://c.example.com/conversations/Q7fTz2LmX0aB"},
		{"https://c.example.com/{source}/{id}", "mw-eu", "a.b_c~d-e", "https://c.example.com/mw-eu/a.b_c~d-e"},
		{"https://c.example.com/c/{id}", "od", "user-42@2026-11-08T09:30:00Z", "https://c.example.com/c/user-42%402026-11-08T09%3A30%3A00Z"},
		{"https://c.example.com/c/{id}", "mw", "../../admin?x=1#f", "https://c.example.com/c/..%2F..%2Fadmin%3Fx%3D1%23f"},
		{"https://c.example.com/s?q={id}&n=1", "mw", "a&n=2 b+c", "https://c.example.com/s?q=a%26n%3D2%20b%2Bc&n=1"},
		{"https://c.example.com/c/{id}", "mw", "evil\x1b]0;x\x07\u202e", "https://c.example.com/c/evil%1B%5D0%3Bx%07%E2%80%AE"},
		{"https://c.example.com/", "mw", "x", "https://c.example.com/"},
	}
	for _, tt := range tests {
		got := ConsoleURL(tt.tmpl, tt.source, tt.id)
		if got != tt.want {
			t.Errorf("ConsoleURL(%q, %q, %q) = %q, want %q", tt.tmpl, tt.source, tt.id, got, tt.want)
			continue
		}
		u, err := url.Parse(got)
		if err != nil {
			t.Errorf("%q does not parse: %v", got, err)
			continue
		}
		if strings.Contains(tt.tmpl, "/c/{id}") && u.Path != "/c/"+tt.id {
			t.Errorf("%q: the path decodes to %q, want /c/%s", got, u.Path, tt.id)
		}
		if strings.Contains(tt.tmpl, "?q={id}") && u.Query().Get("q") != tt.id {
			t.Errorf("%q: q decodes to %q, want %q", got, u.Query().Get("q"), tt.id)
		}
	}
}

// TestConsoleURLConfig: console_url in a config file is checked on load, on its line, and
// kept on the source.
func TestConsoleURLConfig(t *testing.T) {
	const head = "[[source]]\nname = \"mw\"\nkind = \"moveworks\"\n"
	tests := []struct {
		name, line string
		want       string // the problem, "" for none
		warning    bool
		keep       string // the source's ConsoleURL after loading
	}{
		{"valid", `console_url = "https://c.example.com/c/{id}"`, "", false, "https://c.example.com/c/{id}"},
		{"not http", `console_url = "file:///etc/{id}"`, `:4: source "mw": console_url "file:///etc/{id}" is not an http(s) URL`, false, ""},
		{"unknown placeholder", `console_url = "https://c.example.com/{user}"`, `:4: source "mw": console_url "https://c.example.com/{user}" has an unknown placeholder "{user}" (known: {id}, {source})`, false, ""},
		{"no id", `console_url = "https://c.example.com/"`, `:4: warning: source "mw": console_url has no {id}`, true, "https://c.example.com/"},
		{"credentials", `console_url = "https://me:secret@c.example.com/{id}"`, `must not hold credentials`, false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := Parse("config.toml", []byte(head+tt.line+"\n"))
			var problems []Problem
			if cerr := (*Error)(nil); errors.As(err, &cerr) {
				problems = cerr.Problems
			} else if err != nil {
				t.Fatal(err)
			}
			if cfg != nil {
				problems = append(problems, cfg.Warnings...)
				if s, _ := cfg.Source("mw"); s.ConsoleURL != tt.keep {
					t.Errorf("ConsoleURL = %q, want %q", s.ConsoleURL, tt.keep)
				}
			}
			if tt.want == "" {
				if len(problems) > 0 {
					t.Fatalf("problems %v, want none", problems)
				}
				return
			}
			if len(problems) != 1 || !strings.Contains(problems[0].String(), tt.want) || problems[0].Warning != tt.warning {
				t.Fatalf("problems %v, want one with %q (warning %v)", problems, tt.want, tt.warning)
			}
			if strings.Contains(problems[0].String(), "secret") {
				t.Errorf("the problem repeats the credential: %s", problems[0])
			}
		})
	}
}
