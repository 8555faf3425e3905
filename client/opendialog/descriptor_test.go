package opendialog_test

import (
	"testing"

	"github.com/confab-dev/confab/client"
	"github.com/confab-dev/confab/client/opendialog"
)

func TestDescriptorChecks(t *testing.T) {
	d := &opendialog.Descriptor
	f, ok := d.ConfigField("workspace")
	if !ok || f.Check == nil {
		t.Fatal("workspace is not a checked field")
	}
	tests := []struct {
		name     string
		s        client.SourceConfig
		fieldErr string // of the workspace check ("" when accepted)
		problems int    // of the whole-source check
		endpoint string
	}{
		{"workspace", client.SourceConfig{Workspace: "acme"}, "", 0, "https://acme.cloud.opendialog.ai/public/api"},
		{"bad workspace", client.SourceConfig{Workspace: "ac me"}, `workspace "ac me" is not a valid host name label`, 0, "https://ac me.cloud.opendialog.ai/public/api"},
		{"base_url", client.SourceConfig{BaseURL: "http://127.0.0.1:8702/public/api/"}, `workspace "" is not a valid host name label`, 0, "http://127.0.0.1:8702/public/api"},
		{"neither", client.SourceConfig{}, `workspace "" is not a valid host name label`, 1, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := f.Check(tt.s, tt.s.Workspace)
			if (err == nil) != (tt.fieldErr == "") || err != nil && err.Error() != tt.fieldErr {
				t.Errorf("workspace check = %v, want %q", err, tt.fieldErr)
			}
			if got := d.Check(tt.s); len(got) != tt.problems {
				t.Errorf("Check = %v, want %d problems", got, tt.problems)
			}
			if got := d.Endpoint(tt.s); got != tt.endpoint {
				t.Errorf("Endpoint = %q, want %q", got, tt.endpoint)
			}
			if got := d.TokenEndpoint(tt.s); got != "" {
				t.Errorf("TokenEndpoint = %q, want none", got)
			}
		})
	}
	for _, key := range []string{"window", "session_timeout", "max_windows"} {
		if _, ok := d.ConfigField(key); !ok {
			t.Errorf("field %s is not declared", key)
		}
	}
	for _, key := range []string{"account", "params", "time_format", "lookback"} {
		if _, ok := d.ConfigField(key); ok {
			t.Errorf("field %s is declared", key)
		}
	}
	if d.Regions != nil || d.NoRegions != "workspace or base_url" || len(d.Auths) != 1 || d.Auths[0] != client.AuthBearer {
		t.Errorf("regions %v (%q), auths %v", d.Regions, d.NoRegions, d.Auths)
	}
	src, err := d.Open(client.SourceConfig{Name: "od", Workspace: "acme", Auth: client.AuthBearer}, client.BuildEnv{Secret: "t"})
	if err != nil || src.Name() != "od" || src.Kind() != opendialog.Kind {
		t.Errorf("Open = %v, %v", src, err)
	}
}
