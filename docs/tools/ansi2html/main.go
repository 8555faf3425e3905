// Command ansi2html turns a terminal screen captured with colours (`tmux capture-pane -e -p`)
// into a self-contained HTML page that a headless browser can photograph: the README's
// pictures are made this way by docs/tools/screenshots.sh.
//
//	ansi2html -cols 140 -title "confab" < screen.ansi > screen.html
//
// It understands the SGR sequences tmux emits (bold, faint, italic, underline, reverse, the
// 16 colours, 256 colours and 24-bit colour) and lays wide characters (CJK, emoji) over two
// cells, so columns line up whatever font the browser picks for them.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"html"
	"io"
	"os"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/mattn/go-runewidth"
)

// style is the SGR state of a cell.
type style struct {
	fg, bg                                  string // CSS colours, "" for the default
	bold, faint, italic, underline, reverse bool
}

func (s style) css(defFg, defBg string) string {
	fg, bg := s.fg, s.bg
	if s.reverse {
		if fg == "" {
			fg = defFg
		}
		if bg == "" {
			bg = defBg
		}
		fg, bg = bg, fg
	}
	var b strings.Builder
	if fg != "" {
		fmt.Fprintf(&b, "color:%s;", fg)
	}
	if bg != "" {
		fmt.Fprintf(&b, "background:%s;", bg)
	}
	if s.bold {
		b.WriteString("font-weight:bold;")
	}
	if s.faint {
		b.WriteString("opacity:.6;")
	}
	if s.italic {
		b.WriteString("font-style:italic;")
	}
	if s.underline {
		b.WriteString("text-decoration:underline;")
	}
	return b.String()
}

// palette16 is a dark theme's 16 ANSI colours (Catppuccin Mocha).
var palette16 = []string{
	"#45475a", "#f38ba8", "#a6e3a1", "#f9e2af", "#89b4fa", "#f5c2e7", "#94e2d5", "#bac2de",
	"#585b70", "#f38ba8", "#a6e3a1", "#f9e2af", "#89b4fa", "#f5c2e7", "#94e2d5", "#a6adc8",
}

func color256(n int) string {
	switch {
	case n < 16:
		return palette16[n]
	case n < 232:
		n -= 16
		lv := func(v int) int {
			if v == 0 {
				return 0
			}
			return 55 + 40*v
		}
		return fmt.Sprintf("#%02x%02x%02x", lv(n/36), lv(n/6%6), lv(n%6))
	default:
		v := 8 + 10*(n-232)
		return fmt.Sprintf("#%02x%02x%02x", v, v, v)
	}
}

// apply applies the parameters of one SGR sequence to s.
func (s *style) apply(params string) {
	if params == "" {
		params = "0"
	}
	ps := strings.FieldsFunc(params, func(r rune) bool { return r == ';' || r == ':' })
	num := func(i int) int {
		if i >= len(ps) {
			return 0
		}
		n, _ := strconv.Atoi(ps[i])
		return n
	}
	for i := 0; i < len(ps); i++ {
		n := num(i)
		switch {
		case n == 0:
			*s = style{}
		case n == 1:
			s.bold = true
		case n == 2:
			s.faint = true
		case n == 3:
			s.italic = true
		case n == 4:
			s.underline = true
		case n == 7:
			s.reverse = true
		case n == 22:
			s.bold, s.faint = false, false
		case n == 23:
			s.italic = false
		case n == 24:
			s.underline = false
		case n == 27:
			s.reverse = false
		case n >= 30 && n <= 37:
			s.fg = palette16[n-30]
		case n >= 90 && n <= 97:
			s.fg = palette16[n-90+8]
		case n >= 40 && n <= 47:
			s.bg = palette16[n-40]
		case n >= 100 && n <= 107:
			s.bg = palette16[n-100+8]
		case n == 39:
			s.fg = ""
		case n == 49:
			s.bg = ""
		case n == 38 || n == 48:
			var c string
			switch num(i + 1) {
			case 5:
				c = color256(num(i + 2))
				i += 2
			case 2:
				c = fmt.Sprintf("#%02x%02x%02x", num(i+2), num(i+3), num(i+4))
				i += 4
			}
			if n == 38 {
				s.fg = c
			} else {
				s.bg = c
			}
		}
	}
}

// convert writes the HTML rendering of the captured screen in to w.
func convert(in io.Reader, w io.Writer, cols int, title, defFg, defBg string) error {
	data, err := io.ReadAll(in)
	if err != nil {
		return fmt.Errorf("read the screen: %w", err)
	}
	out := bufio.NewWriter(w)
	fmt.Fprintf(out, `<!doctype html><html><head><meta charset="utf-8"><title>%s</title><style>
body{margin:0;background:%s}
.term{display:inline-block;padding:14px 18px;background:%s;color:%s;
 font:15px/1.3 "DejaVu Sans Mono","Noto Sans Mono CJK JP","Noto Color Emoji",monospace;white-space:pre}
.w{display:inline-block;width:2ch;text-align:center;overflow:hidden;vertical-align:top}
</style></head><body><div class="term" style="width:%dch">`, html.EscapeString(title), defBg, defBg, defFg, cols)
	var cur style
	lines := strings.Split(strings.TrimRight(string(data), "\n"), "\n")
	for li, line := range lines {
		open := false
		span := func(st style) {
			if open {
				out.WriteString("</span>")
			}
			fmt.Fprintf(out, `<span style="%s">`, st.css(defFg, defBg))
			open = true
		}
		span(cur)
		for i := 0; i < len(line); {
			if line[i] == 0x1b && i+1 < len(line) && line[i+1] == '[' {
				j := i + 2
				for j < len(line) && (line[j] < 0x40 || line[j] > 0x7e) {
					j++
				}
				if j < len(line) && line[j] == 'm' {
					cur.apply(line[i+2 : j])
					span(cur)
				}
				i = j + 1
				continue
			}
			r, size := rune(line[i]), 1
			if r >= 0x80 {
				r, size = utf8.DecodeRuneInString(line[i:])
			}
			i += size
			text := html.EscapeString(string(r))
			if runewidth.RuneWidth(r) == 2 {
				fmt.Fprintf(out, `<span class="w">%s</span>`, text)
			} else {
				out.WriteString(text)
			}
		}
		if open {
			out.WriteString("</span>")
		}
		if li < len(lines)-1 {
			out.WriteString("\n")
		}
	}
	out.WriteString("</div></body></html>\n")
	if err := out.Flush(); err != nil {
		return fmt.Errorf("write the page: %w", err)
	}
	return nil
}

func main() {
	cols := flag.Int("cols", 140, "the screen's width in cells")
	title := flag.String("title", "confab", "the page title")
	fg := flag.String("fg", "#cdd6f4", "the default foreground colour")
	bg := flag.String("bg", "#1e1e2e", "the default background colour")
	flag.Parse()
	if err := convert(os.Stdin, os.Stdout, *cols, *title, *fg, *bg); err != nil {
		fmt.Fprintln(os.Stderr, "ansi2html:", err)
		os.Exit(1)
	}
}
