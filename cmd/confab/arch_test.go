package main

import (
	"bytes"
	"os/exec"
	"strings"
	"testing"
)

// module is confab's module path.
const module = "github.com/confab-dev/confab"

// vendorPkgs are the vendor clients and the mock vendors: only cmd wires them in.
var vendorPkgs = []string{"client/moveworks", "client/talkdesk", "client/opendialog", "client/mock"}

// pureClientPkgs do no I/O: they are fed and read by their callers.
var pureClientPkgs = []string{"client/thread", "client/transcript", "client/sanitize", "client/timeexpr", "client/odata"}

// TestImportRules keeps the layering docs/ARCHITECTURE.md describes: cmd → tui → client,
// store; client and store never import Bubble Tea or tui; client imports no vendor and no
// vendor imports another; the mock imports nothing of confab's (so it cannot share its
// validator or decoders); tui reaches vendors only through client.Source; the pure packages
// do no network or process I/O.
func TestImportRules(t *testing.T) {
	out, err := exec.Command("go", "list", "-f", "{{.ImportPath}} {{join .Imports \" \"}}", module+"/...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	imports := map[string][]string{}
	for line := range strings.Lines(string(bytes.TrimSpace(out))) {
		f := strings.Fields(line)
		imports[strings.TrimPrefix(f[0], module+"/")] = f[1:]
	}
	if len(imports) < 10 {
		t.Fatalf("go list found %d packages", len(imports))
	}
	for _, v := range importViolations(imports) {
		t.Error(v)
	}
	// The rules can fail: the graph has the edges the rules are about.
	mustImport := func(pkg, dep string) {
		for _, imp := range imports[pkg] {
			if imp == module+"/"+dep {
				return
			}
		}
		t.Errorf("%s does not import %s: the rules above check a graph that is not confab's", pkg, dep)
	}
	mustImport("cmd/confab", "client/moveworks")
	mustImport("cmd/confab", "tui")
	mustImport("tui", "client")
}

// importViolations lists the edges of imports (package → its imports, confab's packages
// relative to the module) that break the layering.
func importViolations(imports map[string][]string) []string {
	var out []string
	under := func(pkg, dir string) bool { return pkg == dir || strings.HasPrefix(pkg, dir+"/") }
	own := func(imp string) (string, bool) {
		if imp == module {
			return "", true
		}
		return strings.CutPrefix(imp, module+"/")
	}
	isVendor := func(p string) bool {
		for _, v := range vendorPkgs {
			if under(p, v) {
				return true
			}
		}
		return false
	}
	for pkg, imps := range imports {
		for _, imp := range imps {
			dep, mine := own(imp)
			bad := ""
			switch {
			case (under(pkg, "client") || under(pkg, "store")) && (strings.HasPrefix(imp, "charm.land/") || strings.Contains(imp, "charmbracelet/bubbletea")):
				bad = "client and store never import Bubble Tea"
			case !mine:
			case under(dep, "cmd"):
				bad = "nothing imports cmd"
			case (under(pkg, "client") || under(pkg, "store")) && under(dep, "tui"):
				bad = "client and store never import tui"
			case under(pkg, "client") && under(dep, "store"):
				bad = "client never imports store"
			case under(pkg, "client/mock"):
				bad = "the mock imports nothing of confab's: it must not share what it checks"
			case isVendor(dep) && !under(pkg, "cmd") && !(isVendor(pkg) && under(pkg, dep)):
				bad = "only cmd wires vendor packages in; the rest sees client.Source"
			}
			if bad != "" {
				out = append(out, pkg+" imports "+imp+": "+bad)
			}
		}
	}
	for _, p := range pureClientPkgs {
		for _, imp := range imports[p] {
			if imp == "net/http" || imp == "os/exec" || imp == "net" {
				out = append(out, p+" imports "+imp+": it is pure (no network or process I/O)")
			}
		}
	}
	return out
}

// TestImportRulesCatch: each rule fires on a graph that breaks it, and a clean graph passes.
func TestImportRulesCatch(t *testing.T) {
	m := func(p string) string { return module + "/" + p }
	tests := []struct {
		pkg, imp string
		want     string // "" for no violation
	}{
		{"client", "charm.land/bubbletea/v2", "never import Bubble Tea"},
		{"store/config", m("tui/pane"), "never import tui"},
		{"client/thread", m("store/config"), "client never imports store"},
		{"tui", m("cmd/confab"), "nothing imports cmd"},
		{"client/mock", m("client/odata"), "the mock imports nothing"},
		{"tui/pane", m("client/moveworks"), "only cmd wires vendor"},
		{"client", m("client/talkdesk"), "only cmd wires vendor"},
		{"client/talkdesk", m("client/opendialog"), "only cmd wires vendor"},
		{"client/transcript", "net/http", "it is pure"},
		{"cmd/confab", m("client/moveworks"), ""},
		{"tui/pane", m("store/config"), ""},
		{"store/config", m("client"), ""},
		{"client/moveworks", m("client/odata"), ""},
	}
	for _, tc := range tests {
		got := strings.Join(importViolations(map[string][]string{tc.pkg: {tc.imp}}), "; ")
		if tc.want == "" && got != "" || tc.want != "" && !strings.Contains(got, tc.want) {
			t.Errorf("%s → %s: got %q, want %q", tc.pkg, tc.imp, got, tc.want)
		}
	}
}
