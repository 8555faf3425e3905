package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/confab-dev/confab/client"
	"github.com/confab-dev/confab/client/merge"
	"github.com/confab-dev/confab/client/moveworks"
	"github.com/confab-dev/confab/client/opendialog"
	"github.com/confab-dev/confab/client/talkdesk"
	"github.com/confab-dev/confab/store/cache"
	"github.com/confab-dev/confab/store/config"
	"github.com/confab-dev/confab/store/secret"
	"github.com/confab-dev/confab/tui"
	"github.com/confab-dev/confab/tui/pane"
)

// The vendors this build supports, one line each, in the order messages name them. Adding a
// vendor is a package that exports a client.Vendor descriptor and a line here.
func init() {
	client.Register(&moveworks.Descriptor)
	client.Register(&talkdesk.Descriptor)
	client.Register(&opendialog.Descriptor)
}

// errUnsupportedKind: the kind is valid in the config but this build has no client for it.
var errUnsupportedKind = errors.New("not supported yet by this version of confab")

// vendor returns the descriptor of kind in the app's registry.
func (a *app) vendor(kind string) (*client.Vendor, bool) {
	return a.registry().Lookup(kind)
}

// registry is the app's registry of vendors: client.Vendors unless a test set another.
func (a *app) registry() *client.Registry {
	if a.vendors != nil {
		return a.vendors
	}
	return client.Vendors
}

// build makes the client of s with its vendor's descriptor. Its errors name the source.
func (a *app) build(v *client.Vendor, s config.Source, secretValue string, opts client.HTTPOptions) (client.Source, error) {
	return v.Open(s.Settings(), client.BuildEnv{Secret: secretValue, HTTP: opts, Now: a.now})
}

// httpOptions are the HTTP options of source s.
func (a *app) httpOptions(s config.Source) client.HTTPOptions {
	opts := client.HTTPOptions{Timeout: s.Timeout, RateLimitWait: s.RateLimitWait, Redactor: a.redactor}
	if a.logger != nil {
		opts.Logger = a.logger.With("source", s.Name)
	}
	if a.tuneHTTP != nil {
		a.tuneHTTP(&opts)
	}
	return opts
}

// newSource builds the client of s with the given secret.
func (a *app) newSource(s config.Source, secretValue string) (client.Source, error) {
	vendor, ok := a.vendor(s.Kind)
	if !ok {
		return nil, &exitError{code: exitFailure, err: errUnsupportedKind,
			what: fmt.Sprintf("source %q: kind %s is %v", s.Name, s.Kind, errUnsupportedKind),
			hint: "use a moveworks source for now, or remove this source from the config"}
	}
	a.redactor.Add(secretValue)
	src, err := a.build(vendor, s, secretValue, a.httpOptions(s))
	if err != nil {
		return nil, &exitError{code: exitFailure, what: err.Error(),
			hint: "check the source in the config ('confab config check')", err: err}
	}
	return src, nil
}

// resolver is the secret resolver, reading the app's environment.
func (a *app) resolver() *secret.Resolver {
	return &secret.Resolver{Keyring: a.keyring, Getenv: a.getenv}
}

// storedSource is a source read from the local store under --offline; Close closes the
// store it opened.
type storedSource struct {
	*cache.Source
	st *cache.Store
}

// Close closes the source's store.
func (s *storedSource) Close() error { return s.st.Close() }

// closeSource closes src when it holds something open (a storedSource's store).
func closeSource(src client.Source) {
	if c, ok := src.(io.Closer); ok {
		_ = c.Close()
	}
}

