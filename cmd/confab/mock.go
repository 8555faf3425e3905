package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/confab-dev/confab/client"
	"github.com/confab-dev/confab/client/mock"
	"github.com/confab-dev/confab/store/cache"
	"github.com/confab-dev/confab/store/config"
	"github.com/confab-dev/confab/store/secret"
	"github.com/confab-dev/confab/tui"
)

// mockHeader starts every config file `confab mock --write-config` writes; such a file may be
// overwritten by the next run, any other file is left alone.
const mockHeader = "# Written by 'confab mock': sources pointing at the mock vendors."

// mockEndpoint is one vendor served by the mock, with the config source that reaches it.
type mockEndpoint struct {
	vendor mock.Vendor
	source config.Source
	secret string
}

// mockEndpoints lists the vendors s serves. Adding a vendor is adding a case here.
func mockEndpoints(s *mock.Servers) []mockEndpoint {
	mw := s.Moveworks
	return []mockEndpoint{{
		vendor: mw,
		source: config.Source{
			Name: "mw", Kind: config.KindMoveworks, BaseURL: mw.BaseURL,
			Auth: config.AuthAPIKey, APIKeyStyle: "raw",
		},
		secret: mw.APIKey,
	}, talkdeskMockEndpoint(s.Talkdesk), opendialogMockEndpoint(s.OpenDialog)}
}

// talkdeskMockEndpoint is the source "td" reaching the mock Talkdesk: OAuth2 client
// credentials at the mock's token URL, and its paging origin (next links leave the base
// URL's origin, as Talkdesk's do) in allowed_hosts. Its default filter shows four weeks.
func talkdeskMockEndpoint(td mock.Vendor) mockEndpoint {
	return mockEndpoint{
		vendor: td,
		source: config.Source{
			Name: "td", Kind: config.KindTalkdesk, BaseURL: td.BaseURL, Auth: config.AuthOAuth2,
			TokenURL: td.TokenURL, ClientID: td.ClientID, AllowedHosts: td.PagingOrigins,
			Filter: "since:28d",
		},
		secret: td.ClientSecret,
	}
}

// opendialogMockEndpoint is the source "od" reaching the mock OpenDialog.
func opendialogMockEndpoint(od mock.Vendor) mockEndpoint {
	return mockEndpoint{
		vendor: od,
		source: config.Source{Name: "od", Kind: config.KindOpenDialog, BaseURL: od.BaseURL, Auth: config.AuthBearer},
		secret: od.APIKey,
	}
}

func (a *app) mockCommand() *cobra.Command {
	var (
		addr        string
		seed        int64
		writeConfig string
		mf          mockFlags
	)
	cmd := &cobra.Command{
		Use:   "mock",
		Short: "Run the mock vendor servers in the foreground",
		Long: `Run faithful mock servers of the vendor APIs over a deterministic synthetic corpus, until
interrupted (Ctrl+C or SIGTERM). Prints their base URLs, the demo credentials, and the
'export CONFAB_SECRET_…' lines that let confab reach them.

--write-config FILE writes a config file with one source per mock vendor (mode 0600). It
refuses to replace a file that 'confab mock' did not write.`,
		Example: `  confab mock --write-config /tmp/confab-mock.toml
  confab --config /tmp/confab-mock.toml list mw`,
		Args: exactArgs(),
		RunE: func(cmd *cobra.Command, _ []string) error {
			opts, err := mf.options(seed, a.now)
			if err != nil {
				return err
			}
			return a.mock(cmd.Context(), addr, opts, writeConfig)
		},
	}
	f := cmd.Flags()
	mf.register(f)
	f.StringVar(&addr, "addr", "127.0.0.1:8700", "listen address `HOST:PORT` (port 0 picks a free one)")
	f.Int64Var(&seed, "seed", 1, "corpus seed: the same seed gives the same data")
	f.StringVar(&writeConfig, "write-config", "", "write a config file for the mock sources to `FILE`")
	return cmd
}

