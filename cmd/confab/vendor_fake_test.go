package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/confab-dev/confab/client"
	"github.com/confab-dev/confab/client/moveworks"
	"github.com/confab-dev/confab/client/opendialog"
	"github.com/confab-dev/confab/client/talkdesk"
)

// This file adds a fourth vendor, "acme", entirely in a test: a descriptor and a small
// client over a real loopback server. Neither store/config nor the code of cmd/confab knows
// it; the app is only given a registry holding it besides the three real vendors.

// acmeServer answers GET /api/conversations with two conversations to the bearer token
// "acme-token", and 401 to anything else. It counts the requests it answered.
func acmeServer(t *testing.T) (*httptest.Server, *atomic.Int32) {
	var served atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer acme-token" {
			http.Error(w, `{"error":"unauthorized"}`, http.StatusUnauthorized)
			return
		}
		if r.URL.Path != "/api/conversations" {
			http.NotFound(w, r)
			return
		}
		served.Add(1)
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"items":[{"id":"a-1","text":"printer jammed","at":"2026-11-20T10:00:00Z"},{"id":"a-2","text":"vpn down","at":"2026-11-19T09:00:00Z"}]}`)
	}))
	t.Cleanup(srv.Close)
	return srv, &served
}

// acmeSource is the fourth vendor's client.
type acmeSource struct {
	name, base string
	http       *client.HTTP
}

func (s *acmeSource) Name() string { return s.name }
func (s *acmeSource) Kind() string { return "acme" }

func (s *acmeSource) Conversations(ctx context.Context, _ client.Query, _ string) (client.Page, error) {
	var body struct {
		Items []struct {
			ID   string    `json:"id"`
			Text string    `json:"text"`
			At   time.Time `json:"at"`
		} `json:"items"`
	}
	if err := s.http.GetJSON(ctx, s.base+"/conversations", &body); err != nil {
		return client.Page{}, fmt.Errorf("acme source %q: %w", s.name, err)
	}
	page := client.Page{Total: len(body.Items)}
	for _, it := range body.Items {
		page.Conversations = append(page.Conversations, client.Conversation{Source: s.name, ID: it.ID, Started: it.At, Summary: it.Text})
	}
	return page, nil
}

func (s *acmeSource) Thread(context.Context, client.Conversation) ([]client.Interaction, error) {
	return nil, nil
}

func (s *acmeSource) Conversation(context.Context, string) (client.Conversation, error) {
	return client.Conversation{}, client.ErrNotFound
}

func (s *acmeSource) FilterSpec() client.FilterSpec { return opendialog.Spec(nil) }

// acmeDescriptor describes the fourth vendor: one region (the loopback server), a bearer
// token, the keys account (a host name label, required) and window.
func acmeDescriptor(base string) *client.Vendor {
	return &client.Vendor{
		Kind:    "acme",
		Regions: []client.Region{{Name: "lab", BaseURL: base}},
		Auths:   []string{client.AuthBearer},
		Fields: []client.ConfigField{
			{Key: "account", Check: func(s client.SourceConfig, written string) error {
				if !client.ValidHostLabel(s.Account) {
					return fmt.Errorf("account %q is not an acme team name", written)
				}
				return nil
			}},
			{Key: "window"},
		},
		Check: func(s client.SourceConfig) []client.ConfigProblem {
			if s.Account == "" {
				return []client.ConfigProblem{{Msg: "acme needs account (the team name)"}}
			}
			return nil
		},
		FilterSpec: opendialog.Spec,
		New: func(s client.SourceConfig, env client.BuildEnv) (client.Source, error) {
			origins, err := client.NewOrigins(append([]string{env.BaseURL}, s.AllowedHosts...)...)
			if err != nil {
				return nil, fmt.Errorf("acme source %q: %w", s.Name, err)
			}
			if env.Secret == "" {
				return nil, fmt.Errorf("acme source %q: %w: no token", s.Name, client.ErrAuth)
			}
			return &acmeSource{name: s.Name, base: env.BaseURL,
				http: client.NewHTTP(env.HTTP, origins, client.HeaderAuth("Authorization", "Bearer "+env.Secret))}, nil
		},
	}
}

// fourVendors is the registry of the three real vendors and acme.
func fourVendors(t *testing.T, base string) *client.Registry {
	reg, err := client.NewRegistry(&moveworks.Descriptor, &talkdesk.Descriptor, &opendialog.Descriptor, acmeDescriptor(base))
	if err != nil {
		t.Fatal(err)
	}
	return reg
}

func TestFourthVendorConfigAndSource(t *testing.T) {
	srv, served := acmeServer(t)
	h := newHarness(t)
	h.env["CONFAB_SECRET_AC"] = "acme-token"
	reg := fourVendors(t, srv.URL+"/api")
	runWith := func(args ...string) result {
		var out, errb bytes.Buffer
		a := h.app(&out, &errb)
		a.vendors = reg
		code := a.run(context.Background(), args)
		return result{code: code, stdout: out.String(), stderr: errb.String()}
	}

	good := h.writeFile("acme.toml", `[[source]]
