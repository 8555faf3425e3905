package sanitize

import "testing"

var benchInputs = []struct{ name, s string }{
	{"ascii", "Reset my VPN password please, the portal says my account is locked (ticket 4711)"},
	{"cjk_emoji", "VPN 密码重置 👨\u200d👩\u200d👧 请帮忙 🇺🇸 ありがとう e\u0301 👍🏽 한국어 테스트 ✔️"},
	{"hostile", "\x1b]52;c;ZXZpbA==\x07\x1b[2J\x1b]0;pwned\x07ok\u202etxt.exe\x9b31m\u0085\x00\xff line\r\n"},
}

var sink string

func BenchmarkText(b *testing.B) {
	for _, in := range benchInputs {
		b.Run(in.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(in.s)))
			for b.Loop() {
				sink = Text(in.s)
			}
		})
	}
}

func BenchmarkLine(b *testing.B) {
	for _, in := range benchInputs {
		b.Run(in.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(in.s)))
			for b.Loop() {
				sink = Line(in.s)
			}
		})
	}
}

func BenchmarkWidth(b *testing.B) {
	for _, in := range benchInputs {
		b.Run(in.name, func(b *testing.B) {
			b.ReportAllocs()
			n := 0
			for b.Loop() {
				n += Width(in.s)
			}
			_ = n
		})
	}
}

func BenchmarkPad(b *testing.B) {
	for _, in := range benchInputs {
		b.Run(in.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				sink = Pad(in.s, 30)
			}
		})
	}
}