func (a *app) mock(ctx context.Context, addr string, opts mock.Options, writeConfig string) error {
	seed := opts.Seed
	if writeConfig != "" {
		if err := checkMockConfigTarget(writeConfig); err != nil {
			return err
		}
	}
	servers, err := mock.Start(ctx, addr, opts)
	if err != nil {
		return failure(err, "start the mock servers on %s", addr)
	}
	defer servers.Close()
	eps := mockEndpoints(servers)
	var out bytes.Buffer
	fmt.Fprintf(&out, "confab mock: serving synthetic vendor APIs (seed %d%s); Ctrl+C stops\n\n", seed, describeMockExtras(opts))
	for _, ep := range eps {
		v := ep.vendor
		fmt.Fprintf(&out, "%s\n", ep.source.Kind)
		fmt.Fprintf(&out, "  base_url       %s\n", v.BaseURL)
		if v.TokenURL != "" {
			fmt.Fprintf(&out, "  token_url      %s\n", v.TokenURL)
		}
		if v.APIKey != "" {
			fmt.Fprintf(&out, "  api_key        %s\n", v.APIKey)
		}
		if v.ClientID != "" {
			fmt.Fprintf(&out, "  client_id      %s\n", v.ClientID)
		}
		if v.ClientSecret != "" {
			fmt.Fprintf(&out, "  client_secret  %s\n", v.ClientSecret)
		}
	}
	out.WriteString("\n")
	for _, ep := range eps {
		fmt.Fprintf(&out, "export %s=%s\n", secret.EnvName(ep.source.Name), secret.ShellQuote(ep.secret))
	}
	if writeConfig != "" {
		cfg := &config.Config{}
		for _, ep := range eps {
			cfg.Sources = append(cfg.Sources, ep.source)
		}
		body, err := config.Marshal(cfg)
		if err != nil {
			return failure(err, "mock --write-config")
		}
		var file bytes.Buffer
		file.WriteString(mockHeader + "\n# Secrets are never in this file: set the CONFAB_SECRET_… variables 'confab mock' prints.\n\n")
		file.Write(body)
		if err := config.WriteFile(writeConfig, file.Bytes()); err != nil {
			return failure(err, "mock --write-config")
		}
		fmt.Fprintf(&out, "\nwrote %s; try: confab --config %s list %s\n", writeConfig, secret.ShellQuote(writeConfig), eps[0].source.Name)
	}
	if _, err := a.stdout.Write(out.Bytes()); err != nil {
		return failure(err, "write output")
	}
	if a.logger != nil {
		a.logger.Debug("mock serving", "addr", addr, "seed", seed)
	}
	<-ctx.Done()
	return nil
}

// checkMockConfigTarget refuses to replace a file that confab mock did not write.
func checkMockConfigTarget(path string) error {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return failure(err, "mock --write-config")
	}
	defer f.Close()
	first, _ := bufio.NewReader(f).ReadString('\n')
	if strings.TrimRight(first, "\r\n") != mockHeader {
		return &exitError{code: exitUsage, what: fmt.Sprintf("mock --write-config: %s exists and was not written by confab mock", path),
			hint: "choose another file; confab never overwrites your own config"}
	}
	return nil
}

func (a *app) demoCommand() *cobra.Command {
	var (
		seed int64
		mf   mockFlags
	)
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Open the TUI on built-in mock vendors (nothing to configure)",
		Long: `Start the mock vendors in-process on loopback and open the TUI against them. No config
file, no credentials. What the demo loads is kept in a local store of its own
($XDG_CACHE_HOME/confab/demo-seed1.db, never mixed with confab.db), so a second demo opens at
once on the stored rows while the mock vendors start; --no-cache leaves it alone, --offline
shows only what it holds.`,
		Args: exactArgs(),
		RunE: func(cmd *cobra.Command, _ []string) error {
			opts, err := mf.options(seed, a.now)
			if err != nil {
				return err
			}
			return a.demo(cmd.Context(), opts)
		},
	}
	cmd.Flags().Int64Var(&seed, "seed", 1, "corpus seed: the same seed gives the same data")
	mf.register(cmd.Flags())
	return cmd
}

