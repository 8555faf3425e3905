package config

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// TestConfigBombsRefused: files that make the TOML decoder allocate gigabytes (long dotted
// keys and headers, deeply nested inline tables and arrays) or are simply huge are refused
// before decoding, quickly and with little memory, with the line and the limit.
func TestConfigBombsRefused(t *testing.T) {
	tests := []struct {
		name, body, want string
	}{
		{"dotted key of 20,000 parts", "[[source]]\nname = \"a\"\n" + strings.Repeat("a.", 20000) + "a = 1\n", ":3: a key or table header has more than 16 dotted parts"},
		{"header of 20,000 parts", "[" + strings.Repeat("a.", 20000) + "a]\n", ":1: a key or table header has more than 16 dotted parts"},
		{"nested inline tables", "x = " + strings.Repeat("{b=", 10000) + "1" + strings.Repeat("}", 10000) + "\n", ":1: values nest deeper than 32 levels"},
		{"nested arrays", "x = [\n" + strings.Repeat("[", 10000) + strings.Repeat("]", 10000) + "]\n", ":2: values nest deeper than 32 levels"},
		{"inline key inside arrays", "x = [{" + strings.Repeat("a.", 40) + "a = 1}]\n", ":1: a key or table header has more than 16 dotted parts"},
		{"larger than 4 MiB", "# " + strings.Repeat("x", MaxFileSize) + "\n", "larger than 4096 KiB"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "config.toml")
			if err := os.WriteFile(path, []byte(tt.body), 0o600); err != nil {
				t.Fatal(err)
			}
			var m0, m1 runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&m0)
			start := time.Now()
			_, err := Load(path)
			took := time.Since(start)
			runtime.ReadMemStats(&m1)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Load = %v, want an error with %q", err, tt.want)
			}
			if alloc := m1.TotalAlloc - m0.TotalAlloc; alloc > 16<<20 {
				t.Errorf("Load allocated %d MB refusing it", alloc>>20)
			}
			if took > 2*time.Second {
				t.Errorf("Load took %s refusing it", took)
			}
		})
	}
}

// TestConfigShapeAcceptsRealConfigs: strings, comments, multi-line strings and arrays with
// brackets, dots and braces inside them are not mistaken for keys or nesting.
func TestConfigShapeAcceptsRealConfigs(t *testing.T) {
	body := `# a comment with [[brackets]] and a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p.q.r.s dots
clipboard_max_osc52 = 524288

[[source]]
name = "mw"
kind = "moveworks"
base_url = "https://a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p.q.r.example.com/export/v1/records"
filter = """
primary_domain eq 'IT' and {{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{
((((((([[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[ a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p.q
"""
timeout = "30s"

[[source]]
name = "td"
kind = "talkdesk"
account = "acme"
client_id = "c"
allowed_hosts = [
  "https://conversations.example.com", # a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p.q.r
  '.example.com',
]
params = { start = "start_date", end = "end.date.a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p.q" }
`
	if p := checkShape("f", []byte(body)); p != nil {
		t.Fatalf("checkShape refused a real config: %v", p)
	}
	if _, err := Parse("f", []byte(body)); err != nil {
		t.Fatalf("Parse: %v", err)
	}
}

// manySources is a valid config of n sources, each with a few keys and a view.
func manySources(n int) []byte {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "[[source]]\nname = \"s%d\"\nkind = \"moveworks\"\nbase_url = \"https://h%d.example.com/x\"\nfilter = \"primary_domain eq 'IT'\"\ntimeout = \"30s\"\n", i, i)
	}
	for i := range n {
		fmt.Fprintf(&b, "[[view]]\nname = \"v%d\"\nsource = \"s%d\"\nfilter = \"x\"\n", i, i)
	}
	return []byte(b.String())
}

// TestManySourcesLoadInLinearTime: 16,000 sources (and as many views) load in well under the
// 15.8 s the quadratic line lookups took. The bound is generous for a noisy machine; the
// benchmark below gives the figure.
func TestManySourcesLoadInLinearTime(t *testing.T) {
	data := manySources(16000)
	start := time.Now()
	cfg, err := Parse("f", data)
	if err != nil {
		t.Fatal(err)
	}
	if len(cfg.Sources) != 16000 {
		t.Fatalf("%d sources", len(cfg.Sources))
	}
	if took := time.Since(start); took > 5*time.Second {
		t.Fatalf("16,000 sources took %s to load", took)
	}
}

func BenchmarkParseSources(b *testing.B) {
	for _, n := range []int{1000, 4000, 16000} {
		data := manySources(n)
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			for b.Loop() {
				if _, err := Parse("f", data); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
