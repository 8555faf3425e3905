package config

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSetClientID(t *testing.T) {
	tests := []struct {
		name, in, want string
		line           int
		id             string
		err            string
	}{
		{"after header", "# c\n[[source]]\nname = \"a\"\nkind = \"moveworks\"\nauth = \"oauth2\"\n", "# c\n[[source]]\nclient_id = \"id-1\"\nname = \"a\"\nkind = \"moveworks\"\nauth = \"oauth2\"\n", 2, "id-1", ""},
		{"CRLF", "[[source]]\r\nname = \"a\"\r\nkind = \"moveworks\"\r\nauth = \"oauth2\"\r\n", "[[source]]\r\nclient_id = \"x\\\"y\\\\z\"\r\nname = \"a\"\r\nkind = \"moveworks\"\r\nauth = \"oauth2\"\r\n", 1, `x"y\z`, ""},
		{"unicode id", "[[source]]\nname = \"a\"\nkind = \"moveworks\"\nauth = \"oauth2\"", "[[source]]\nclient_id = \"ïd\"\nname = \"a\"\nkind = \"moveworks\"\nauth = \"oauth2\"", 1, "ïd", ""},
		{"moved header", "# new comment\n[[source]]\nname = \"a\"\nkind = \"moveworks\"\nauth = \"oauth2\"\n", "", 1, "id", "is not the [[source]] header"},
		{"existing empty client_id", "[[source]]\nname = \"a\"\nkind = \"moveworks\"\nauth = \"oauth2\"\nclient_id = \"\"\n", "", 1, "id", "would not be valid"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "c.toml")
			if err := os.WriteFile(path, []byte(tt.in), 0o600); err != nil {
				t.Fatal(err)
			}
			err := SetClientID(context.Background(), path, Source{Name: "a", ClientID: tt.id, Line: tt.line})
			b, _ := os.ReadFile(path)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("err = %v, want %q", err, tt.err)
				}
				if string(b) != tt.in {
					t.Errorf("the file changed after an error: %q", b)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if string(b) != tt.want {
				t.Errorf("got %q\nwant %q", b, tt.want)
			}
		})
	}
}
