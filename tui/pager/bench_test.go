package pager

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"charm.land/bubbles/v2/viewport"

	"github.com/confab-dev/confab/client/mock"
)

// The anchor of these benchmarks is a stock bubbles viewport showing the same 5 MB message,
// soft-wrapped at the same width: what a pager built the obvious way would cost. The pager
// sanitizes, cuts at Cap and wraps once on open; a keypress styles one screen.

// bigMessage is a 5 MB message like the mock's long one: lines of prose with an emoji and
// Japanese.
var bigMessage = func() string {
	var b strings.Builder
	for i := 0; b.Len() < 5<<20; i++ {
		b.WriteString("Step " + strconv.Itoa(i+1) + ": I tried restarting the laptop, reinstalling the client, switching networks (home Wi-Fi, tethering 📱, the café downstairs) and clearing the keychain; nothing changed. 同じエラーが出ます。\n")
	}
	return b.String()
}()

const benchW, benchH = 120, 40

// benchOpen times opening a pager on c (n bytes): New, SetSize, SetContent and the first View.
func benchOpen(b *testing.B, c Content, n int) {
	b.SetBytes(int64(n))
	for b.Loop() {
		m := New(Styles{}, DefaultKeys())
		m.SetSize(benchW, benchH)
		m.SetContent(c)
		_ = m.View()
	}
}

// BenchmarkOpen is opening the pager on the 5 MB message: SetContent and the first View.
func BenchmarkOpen(b *testing.B) {
	benchOpen(b, Content{Title: "big", Body: bigMessage}, len(bigMessage))
}

// BenchmarkOpenRaw is opening the raw record of the 5 MB message: re-indenting the record
// (all of it: json.Indent validates the whole), cutting, sanitizing and wrapping the head.
func BenchmarkOpenRaw(b *testing.B) {
	raw, err := json.Marshal(map[string]any{"id": "x", "detail": map[string]string{"content": bigMessage}})
	if err != nil {
		b.Fatal(err)
	}
	benchOpen(b, Content{Title: "raw", Body: string(raw), Kind: JSON}, len(raw))
}

// BenchmarkOpenHostile is opening the pager on 5 MB of the mock's hostile text (escape
// sequences, zalgo, emoji sequences, bidi controls): the slowest text to sanitize and wrap.
func BenchmarkOpenHostile(b *testing.B) {
	text := mock.HostileLong(5<<20, true)
	benchOpen(b, Content{Title: "hostile", Body: text}, len(text))
}

// BenchmarkOpenViewport is the anchor: a bubbles viewport's SetContent and first View.
func BenchmarkOpenViewport(b *testing.B) {
	b.SetBytes(int64(len(bigMessage)))
	for b.Loop() {
		vp := viewport.New(viewport.WithWidth(benchW), viewport.WithHeight(benchH-2))
		vp.SoftWrap = true
		vp.SetContent(bigMessage)
		_ = vp.View()
	}
}

// BenchmarkKeypress is one page down and the View that follows, deep in the message.
func BenchmarkKeypress(b *testing.B) {
	m := New(Styles{}, DefaultKeys())
	m.SetSize(benchW, benchH)
	m.SetContent(Content{Title: "big", Body: bigMessage})
	m.ScrollBy(m.Lines() / 2)
	k := press("space")
	up := press("b")
	i := 0
	for b.Loop() {
		if i%2 == 0 {
			m.Update(k)
		} else {
			m.Update(up)
		}
		i++
		_ = m.View()
	}
}

// BenchmarkKeypressViewport is the anchor: a page down in the viewport and its View, at the
// same place in the message.
func BenchmarkKeypressViewport(b *testing.B) {
	benchViewportKeys(b, true)
}

// BenchmarkKeypressViewportNoWrap is the viewport without soft wrap (long lines cut at the
// width, so it shows less of the text): the cheapest a stock viewport gets.
func BenchmarkKeypressViewportNoWrap(b *testing.B) {
	benchViewportKeys(b, false)
}

// benchViewportKeys times a page down or up in a bubbles viewport (soft-wrapped or not)
// halfway down the message, and its View.
func benchViewportKeys(b *testing.B, wrap bool) {
	vp := viewport.New(viewport.WithWidth(benchW), viewport.WithHeight(benchH-2))
	vp.SoftWrap = wrap
	vp.SetContent(bigMessage)
	vp.SetYOffset(vp.TotalLineCount() / 2)
	i := 0
	for b.Loop() {
		if i%2 == 0 {
			vp.PageDown()
		} else {
			vp.PageUp()
		}
		i++
		_ = vp.View()
	}
}
