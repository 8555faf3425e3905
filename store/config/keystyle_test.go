package config

import "testing"

// TestAPIKeyStyleDefault: a Moveworks API key is sent raw unless the source says bearer (the
// vendor's own example sends `Authorization: <key>`, APIS.md §1.3).
func TestAPIKeyStyleDefault(t *testing.T) {
	tests := []struct {
		name, extra, want string
	}{
		{"default", "", "raw"},
		{"raw", "api_key_style = \"raw\"\n", "raw"},
		{"bearer", "api_key_style = \"bearer\"\n", "bearer"},
		{"oauth2 has none", "auth = \"oauth2\"\nclient_id = \"c\"\n", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := Parse("config.toml", []byte("[[source]]\nname = \"mw\"\nkind = \"moveworks\"\n"+tc.extra))
			if err != nil {
				t.Fatal(err)
			}
			s, ok := cfg.Source("mw")
			if !ok {
				t.Fatal("no source mw")
			}
			if s.APIKeyStyle != tc.want {
				t.Errorf("api_key_style = %q, want %q", s.APIKeyStyle, tc.want)
			}
		})
	}
}
