package opendialog

import (
	"fmt"

	"github.com/confab-dev/confab/client"
)

// Descriptor describes OpenDialog sources to confab: no regions (the base URL is
// https://{workspace}.cloud.opendialog.ai/public/api, or base_url), a Bearer token, and the
// keys workspace, window, session_timeout and max_windows.
var Descriptor = client.Vendor{
	Kind:      Kind,
	NoRegions: "workspace or base_url",
	Auths:     []string{client.AuthBearer},
	Fields: []client.ConfigField{
		{Key: "workspace", Check: checkWorkspace},
		{Key: "window"},
		{Key: "session_timeout"},
		{Key: "max_windows"},
	},
	Check:  check,
	Locate: workspaceURL,
	Access: &client.Access{ // APIS.md §3.2
		Need: func(string) string { return "the token's creator may not read user interactions" },
		Advice: func(string) string {
			return "an OpenDialog API token has the permissions of the user who created it: create one as a user who may read user interactions (Identity & Security → API Authorization)"
		},
	},
	FilterSpec: Spec,
	New:        build,
}

// checkWorkspace: the workspace becomes a host name label of the base URL.
func checkWorkspace(s client.SourceConfig, written string) error {
	if !client.ValidHostLabel(s.Workspace) {
		return fmt.Errorf("workspace %q is not a valid host name label", written)
	}
	return nil
}

// check: the base URL comes from workspace or base_url; one is needed.
func check(s client.SourceConfig) []client.ConfigProblem {
	if s.BaseURL == "" && s.Workspace == "" {
		return []client.ConfigProblem{{Key: "workspace", Msg: "opendialog needs workspace or base_url"}}
	}
	return nil
}

// workspaceURL is the base URL of the workspace ("" without one).
func workspaceURL(s client.SourceConfig) string {
	if s.Workspace == "" {
		return ""
	}
	return "https://" + s.Workspace + ".cloud.opendialog.ai/public/api"
}

// build is the Descriptor's constructor.
func build(s client.SourceConfig, env client.BuildEnv) (client.Source, error) {
	return New(Config{
		Name:           s.Name,
		Workspace:      s.Workspace,
		BaseURL:        env.BaseURL,
		Token:          env.Secret,
		Window:         s.Window,
		SessionTimeout: s.SessionTimeout,
		MaxWindows:     s.MaxWindows,
		AllowedHosts:   s.AllowedHosts,
		Now:            env.Now,
		HTTP:           env.HTTP,
	})
}
