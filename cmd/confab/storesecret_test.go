package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestEchoedSecretNeverReachesTheStore: a vendor that writes the API key into its records
// (here: after every "password" in what people wrote) gets them synced, listed, searched and
// exported with the key masked; the store's files never hold it.
func TestEchoedSecretNeverReachesTheStore(t *testing.T) {
	h := newHarness(t)
	key := h.env["CONFAB_SECRET_MW"]
	target, err := url.Parse(h.servers.Moveworks.BaseURL)
	if err != nil {
		t.Fatal(err)
	}
	quoted, _ := json.Marshal(key)
	echo := []byte(" " + strings.Trim(string(quoted), `"`))
	proxy := httputil.NewSingleHostReverseProxy(&url.URL{Scheme: target.Scheme, Host: target.Host})
	proxy.ModifyResponse = func(r *http.Response) error {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			return err
		}
		r.Body.Close()
		body = bytes.ReplaceAll(body, []byte("password"), append([]byte("password"), echo...))
		r.Body = io.NopCloser(bytes.NewReader(body))
		r.ContentLength = int64(len(body))
		r.Header.Set("Content-Length", strconv.Itoa(len(body)))
		return nil
	}
	srv := httptest.NewServer(proxy)
	defer srv.Close()
	config := h.writeFile("leaky.toml", `[[source]]
name = "mw"
kind = "moveworks"
base_url = "`+srv.URL+target.Path+`"
`)

	sync := h.run("--config", config, "sync", "--since", "7d", "--threads")
	sync.want(t, 0)
	search := h.run("--config", config, "search", "password", "--offline", "--format", "ndjson")
	search.want(t, 0)
	if !strings.Contains(search.stdout, "password ***") {
		t.Errorf("no masked echo among the hits (did the proxy echo?):\n%.600s", search.stdout)
	}
	list := h.run("--config", config, "list", "mw", "--offline", "--format", "ndjson")
	list.want(t, 0)
	var first struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal([]byte(strings.SplitN(list.stdout, "\n", 2)[0]), &first); err != nil || first.ID == "" {
		t.Fatalf("list --offline: %v\n%.300s", err, list.stdout)
	}
	export := h.run("--config", config, "--offline", "export", "mw", "--since", "7d", "--format", "ndjson")
	export.want(t, 0)
	texts := map[string]string{"search": search.stdout, "list": list.stdout, "export": export.stdout,
		"sync stdout": sync.stdout, "sync stderr": sync.stderr}
	files, _ := filepath.Glob(filepath.Join(h.dir, ".cache", "confab", "confab.db*"))
	if len(files) == 0 {
		t.Fatal("no store file")
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		texts[f] = string(b)
	}
	noLeak(t, texts, key)
}
