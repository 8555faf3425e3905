package talkdesk

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/confab-dev/confab/client"
)

// Descriptor describes Talkdesk sources to confab: three regions (APIS.md §2.2), OAuth2
// client credentials at https://{account}.talkdeskid.com/oauth/token (per region), and the
// keys account, window (at most 7 days), max_windows, [source.params] (start, end, limit),
// time_format and lookback.
var Descriptor = client.Vendor{
	Kind: Kind,
	Regions: []client.Region{
		{Name: "us", BaseURL: regions["us"].api, TokenDomain: regions["us"].tokenDomain},
		{Name: "eu", BaseURL: regions["eu"].api, TokenDomain: regions["eu"].tokenDomain},
		{Name: "ca", BaseURL: regions["ca"].api, TokenDomain: regions["ca"].tokenDomain},
	},
	Auths: []string{client.AuthOAuth2},
	Fields: []client.ConfigField{
		{Key: "account", Check: checkAccount},
		{Key: "window", Check: checkWindow},
		{Key: "max_windows"},
		{Key: "params", SubKeys: []string{"start", "end", "limit"}},
		{Key: "time_format", Check: checkTimeFormat},
		{Key: "lookback"},
	},
	Check:    check,
	TokenURL: tokenURL,
	Access: &client.Access{
		Scope: Scope,
		Need: func(requested string) string {
			need := "needs the scope " + Scope + " (documented for interactions)"
			if requested != "" {
				need += "; this source requests " + requested
			}
			return need
		},
		Advice: func(requested string) string {
			advice := "give the OAuth client the scope " + Scope + " (the scope Talkdesk documents for reading interactions) in Talkdesk Builder; a newly added scope can take a few minutes to apply"
			if requested != "" {
				advice += "; this source requests " + requested + " (scope in the config): request " + Scope
			}
			return advice
		},
		ScopeTakesTime: true, // APIS.md §2.3
	},
	FilterSpec: func(now func() time.Time) client.FilterSpec { return spec{now: now} },
	New:        build,
}

// checkAccount: the account becomes a host name label of the token URL.
func checkAccount(s client.SourceConfig, written string) error {
	if !client.ValidHostLabel(s.Account) {
		return fmt.Errorf("account %q is not a valid host name label", written)
	}
	return nil
}

// checkWindow: Talkdesk answers at most seven days a request.
func checkWindow(s client.SourceConfig, written string) error {
	if s.Window > MaxWindow {
		return fmt.Errorf("window %s is longer than Talkdesk's 7-day limit", written)
	}
	return nil
}

// checkTimeFormat: time_format is one of TimeFormats (s holds it lower-cased).
func checkTimeFormat(s client.SourceConfig, written string) error {
	if !slices.Contains(TimeFormats, s.TimeFormat) {
		return fmt.Errorf("time_format %q is not one of %s", written, strings.Join(TimeFormats, ", "))
	}
	return nil
}

// check: with OAuth2 and no token_url, the token URL needs the account.
func check(s client.SourceConfig) []client.ConfigProblem {
	if s.Auth == client.AuthOAuth2 && s.TokenURL == "" && s.Account == "" {
		return []client.ConfigProblem{{Key: "account", Msg: "talkdesk needs account (token URL https://{account}.talkdeskid.com/oauth/token) or token_url"}}
	}
	return nil
}

// tokenURL is https://{account}.{the region's token domain}/oauth/token ("" without account).
func tokenURL(s client.SourceConfig, _ string) string {
	if s.Account == "" {
		return ""
	}
	region := s.Region
	if region == "" {
		region = "us"
	}
	return "https://" + s.Account + "." + regions[region].tokenDomain + "/oauth/token"
}

// build is the Descriptor's constructor.
func build(s client.SourceConfig, env client.BuildEnv) (client.Source, error) {
	src, err := New(Config{
		Name:         s.Name,
		Region:       s.Region,
		BaseURL:      s.BaseURL,
		Account:      s.Account,
		TokenURL:     env.TokenURL,
		ClientID:     s.ClientID,
		Secret:       env.Secret,
		Scope:        s.Scope,
		PageSize:     s.PageSize,
		Window:       s.Window,
		MaxWindows:   s.MaxWindows,
		ParamStart:   s.Params["start"],
		ParamEnd:     s.Params["end"],
		ParamLimit:   s.Params["limit"],
		TimeFormat:   s.TimeFormat,
		LookBack:     s.LookBack,
		AllowedHosts: s.AllowedHosts,
		Now:          env.Now,
		HTTP:         env.HTTP,
	})
	if err != nil {
		return nil, err // New names the source
	}
	return src, nil
}
