package client

import (
	"net/url"
	"strings"
	"testing"
)

func TestCheckBaseURL(t *testing.T) {
	tests := []struct {
		raw     string
		wantErr string
	}{
		{"https://api.moveworks.ai/export/v1/records", ""},
		{"http://127.0.0.1:8700/export/v1/records", ""},
		{"http://localhost:8700/x", ""},
		{"http://[::1]:8700/x", ""},
		{"http://api.example.com/x", "must use https"},
		{"ftp://api.example.com/x", "must use https"},
		{"/relative", "not an absolute URL"},
		{"https://user:pw@api.example.com/x", "credentials in the URL"},
		{"http://user:pw@api.example.com/x", "credentials in the URL"},
	}
	for _, tt := range tests {
		_, err := CheckBaseURL(tt.raw)
		if tt.wantErr == "" && err != nil || tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)) {
			t.Errorf("CheckBaseURL(%q) = %v, want %q", tt.raw, err, tt.wantErr)
		}
		if err != nil && strings.Contains(err.Error(), "pw@") {
			t.Errorf("error repeats the password: %v", err)
		}
	}
}

func TestFirstLine(t *testing.T) {
	long := strings.Repeat("é", 150) // 300 bytes
	tests := []struct{ in, want string }{
		{"", ""},
		{"one line", "one line"},
		{"first\nsecond", "first"},
		{"first\r\nsecond", "first"},
		{long, strings.Repeat("é", 100) + "…"},
	}
	for _, tt := range tests {
		if got := FirstLine(tt.in); got != tt.want {
			t.Errorf("FirstLine(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestCheckAllowedHost(t *testing.T) {
	tests := []struct {
		entry string
		err   string // "" for accepted
	}{
		{"https://conversations.example.com", ""},
		{"conversations.example.com", ""},
		{"http://127.0.0.1:8701", ""},
		{"http://localhost:8701", ""},
		{"http://[::1]:8701", ""},
		{".example.com", ""},
		{".example.co.uk", ""},
		{".talkdeskapp.eu", ""},
		{"http://10.0.0.1:8080", "uses plain http"},
		{"http://example.com", "uses plain http"},
		{"http://127.0.0.1.nip.io", "uses plain http"},
		{"ftp://example.com", "must use https"},
		{"https://user:pw@example.com", "must not hold credentials"},
		{".com", "is a public suffix"},
		{".co.uk", "is a public suffix"},
		{".github.io", "is a public suffix"},
		{".", "is not a domain"},
		{"..example.com", "is not a domain"},
		{".*.example.com", "is not a domain"},
		{"a b", "not a URL or host name"},
		{"https://", "not a URL or host name"},
		{"https://h.example.com/%zz?api_key=pw", "not a URL or host name"},
		{"conv.example.com?token=pw", "not a URL or host name"},
	}
	for _, tt := range tests {
		t.Run(tt.entry, func(t *testing.T) {
			err := CheckAllowedHost(tt.entry)
			switch {
			case tt.err == "" && err != nil:
				t.Fatalf("CheckAllowedHost(%q) = %v, want nil", tt.entry, err)
			case tt.err != "" && (err == nil || !strings.Contains(err.Error(), tt.err)):
				t.Fatalf("CheckAllowedHost(%q) = %v, want an error with %q", tt.entry, err, tt.err)
			case err != nil && strings.Contains(err.Error(), "pw"):
				t.Fatalf("the error repeats a password: %v", err)
			}
			if _, nerr := NewOrigins(tt.entry); (nerr == nil) != (err == nil) {
				t.Fatalf("NewOrigins(%q) = %v, CheckAllowedHost = %v: they must agree", tt.entry, nerr, err)
			}
		})
	}
}

// TestOriginsNeverAllowPlainHTTPOffLoopback: whatever the list, a link over plain http to a
// host that is not loopback is refused before anything is sent.
func TestOriginsNeverAllowPlainHTTPOffLoopback(t *testing.T) {
	o, err := NewOrigins("https://api.example.com", ".example.com", "http://127.0.0.1:9")
	if err != nil {
		t.Fatal(err)
	}
	for link, want := range map[string]bool{
		"https://api.example.com/x":  true,
		"https://conv.example.com/x": true,
		"http://api.example.com/x":   false,
		"http://conv.example.com/x":  false,
		"http://127.0.0.1:9/x":       true,
		"http://127.0.0.1:10/x":      false,
		"https://example.com.evil/x": false,
		"https://evilexample.com/x":  false,
	} {
		u, _ := url.Parse(link)
		if got := o.Allows(u); got != want {
			t.Errorf("Allows(%s) = %v, want %v", link, got, want)
		}
	}
}
