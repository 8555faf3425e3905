package threadview

import (
	"testing"
	"time"

	"github.com/confab-dev/confab/client"
)

// TestSetBuiltIsSetItems: a view given a thread's kept build (SetBuilt) draws and behaves as
// one given the items (SetItems), whatever the view that built it did since (collapsed,
// moved, searched, other items), and a build of other items is not used.
func TestSetBuiltIsSetItems(t *testing.T) {
	named := items()
	named[1].Speaker = "Ana Souza, the agent with a long name"
	threads := []struct {
		name  string
		items []client.Interaction
	}{
		{"small", items()},
		{"deep (depth marker column)", deep(120)},
		{"bushy", bushy()},
		{"named speakers (wider actor column)", named},
	}
	after := []struct {
		name string
		do   func(m *Model)
	}{
		{"nothing", func(*Model) {}},
		{"moved", func(m *Model) { m.Move(3) }},
		{"collapsed", func(m *Model) { m.Move(1); m.Toggle(); m.End() }},
		{"searched", func(m *Model) { m.StartSearch(); typeQuery(m, "o"); m.AcceptSearch() }},
		{"other items", func(m *Model) { m.SetItems(chain(7)) }},
		{"cleared", func(m *Model) { m.Clear() }},
	}
	steps := []func(m *Model){
		func(*Model) {},
		func(m *Model) { m.Move(2) },
		func(m *Model) { m.Toggle() },
		func(m *Model) { m.End(); m.Collapse() },
		func(m *Model) { m.SetSize(50, 12) },
	}
	for _, th := range threads {
		for _, a := range after {
			t.Run(th.name+"/"+a.name, func(t *testing.T) {
				src := New(Styles{}, time.UTC)
				src.SetSize(90, 30)
				src.SetItems(th.items)
				b, ok := src.Built()
				if !ok || !b.Of(th.items) {
					t.Fatal("no build kept after SetItems")
				}
				a.do(src)
				got, want := New(Styles{}, time.UTC), New(Styles{}, time.UTC)
				for _, m := range []*Model{got, want} {
					m.SetSize(90, 30)
					m.SetItems(append([]client.Interaction(nil), th.items...)) // shown before, as a copy
					m.Move(2)
					m.Toggle() // a branch collapsed
				}
				got.SetBuilt(th.items, b)
				want.SetItems(th.items)
				for i, step := range steps {
					step(got)
					step(want)
					if g, w := got.View(true), want.View(true); g != w || got.Cursor() != want.Cursor() || got.Len() != want.Len() {
						t.Fatalf("step %d: from the build:\n%s\nfrom the items:\n%s", i, g, w)
					}
				}
			})
		}
	}
	// A build of other items (or of a copy of them) is not used.
	m := New(Styles{}, time.UTC)
	m.SetSize(90, 30)
	m.SetItems(items())
	b, _ := m.Built()
	other := items()
	if b.Of(other) || b.Of(nil) || (Built{}).Of(other) {
		t.Fatal("a build claims items it was not built from")
	}
	m.SetBuilt(other, b)
	if &m.Items()[0] != &other[0] || m.tree.Item(0) != &other[0] {
		t.Fatal("SetBuilt with another build did not build the items given")
	}
}