// openSource resolves the secret of s and builds its client; under --offline it is s's
// rows in the local store instead, and never touches the network. The error is an
// *exitError.
func (a *app) openSource(ctx context.Context, s config.Source) (client.Source, error) {
	if a.offline {
		// Never the network: the source's rows in the local store (what 'confab sync' copied).
		st, err := a.openCache(ctx)
		if err != nil {
			return nil, err
		}
		return &storedSource{Source: cache.NewSource(st, s.Name, s.Kind), st: st}, nil
	}
	if _, ok := a.vendor(s.Kind); !ok {
		return a.newSource(s, "") // reports the unsupported kind before asking for a secret
	}
	value, origin, err := a.resolver().Resolve(ctx, s.Name, s.SecretCommand)
	if err != nil {
		if ctx.Err() != nil {
			return nil, failure(ctx.Err(), "source %q", s.Name)
		}
		// secret.Error's message already says what to do.
		return nil, &exitError{code: exitFailure, what: err.Error(), err: err}
	}
	if a.logger != nil {
		a.logger.Debug("secret resolved", "source", s.Name, "origin", string(origin))
	}
	return a.newSource(s, value)
}

// openConfigured loads the config and opens its source named name: the source's
// configuration and its client. The error is an *exitError.
func (a *app) openConfigured(ctx context.Context, name string) (config.Source, client.Source, error) {
	cfg, err := a.loadConfig()
	if err != nil {
		return config.Source{}, nil, err
	}
	sc, err := configSource(cfg, name)
	if err != nil {
		return config.Source{}, nil, err
	}
	src, err := a.openSource(ctx, sc)
	return sc, src, err
}

// tabs builds one TUI tab per configured source and one per saved view. A source that cannot
// be opened (missing secret, unsupported kind) becomes a tab that shows the problem; the other
// tabs still work. Secrets are resolved concurrently, as keyring calls may be slow. With a
// store (st, nil for none) each tab is cache-first (tuistore.go); under --offline the store
// is its only source and no secret is resolved.
func (a *app) tabs(ctx context.Context, cfg *config.Config, st *cache.Store) []tui.Tab {
	tabs := make([]tui.Tab, len(cfg.Sources))
	var wg sync.WaitGroup
	for i, s := range cfg.Sources {
		wg.Go(func() {
			tab := tui.Tab{Name: s.Name, Kind: s.Kind, Query: client.Query{Filter: s.Filter, PageSize: s.PageSize}}
			local := a.localOf(ctx, st, s.Name, s.Kind, s.Filter)
			if a.offline {
				tabs[i] = offlineTab(tab, local)
				return
			}
			tab.Source, tab.Err = a.openSource(ctx, s)
			if tab.Err == nil {
				tab.Local = local
			}
			tabs[i] = tab
		})
	}
	wg.Wait()
	all, hasAll := a.allTab(tabs, st)
	for _, v := range cfg.Views {
		for _, t := range tabs[:len(cfg.Sources)] {
			if t.Name != v.Source {
				continue
			}
			q := t.Query
			q.Filter = v.Filter
			if v.Order == "oldest" {
				q.Order = client.OldestFirst
			}
			tabs = append(tabs, tui.Tab{Name: v.Name, Kind: t.Kind, Source: t.Source, Query: q, Err: t.Err, Local: t.Local})
		}
	}
	if hasAll {
		tabs = append(tabs, all)
	}
	return tabs
}

// allTabName is the All tab's title.
const allTabName = "All"

