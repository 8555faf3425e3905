package main

import (
	"fmt"
	"strings"

	"github.com/confab-dev/confab/client"
	"github.com/confab-dev/confab/client/sanitize"
	"github.com/confab-dev/confab/store/config"
	"github.com/confab-dev/confab/store/history"
	"github.com/confab-dev/confab/tui"
)

// filterDeps gives the TUI the saved views and config path of cfg and the filter history
// directory. The demo (cfg nil) keeps its history in memory and cannot save views.
func (a *app) filterDeps(deps *tui.Deps, cfg *config.Config) {
	if cfg == nil {
		return
	}
	deps.ConfigPath = cfg.Path
	for _, v := range cfg.Views {
		deps.Views = append(deps.Views, tui.View{Name: v.Name, Source: v.Source, Filter: v.Filter, Order: v.Order})
	}
	if dir, err := history.Dir(a.getenv); err == nil {
		deps.HistoryDir = dir
	} else if a.logger != nil {
		a.logger.Debug("no filter history", "err", err)
	}
}

// filterCaret is the filter and a caret under the offending position of fe, as the TUI's
// filter bar shows it; "" when fe knows no position.
func filterCaret(filter string, fe *client.FilterError) string {
	if fe == nil || fe.Pos < 0 || strings.ContainsAny(filter, "\n\r") {
		return ""
	}
	col := sanitize.CaretColumn(filter, fe.Pos)
	return fmt.Sprintf("  %s\n  %s^\n", filter, strings.Repeat(" ", col))
}