name = "ac"
kind = "acme"
region = "lab"
account = "helpdesk"
window = "2d"
`)
	r := runWith("--config", good, "config", "check")
	r.want(t, 0)
	if !strings.Contains(r.stdout, "ok (1 source, 0 views)") {
		t.Errorf("config check: %q", r.stdout)
	}

	r = runWith("--config", good, "list", "ac", "--format", "ndjson")
	r.want(t, 0)
	var ids []string
	for _, line := range strings.Split(strings.TrimSpace(r.stdout), "\n") {
		var c client.Conversation
		if err := json.Unmarshal([]byte(line), &c); err != nil {
			t.Fatalf("line %q: %v", line, err)
		}
		ids = append(ids, c.Source+"/"+c.ID+"/"+c.Summary)
	}
	if got := strings.Join(ids, ","); got != "ac/a-1/printer jammed,ac/a-2/vpn down" {
		t.Errorf("listed %s", got)
	}
	if served.Load() != 1 {
		t.Errorf("the acme server answered %d listings, want 1", served.Load())
	}

	bad := h.writeFile("bad.toml", `[[source]]
name = "ac"
kind = "acme"
region = "mars"
session_timeout = "1h"

[[source]]
name = "ac2"
kind = "acme"
account = "no.dots"
auth = "oauth2"

[[source]]
name = "od"
kind = "opendialog"
workspace = "w"
account = "x"
window = "1d"

[[source]]
name = "zz"
kind = "nope"
`)
	r = runWith("--config", bad, "config", "check")
	r.want(t, exitUsage)
	for _, want := range []string{
		`bad.toml:1: source "ac": acme needs account (the team name)`,
		`bad.toml:4: source "ac": region "mars" is not one of lab`,
		`bad.toml:5: warning: source "ac": session_timeout applies only to opendialog sources; ignored`,
		`bad.toml:10: source "ac2": account "no.dots" is not an acme team name`,
		`bad.toml:11: source "ac2": auth "oauth2" is not one of bearer for acme`,
		`bad.toml:17: warning: source "od": account applies only to talkdesk and acme sources; ignored`,
		`bad.toml:22: source "zz": kind "nope" is not one of moveworks, talkdesk, opendialog, acme`,
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("config check output lacks %q:\n%s", want, r.stdout)
		}
	}
	if strings.Contains(r.stdout, `"od": window`) {
		t.Errorf("window was reported on opendialog:\n%s", r.stdout)
	}

	// Without the registry that holds it, the kind is unknown: the vendor lives in the
	// registry, not in store/config.
	var out, errb bytes.Buffer
	code := h.app(&out, &errb).run(context.Background(), []string{"--config", good, "config", "check"})
	if code != exitUsage || !strings.Contains(out.String()+errb.String(), `kind "acme" is not one of moveworks, talkdesk, opendialog`) {
		t.Errorf("without acme registered: exit %d\n%s%s", code, out.String(), errb.String())
	}
}
