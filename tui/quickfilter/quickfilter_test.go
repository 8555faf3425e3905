package quickfilter

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"syscall"
	"testing"

	"github.com/confab-dev/confab/client"
)

var rows = []client.Conversation{
	{ID: "c1", UserID: "u-100", Summary: "Reset my VPN password", Attrs: client.Attrs{{Key: "domain", Value: "IT"}, {Key: "platform", Value: "slack"}}},
	{ID: "c2", UserID: "u-200", Summary: "Vacation days left", Attrs: client.Attrs{{Key: "domain", Value: "HR"}, {Key: "platform", Value: "msteams"}}},
	{ID: "c3", UserID: "u-300", Summary: "", Attrs: client.Attrs{{Key: "domain", Value: "IT"}, {Key: "platform", Value: "msteams"}}},
	{ID: "c4", UserID: "u-VPN", Summary: "Printer jams — 打印机卡纸", Attrs: client.Attrs{{Key: "Country", Value: "United Kingdom"}}},
}

func TestFilter(t *testing.T) {
	tests := []struct {
		query string
		want  []int
	}{
		{"", []int{0, 1, 2, 3}},
		{"vpn", []int{0, 3}},
		{"VPN reset", []int{0}},
		{"!vpn", []int{1, 2}},
		{"it", []int{0, 2, 3}}, // domain IT, and Un·it·ed Kingdom
		{"domain:it", []int{0, 2}},
		{"DOMAIN:it !platform:slack", []int{2}},
		{"user:vpn", []int{3}},
		{"summary:vpn", []int{0}},
		{"id:c2", []int{1}},
		{"country:kingdom", []int{3}},
		{"打印机", []int{3}},
		{"jams —", []int{3}},
		{"nosuchfield:x", nil},
		{"re:^Reset", []int{0}},
		{"re:(?i)^reset|days", []int{0, 1}},
		{"re:msteams$", []int{1, 2}},
		{"re:", []int{0, 1, 2, 3}},
		{"! ", []int{0, 1, 2, 3}}, // a lone "!" is a term: it matches nothing… but "! " trims to "!"
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			m, err := Parse(tt.query)
			if err != nil {
				t.Fatal(err)
			}
			got, err := Filter(context.Background(), rows, m, 0)
			if err != nil {
				t.Fatal(err)
			}
			if tt.query == "! " {
				// "!" alone is a literal term: no row contains "!".
				if len(got) != 0 {
					t.Fatalf("Filter(%q) = %v, want none", tt.query, got)
				}
				return
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("Filter(%q) = %v, want %v", tt.query, got, tt.want)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		query string
		pos   int
		msg   string
	}{
		{"re:(unclosed", 3, "missing closing )"},
		{"  re:a[", 5, "missing closing ]"},
		{"re:*x", 3, "missing argument to repetition operator"},
	}
	for _, tt := range tests {
		_, err := Parse(tt.query)
		e, ok := err.(*Error)
		if !ok {
			t.Fatalf("Parse(%q) err = %v, want *Error", tt.query, err)
		}
		if e.Pos != tt.pos || !strings.Contains(e.Msg, tt.msg) {
			t.Errorf("Parse(%q) = pos %d %q, want pos %d containing %q", tt.query, e.Pos, e.Msg, tt.pos, tt.msg)
		}
	}
}

func TestContainsFoldASCII(t *testing.T) {
	tests := []struct {
		h, n string
		want bool
	}{
		{"Reset my VPN", "vpn", true},
		{"Reset my VPN", "my v", true},
		{"aaab", "ab", true},
		{"AaAb", "ab", true},
		{"abc", "abcd", false},
		{"", "", true},
		{"x", "", true},
		{"ünïcode VPN", "vpn", true},
		{"vp", "vpn", false},
		{"1-2-3", "2-3", true},
		{"KELVIN", "kelvin", true},
	}
	for _, tt := range tests {
		if got := containsFoldASCII(tt.h, tt.n); got != tt.want {
			t.Errorf("containsFoldASCII(%q, %q) = %v", tt.h, tt.n, got)
		}
		if want := strings.Contains(strings.ToLower(tt.h), tt.n); want != tt.want {
			t.Errorf("test case (%q, %q) disagrees with strings.Contains", tt.h, tt.n)
		}
	}
}

func TestFilterParallelKeepsOrderAndBase(t *testing.T) {
	items := corpus(100_000)
	m, _ := Parse("vpn !hr")
	got, err := Filter(context.Background(), items, m, 7)
	if err != nil {
		t.Fatal(err)
	}
	var want []int
	for i := range items {
		if m.Match(&items[i]) {
			want = append(want, i+7)
		}
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("parallel filter differs from a sequential one: %d vs %d rows", len(got), len(want))
	}
	if len(got) == 0 {
		t.Fatal("the corpus should have matches")
	}
}

func TestFilterCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	m, _ := Parse("x")
	if _, err := Filter(ctx, corpus(10), m, 0); err == nil {
		t.Fatal("Filter with a cancelled context succeeded")
	}
}

