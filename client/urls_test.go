package client

import (
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
