package moveworks

import (
	"net/url"
	"time"

	"github.com/confab-dev/confab/client"
	"github.com/confab-dev/confab/client/odata"
)

// Descriptor describes Moveworks sources to confab: four regions (APIS.md §1.2), an API key
// (the default) or OAuth2 client credentials at {origin of the base URL}/oauth/v1/token, no
// vendor-specific config keys, OData $filter over conversations.
var Descriptor = client.Vendor{
	Kind: Kind,
	Regions: []client.Region{
		{Name: "us", BaseURL: regions["us"]},
		{Name: "eu", BaseURL: regions["eu"]},
		{Name: "ca", BaseURL: regions["ca"]},
		{Name: "gov", BaseURL: regions["gov"]},
	},
	Auths:    []string{client.AuthAPIKey, client.AuthOAuth2},
	TokenURL: tokenURL,
	Access: &client.Access{ // APIS.md §1.3
		Need: func(string) string { return "needs the read scope of the Conversations and Interactions tables" },
		Advice: func(string) string {
			return "give the credential the read scope of the Conversations and Interactions tables (Moveworks Setup → Tenant Settings → Credentials; a Super Admin creates them)"
		},
	},
	FilterSpec: func(func() time.Time) client.FilterSpec { return odata.Spec(odata.Conversations) },
	New:        build,
}

// tokenURL is the default token URL: the origin of the base URL + /oauth/v1/token.
func tokenURL(_ client.SourceConfig, endpoint string) string {
	u, err := url.Parse(endpoint)
	if err != nil || u.Host == "" {
		return ""
	}
	return u.Scheme + "://" + u.Host + "/oauth/v1/token"
}

// build is the Descriptor's constructor.
func build(s client.SourceConfig, env client.BuildEnv) (client.Source, error) {
	src, err := New(Config{
		Name:         s.Name,
		Region:       s.Region,
		BaseURL:      env.BaseURL,
		Auth:         s.Auth,
		KeyStyle:     s.APIKeyStyle,
		TokenURL:     env.TokenURL,
		ClientID:     s.ClientID,
		Secret:       env.Secret,
		PageSize:     s.PageSize,
		AllowedHosts: s.AllowedHosts,
		HTTP:         env.HTTP,
	})
	if err != nil {
		return nil, err // New names the source
	}
	return src, nil
}