func corpus(n int) []client.Conversation {
	sums := []string{"Reset my VPN password", "Laptop will not boot after update", "How many vacation days do I have left?", "", "Request access to the finance share", "Printer on floor 3 jams — 打印机卡纸 🖨️"}
	attrs := []client.Attrs{
		{{Key: "domain", Value: "IT"}, {Key: "route", Value: "dm"}, {Key: "platform", Value: "slack"}},
		{{Key: "domain", Value: "HR"}, {Key: "route", Value: "channel"}, {Key: "platform", Value: "msteams"}},
		{{Key: "domain", Value: "Finance"}, {Key: "route", Value: "web"}, {Key: "platform", Value: "slack"}},
	}
	out := make([]client.Conversation, n)
	for i := range out {
		out[i] = client.Conversation{ID: fmt.Sprintf("conv-%07d", i), UserID: fmt.Sprintf("u-%05d", (i*7919)%100000),
			Summary: sums[i%len(sums)], Attrs: attrs[i%len(attrs)]}
	}
	return out
}

// BenchmarkFilter1M narrows 1,000,000 loaded rows with their index, as the TUI does off the
// UI loop (DESIGN: at most 30 ms).
func BenchmarkFilter1M(b *testing.B) {
	benchFilter1M(b, benchQueries)
}

// benchQueries are BenchmarkFilter1M's queries; benchForms BenchmarkFilter1MForms'.
var (
	benchQueries = []string{"vpn", "vpn !hr", "domain:it", "nomatchatall", "re:(?i)vpn", "re:^Reset", "re:[0-9]{5}$"}
	benchForms   = []string{"re:(?i)^reset", "re:password$", "re:^u-0001", "re:[0-9]{5}", "re:\\d{3}-\\d{4}",
		"re:[a-z]+@[a-z]+", "re:(?i)[a-z]{5}", "re:[0-9]", "re:\\b\\d{5}\\b", "re:[A-Z]{3}", "re:\\b[A-Z]{2,}\\b", "re:\\bERR\\d+",
		"summary:vpn", "user:u-0001", "!vpn"}
)

// benchFilter1M runs FilterIndexed over 1,000,000 corpus rows and their index, one
// sub-benchmark per query.
func benchFilter1M(b *testing.B, queries []string) {
	items := corpus(1_000_000)
	x, err := NewIndex(context.Background(), items)
	if err != nil {
		b.Fatal(err)
	}
	for _, q := range queries {
		b.Run(q, func(b *testing.B) {
			m, err := Parse(q)
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			cpu0 := cpuTime()
			for b.Loop() {
				if _, err := FilterIndexed(context.Background(), x, items, m, 0); err != nil {
					b.Fatal(err)
				}
			}
			reportCPU(b, cpu0)
		})
	}
}

// cpuTime is the CPU time the process has used (user and system), in nanoseconds.
func cpuTime() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}

// reportCPU reports the CPU time of the process since cpu0 per op as cpu-ns/op: on a shared
// machine, what the filter cost beside how long it waited for a core.
func reportCPU(b *testing.B, cpu0 int64) {
	b.ReportMetric(float64(cpuTime()-cpu0)/float64(b.N), "cpu-ns/op")
}
