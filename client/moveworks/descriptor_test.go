package moveworks_test

import (
	"slices"
	"testing"

	"github.com/confab-dev/confab/client"
	"github.com/confab-dev/confab/client/moveworks"
)

func TestDescriptor(t *testing.T) {
	d := &moveworks.Descriptor
	tests := []struct {
		name            string
		s               client.SourceConfig
		endpoint, token string
	}{
		{"default region", client.SourceConfig{Auth: client.AuthAPIKey}, "https://api.moveworks.ai/export/v1/records", ""},
		{"eu oauth2", client.SourceConfig{Region: "eu", Auth: client.AuthOAuth2},
			"https://api.am-eu-central.moveworks.ai/export/v1/records", "https://api.am-eu-central.moveworks.ai/oauth/v1/token"},
		{"gov", client.SourceConfig{Region: "gov", Auth: client.AuthOAuth2},
			"https://api.moveworksgov.ai/export/v1/records", "https://api.moveworksgov.ai/oauth/v1/token"},
		{"base_url", client.SourceConfig{BaseURL: "http://127.0.0.1:8700/export/v1/records/", Auth: client.AuthOAuth2},
			"http://127.0.0.1:8700/export/v1/records", "http://127.0.0.1:8700/oauth/v1/token"},
		{"unknown region", client.SourceConfig{Region: "mars", Auth: client.AuthOAuth2}, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := d.Endpoint(tt.s); got != tt.endpoint {
				t.Errorf("Endpoint = %q, want %q", got, tt.endpoint)
			}
			if got := d.TokenEndpoint(tt.s); got != tt.token {
				t.Errorf("TokenEndpoint = %q, want %q", got, tt.token)
			}
		})
	}
	if len(d.Fields) != 0 || d.Check != nil {
		t.Errorf("moveworks declares vendor keys %v", d.Fields)
	}
	if got := d.RegionNames(); !slices.Equal(got, []string{"us", "eu", "ca", "gov"}) {
		t.Errorf("regions = %v", got)
	}
	if !slices.Equal(d.Auths, []string{client.AuthAPIKey, client.AuthOAuth2}) {
		t.Errorf("auths = %v", d.Auths)
	}
	src, err := d.Open(client.SourceConfig{Name: "mw", Auth: client.AuthAPIKey, APIKeyStyle: "raw"}, client.BuildEnv{Secret: "k"})
	if err != nil || src.Name() != "mw" || src.Kind() != moveworks.Kind {
		t.Fatalf("Open = %v, %v", src, err)
	}
	// The descriptor's filter spec is the source's: OData over conversations.
	spec := d.FilterSpec(nil)
	if spec == nil || !slices.Equal(fieldNames(spec), fieldNames(src.FilterSpec())) {
		t.Errorf("descriptor filter spec differs from the source's")
	}
	if spec != nil && spec.Validate("platform eq 'slack'") == nil {
		t.Errorf("filter spec accepts an interactions field on conversations")
	}
}

func fieldNames(spec client.FilterSpec) []string {
	var names []string
	for _, f := range spec.Fields() {
		names = append(names, f.Name)
	}
	return names
}
