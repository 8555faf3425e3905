package mock

import (
	"strings"
	"unicode/utf8"
)

// The hostile corpus (Options.Hostile): text written by strangers at its worst. Every vendor
// generator draws its hostile text from here, so a renderer tested against one vendor's hostile
// records is tested against all of it. The strings are valid JSON once escaped (the mock's
// JSON writer escapes C0 controls as \u00XX); everything else — DEL, C1 controls, bidi
// controls, escape sequences after their ESC — travels raw, as vendors send it.

// HostileLongSize is the size of the long hostile messages: 200 KB.
const HostileLongSize = 200 << 10

// hostileStrings is the catalogue; HostileStrings returns a copy.
var hostileStrings = []string{
	// CSI: clear the screen, home the cursor, colours.
	"\x1b[2J\x1b[H\x1b[31;1mRED ALERT\x1b[0m your screen was cleared",
	// OSC 52: write the clipboard (base64 of "rm -rf ~"), BEL-terminated.
	"copy this \x1b]52;c;cm0gLXJmIH4=\x07 please",
	// OSC 0 and OSC 2: set the window title, BEL- and ST-terminated.
	"\x1b]0;pwned window title\x07title set with OSC 0",
	"\x1b]2;owned\x1b\\title set with OSC 2 and ST",
	// OSC 8 hyperlink to a host that is not what the text says.
	"click \x1b]8;;https://evil.invalid/login\x1b\\https://sso.example.com\x1b]8;;\x1b\\ to sign in",
	// DCS (XTGETTCAP) and APC (kitty graphics), ST-terminated.
	"\x1bP+q544e\x1b\\device control \x1b_Gf=100,a=T;AAAA\x1b\\ application program command",
	// Alternate screen, cursor moves, hidden cursor, a terminal reset.
	"\x1b[?1049h\x1b[10;10Hmoved \x1b[?25lhidden cursor \x1bc reset \x1b[6n report",
	// C0 controls (NUL, BEL, BS, VT, FF, CR, ESC alone), DEL.
	"bell\a back\bspace vtab\v form\ffeed cr\roverwrite nul\x00byte lone-esc\x1b del\x7fete",
	// C1 controls: CSI, OSC, ST, NEL as single code points.
	"c1 csi \u009b2J osc \u009d0;c1 title\u009c nel\u0085 end",
	// Bidi: right-to-left override (an "exe" that reads as "png"), isolates, marks.
	"invoice_\u202egnp.exe\u202c and \u2067isolated \u2066nested\u2069\u2069 \u200frlm \u200elrm \u061calm \u202bembed\u202c",
	// Right-to-left scripts mixed with left-to-right text.
	"مرحبا بالعالم hello שלום עולם 123",
	// Emoji: ZWJ families, flags, skin tones, keycaps, variation selectors.
	"👩‍👩‍👧‍👦 family 🏳️‍🌈 flag 🇯🇵🇫🇷 👍🏽 skin 1️⃣ keycap ❤️ vs16 🧑🏿‍🚀 astronaut",
	// CJK and fullwidth forms, Hangul, halfwidth katakana.
	"日本語の長い文章と中文混合テキスト，全角！ＡＢＣ 한국어 ﾊﾝｶｸ",
	// Combining marks stacked high (zalgo), a decomposed accent.
	"Z\u0334\u0321\u0322\u031b\u0317\u0318\u0319\u031c\u031d\u031e\u031f\u0320\u0300\u0301\u0302\u0303\u0304\u0305ALGO e\u0301\u0301\u0301",
	// Zero-width characters, a BOM, a tag character, the line and paragraph separators.
	"zero\u200bwidth\u200djoin\ufeffbom \U000E0041tag\U000E007F line\u2028sep para\u2029sep",
	// Invalid UTF-8 (the JSON writer turns it into U+FFFD).
	"bad \xff\xfe bytes \xc3( end",
	// Blank lines, tabs, CRLF.
	"line one\n\n\n\tindented\r\n crlf\ttab\t\tend",
	// Markdown and shell look-alikes, for exports.
	"# Heading\n```\n$(rm -rf ~)\n```\n| a | b |\n> quote <script>alert(1)</script> [x](javascript:alert(1))",
	// A long line without spaces.
	strings.Repeat("W", 3000),
	// Empty and whitespace-only.
	"",
	" \t ",
}

// HostileStrings returns the hostile texts: escape sequences (CSI clear screen, OSC 52
// clipboard write, OSC 0/2 title, OSC 8, DCS, APC), C0 and C1 controls, DEL, bidi overrides and
// isolates, RTL scripts, emoji ZWJ sequences, CJK, combining marks, zero-width characters,
// invalid UTF-8, Markdown look-alikes, a 3000-character word, and empty text. The slice is a
// copy; its order is stable.
func HostileStrings() []string { return append([]string(nil), hostileStrings...) }

// HostileString returns hostile text number i, cycling through HostileStrings.
func HostileString(i int) string {
	n := len(hostileStrings)
	return hostileStrings[((i%n)+n)%n]
}

// HostileLong returns a message of exactly size bytes (at least 64) made of the hostile
// strings, one per line, with escape sequences throughout; when lines is false it has no
// line breaks at all.
func HostileLong(size int, lines bool) string {
	size = max(size, 64)
	var b strings.Builder
	b.Grow(size + 64)
	for i := 0; b.Len() < size; i++ {
		s := HostileString(i)
		if !lines {
			s = strings.NewReplacer("\n", " ", "\r", " ", "\u2028", " ", "\u2029", " ").Replace(s)
		}
		b.WriteString(s)
		if lines {
			b.WriteByte('\n')
		} else {
			b.WriteByte(' ')
		}
	}
	return truncateBytes(b.String(), size)
}

// truncateBytes cuts s to at most n bytes on a rune boundary, then pads it with 'x' to exactly n.
func truncateBytes(s string, n int) string {
	if len(s) <= n {
		return s + strings.Repeat("x", n-len(s))
	}
	cut := n
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + strings.Repeat("x", n-cut)
}