func (a *app) demo(ctx context.Context, opts mock.Options) error {
	// The demo's sources and TUI read the mock's clock, so relative windows ("since:28d")
	// count from where the corpus ends, with --now too.
	a.now = opts.Now
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	// The demo's own store (tuistore.go): a second demo opens on the rows the first loaded.
	var st *cache.Store
	var warning string
	stored := false // the store was there before: the first frame shows its rows
	if path, err := demoStorePath(a.getenv, opts.Seed, opts.Hostile); err != nil {
		warning = "local store not used: " + err.Error()
	} else {
		_, err := os.Stat(path)
		stored = err == nil
		st, warning = a.tuiStore(ctx, path)
	}
	if st != nil {
		defer a.closeTUIStore(st)
	} else if a.offline {
		return a.offlineStoreError(warning)
	}
	// The tabs open at once, on the stored rows; their clients wait for the mock vendors,
	// started in the background, whose corpora take a while to generate.
	var tabs []tui.Tab
	shapes := mockEndpoints(demoShapes())
	waits := make([]*waitSource, len(shapes))    // nil for a tab without a client
	asked := &askSignal{ch: make(chan struct{})} // closed by the first request of any tab
	for i, ep := range shapes {
		tab := tui.Tab{Name: ep.source.Name, Kind: ep.source.Kind, Query: client.Query{Filter: ep.source.Filter}}
		local := a.localOf(ctx, st, ep.source.Name, ep.source.Kind, ep.source.Filter)
		if a.offline {
			tabs = append(tabs, offlineTab(tab, local))
			continue
		}
		vendor, ok := a.vendor(ep.source.Kind)
		if !ok {
			_, tab.Err = a.newSource(ep.source, "")
			tabs = append(tabs, tab)
			continue
		}
		shape, err := a.build(vendor, ep.source, ep.secret, a.httpOptions(ep.source))
		if err != nil {
			tab.Err = err
			tabs = append(tabs, tab)
			continue
		}
		w, src := newWaitSource(shape)
		w.asked = asked
		waits[i] = w
		tab.Source, tab.Local = src, local
		tabs = append(tabs, tab)
	}
	if all, ok := a.allTab(tabs, st); ok {
		tabs = append(tabs, all)
	}
	if !a.offline {
		go a.startDemoVendors(ctx, opts, waits, st == nil || !stored, asked.ch)
	}
	return a.startTUI(ctx, tabs, nil, st, warning)
}

// demoShapes are placeholder mock servers (and credentials): the demo builds its tabs'
// clients from them ahead, without I/O, to know their filter language and order before the
// real mock has started. Nothing is ever sent to them.
func demoShapes() *mock.Servers {
	const origin, placeholder = "http://127.0.0.1:9", "placeholder"
	return &mock.Servers{
		Moveworks: mock.Vendor{BaseURL: origin + mock.MoveworksRecordsPath, TokenURL: origin + mock.MoveworksTokenPath,
			APIKey: placeholder},
		Talkdesk: mock.Vendor{BaseURL: origin, TokenURL: origin + mock.TalkdeskTokenPath, ClientID: placeholder,
			ClientSecret: placeholder, PagingOrigins: []string{mock.TalkdeskPagingOrigin(origin)}},
		OpenDialog: mock.Vendor{BaseURL: origin + mock.OpenDialogBasePath, APIKey: placeholder},
	}
}

// demoCorpusHold, when set (only by builds with the confab_testhold tag, demohold_hook.go),
// runs before the demo starts its mock vendors: the end-to-end tests hold it to see what the
// demo shows before any corpus is generated.
var demoCorpusHold func(ctx context.Context)

// startDemoVendors starts the mock vendors and makes waits (in mockEndpoints' order; nil
// for none) ready with their clients; the servers stop with ctx. The vendors listen at once
// (mock.StartLazy) and generate their corpora one at a time, each when first asked. With
// ahead (no stored rows to show: the first row waits for the first tab's corpus) they start
// once a tab asks (asked closed), and the tabs are made ready in order, each once the
// corpora of the tabs before it are generated, so that the first tab's corpus has the
// machine to itself; otherwise all at once, and the requests of the refresh behind the
// stored rows generate the corpora after the first frame.
func (a *app) startDemoVendors(ctx context.Context, opts mock.Options, waits []*waitSource, ahead bool, asked <-chan struct{}) {
	if demoCorpusHold != nil {
		demoCorpusHold(ctx)
	}
	if ahead {
		// Not before a tab asks (its first page is on its way, the first frame out): the
		// corpus would take a core from the start of the TUI, and its garbage slows it.
		select {
		case <-asked:
		case <-ctx.Done():
			return
		}
	}
	servers, err := mock.StartLazy(ctx, "127.0.0.1:0", opts)
	if err != nil {
		err = fmt.Errorf("start the mock servers: %w", err)
		for _, w := range waits {
			if w != nil {
				w.resolve(nil, err)
			}
		}
		return
	}
	for i, ep := range mockEndpoints(servers) { // mock.StartLazy closes them when ctx ends
		if i < len(waits) && waits[i] != nil {
			waits[i].resolve(a.newSource(ep.source, ep.secret))
		}
		if ahead && ctx.Err() == nil {
			servers.Generate(ep.vendor.Kind)
		}
	}
}