// allTab is the All tab over the source tabs given (not saved views): the conversations of
// every source that opened (tabs with Err are left out), merged by time (client/merge), each
// listed with its tab's filter and page size. ok is false with fewer than two such sources.
// The TUI puts it last, after the source tabs and the saved views: the sources keep their tab
// numbers (1 is the first source) and the TUI starts on the first source, as before.
//
// This is the one place the All tab's source is made. With a store (st) the tab is
// cache-first like the others: its pages come from every member's stored rows at once
// (cache.NewSource over their names), its refresh walks the merge live and writes each row
// under its own source; under --offline the merge is of the members' stored sources only.
func (a *app) allTab(tabs []tui.Tab, st *cache.Store) (tab tui.Tab, ok bool) {
	var (
		live, stored []client.Source
		names        []string
		synced       time.Time
	)
	for _, t := range tabs {
		if t.Err != nil || t.Source == nil {
			continue
		}
		names = append(names, t.Name)
		live = append(live, merge.WithDefaults(t.Source, t.Query))
		if t.Local != nil {
			stored = append(stored, t.Local.Stored)
			if synced.IsZero() || (!t.Local.Synced.IsZero() && t.Local.Synced.Before(synced)) {
				synced = t.Local.Synced // the All tab is as fresh as its stalest member
			}
		}
	}
	if len(names) < 2 {
		return tui.Tab{}, false
	}
	tab = tui.Tab{Name: allTabName, All: true, Source: merge.New(allTabName, live...)}
	if st != nil {
		// The writes counted like the vendor tabs' (tuiSink): closeTUIStore waits for them.
		tab.Local = &pane.Local{Stored: cache.NewSource(st, allTabName, "", names...), Sink: tuiSink{st, &a.writes},
			Offline: a.offline, Synced: synced}
	}
	if a.offline {
		if len(stored) < 2 {
			return tui.Tab{}, false
		}
		tab.Source = merge.New(allTabName, stored...) // never the network: threads and kinds from the store
	}
	return tab, true
}

// runConfigured opens the TUI on the configured sources.
func (a *app) runConfigured(ctx context.Context) error {
	cfg, err := a.loadConfig()
	if err != nil {
		return err
	}
	if len(cfg.Sources) == 0 {
		return usageError("run 'confab demo' to try confab on mock data, or add a [[source]] to that file ('confab mock --write-config FILE' writes an example; the README shows every setting)",
			"no sources configured in %s", cfg.Path)
	}
	st, warning := a.defaultTUIStore(ctx) // tuistore.go
	if st != nil {
		defer a.closeTUIStore(st)
	} else if a.offline {
		return a.offlineStoreError(warning)
	}
	tabs := a.tabs(ctx, cfg, st)
	if a.logger != nil {
		a.logger.Debug("tui start", "tabs", describeTabs(tabs))
	}
	return a.startTUI(ctx, tabs, cfg, st, warning)
}

// startTUI runs the TUI on tabs; cfg (nil for the demo) gives the saved views, the config
// file new views are saved in, and turns on the filter history; warning ("": none) opens
// the status bar; st (nil: none) is the store ctrl+f searches.
func (a *app) startTUI(ctx context.Context, tabs []tui.Tab, cfg *config.Config, st *cache.Store, warning string) error {
	deps := tui.Deps{Tabs: tabs, Now: a.now, NoColor: a.getenv("NO_COLOR") != "",
		Redact: a.redactor.Redact, Warning: warning, NoMouse: a.noMouse || cfg != nil && cfg.NoMouse}
	a.clipboardDeps(&deps)   // export.go
	a.filterDeps(&deps, cfg) // filter.go
	searchDeps(&deps, st)    // tuisearch.go
	if cfg != nil {
		deps.ClipboardMaxOSC52 = cfg.ClipboardMaxOSC52
	}
	a.consoleDeps(&deps, cfg) // console.go: console_url links
	if err := a.runTUI(ctx, deps); err != nil {
		var pe *tui.PanicError
		if errors.As(err, &pe) {
			return a.crashFailure(pe) // crash.go
		}
		if strings.Contains(strings.ToLower(err.Error()), "tty") {
			return &exitError{code: exitFailure, what: err.Error(), err: err,
				hint: "the TUI needs an interactive terminal; in scripts use 'confab list' and 'confab export'"}
		}
		return failure(err, "")
	}
	return nil
}

// describeTabs summarises the tabs for the debug log.
func describeTabs(tabs []tui.Tab) string {
	var parts []string
	for _, t := range tabs {
		state := "ok"
		if t.Err != nil {
			state = "error"
		}
		parts = append(parts, t.Name+"("+t.Kind+","+state+")")
	}
	return strings.Join(parts, " ")
}
