package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/confab-dev/confab/client"
	"github.com/confab-dev/confab/client/mock"
	"github.com/confab-dev/confab/store/config"
)

const talkdeskConfig = `[[source]]
name = "td"
kind = "talkdesk"
base_url = %q
token_url = %q
client_id = %q
allowed_hosts = [%q]
page_size = 20
`

// talkdeskHarness is a harness with a "td" source on the mock Talkdesk; the source gets the
// harness's clock through buildEnv.
func talkdeskHarness(t *testing.T) *harness {
	t.Helper()
	h := newHarness(t)
	td := h.servers.Talkdesk
	h.config = h.writeFile("td.toml", fmt.Sprintf(talkdeskConfig, td.BaseURL, td.TokenURL, td.ClientID, td.PagingOrigins[0]))
	h.env["CONFAB_SECRET_TD"] = td.ClientSecret
	return h
}

// talkdeskCorpus is the mock corpus newHarness serves, newest first.
func talkdeskCorpus() []mock.TalkdeskItem {
	return mock.NewTalkdesk(harnessCorpus).Interactions()
}

func TestTalkdeskListEveryInteractionOnce(t *testing.T) {
	h := talkdeskHarness(t)
	r := h.run("--config", h.config, "list", "td", "--since", "20 days ago", "--format", "ndjson")
	r.want(t, 0)
	got := decodeNDJSON(t, r.stdout)
	var want []string
	since := testNow.Add(-20 * 24 * time.Hour)
	for _, it := range talkdeskCorpus() {
		if !it.Started.Before(since) {
			want = append(want, it.ID)
		}
	}
	var ids []string
	for _, c := range got {
		ids = append(ids, c.ID)
		if c.Source != "td" || c.UserID == "" || len(c.Raw) == 0 || c.Attrs.Value("duration") == "" {
			t.Fatalf("row %+v", c)
		}
	}
	if len(want) < 100 || !slices.Equal(ids, want) {
		t.Fatalf("listed %d interactions, want %d, each once, newest first", len(ids), len(want))
	}

	t.Run("attributes: direction, channel, duration first", func(t *testing.T) {
		for _, c := range got {
			var keys []string
			for _, a := range c.Attrs {
				keys = append(keys, a.Key)
			}
			if len(keys) < 3 || !slices.Equal(keys[:3], []string{"direction", "channel", "duration"}) {
				t.Fatalf("%s: attrs %v", c.ID, keys)
			}
		}
	})
	t.Run("filter", func(t *testing.T) {
		r := h.run("--config", h.config, "list", "td", "--since", "14d", "--format", "ndjson", "--filter", "sentiment=negative channel=voice")
		r.want(t, 0)
		cs := decodeNDJSON(t, r.stdout)
		if len(cs) == 0 || len(cs) >= len(got) {
			t.Fatalf("filtered %d of %d", len(cs), len(got))
		}
		for _, c := range cs {
			if !strings.Contains(c.Attrs.Value("channel"), "voice") {
				t.Fatalf("%s: channel %q", c.ID, c.Attrs.Value("channel"))
			}
		}
	})
	t.Run("bad filter", func(t *testing.T) {
		h.run("--config", h.config, "list", "td", "--filter", "sentiment=negative plaform=web").
			want(t, 2, "column 20", `unknown field "plaform"`)
	})
}

func TestTalkdeskExport(t *testing.T) {
	h := talkdeskHarness(t)
	items := talkdeskCorpus()
	id := items[len(items)/2].ID
	r := h.run("--config", h.config, "export", "td", id, "--format", "json")
	r.want(t, 0)
	var out struct {
		Conversation client.Conversation  `json:"conversation"`
		Interactions []client.Interaction `json:"interactions"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &out); err != nil {
		t.Fatalf("%v\n%.500s", err, r.stdout)
	}
	if len(out.Interactions) < 2 {
		t.Fatalf("export: %.500s", r.stdout)
	}
	for _, it := range out.Interactions {
		if it.ConversationID != id || it.Actor == "" || it.ParentID != "" {
			t.Fatalf("interaction %+v", it)
		}
	}
	h.run("--config", h.config, "export", "td", "no-such-interaction").want(t, 1, "not found")
}

func TestTalkdeskRefusedCredentials(t *testing.T) {
	h := talkdeskHarness(t)
	h.env["CONFAB_SECRET_TD"] = "not-the-secret"
	r := h.run("--config", h.config, "list", "td")
	r.want(t, 1, "credentials refused", "confab auth login")
	if strings.Contains(r.stderr, "not-the-secret") {
		t.Fatalf("the secret leaked: %s", r.stderr)
	}
}

func TestTalkdeskMockWriteConfig(t *testing.T) {
	h := newHarness(t)
	path := filepath.Join(h.dir, "confab.toml")
	env := h.startMock(path)
	env["HOME"] = h.dir
	if env["CONFAB_SECRET_TD"] == "" {
		t.Fatalf("no CONFAB_SECRET_TD export: %v", env)
	}
	cfg, err := config.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	td, ok := cfg.Source("td")
	if !ok || td.Kind != config.KindTalkdesk || len(td.AllowedHosts) != 1 || td.ClientID == "" || td.Auth != config.AuthOAuth2 {
		t.Fatalf("td source %+v", td)
	}
	body, _ := os.ReadFile(path)
	if strings.Contains(string(body), env["CONFAB_SECRET_TD"]) {
		t.Fatal("the secret is in the config file")
	}
	h.env = env
	r := h.run("--config", path, "list", "td", "--format", "ndjson", "--limit", "30")
	r.want(t, 0)
	if cs := decodeNDJSON(t, r.stdout); len(cs) != 30 {
		t.Fatalf("listed %d", len(cs))
	}
}
