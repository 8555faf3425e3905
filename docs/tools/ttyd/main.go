// Command ttyd is a small stand-in for tsl0922/ttyd, just enough for charmbracelet/vhs to
// record demo.tape on machines where ttyd is not packaged (Debian 12).
//
// VHS starts it as
//
//	ttyd --port=PORT --interface 127.0.0.1 -t rendererType=canvas -t disableResizeOverlay=true \
//	     -t enableSixel=true -t customGlyphs=true --once --writable bash --noprofile --norc ...
//
// then opens http://localhost:PORT in headless Chromium and drives the page: it waits for the
// global `term` (an xterm.js Terminal with a `fit` method), sets `term.options`, types into
// xterm.js's textarea, reads `term.buffer.active`, and copies frames from the canvas renderer's
// `canvas.xterm-text-layer` and `canvas.xterm-cursor-layer`. This program serves that page,
// runs the command in a pseudo-terminal and bridges the two over a websocket speaking ttyd's
// protocol (subprotocol "tty": the client's first message is JSON with the terminal size, then
// '0'+input and '1'+JSON resize; the server sends '0'+output).
//
// xterm.js is not bundled: the page loads @xterm/xterm 5.5 and its canvas, fit and unicode11
// addons from an npm node_modules directory named by --xterm-dir or $TTYD_XTERM_DIR
// (docs/tools/gif.sh installs them into a temporary directory).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
)

// version is what --version prints; VHS requires ttyd 1.7.2 or later and parses the first
// dotted triple it finds.
const version = "1.7.7"

// options are the command-line settings this stand-in understands (a subset of ttyd's).
type options struct {
	port      int
	iface     string
	once      bool
	writable  bool
	clientOpt clientOptions
	xtermDir  string
	command   []string
	version   bool
}

// clientOptions collects repeated `-t key=value` flags: ttyd's client options, passed to the
// page. Values "true"/"false" become booleans and numbers become numbers, as in ttyd.
type clientOptions map[string]any

func (c clientOptions) String() string {
	parts := make([]string, 0, len(c))
	for k, v := range c {
		parts = append(parts, fmt.Sprintf("%s=%v", k, v))
	}
	return strings.Join(parts, ",")
}

// Set parses one key=value pair.
func (c clientOptions) Set(s string) error {
	k, v, ok := strings.Cut(s, "=")
	if !ok || k == "" {
		return fmt.Errorf("client option %q: want key=value", s)
	}
	c[k] = parseOptionValue(v)
	return nil
}

// parseOptionValue types a client option's value the way ttyd does.
func parseOptionValue(v string) any {
	switch v {
	case "true":
		return true
	case "false":
		return false
	}
	var f float64
	if _, err := fmt.Sscanf(v, "%g", &f); err == nil && fmt.Sprint(f) == v {
		return f
	}
	return v
}

// parseArgs reads ttyd-style flags (long and short forms) followed by the command to run.
func parseArgs(args []string, stderr io.Writer) (options, error) {
	o := options{clientOpt: clientOptions{}}
	fs := flag.NewFlagSet("ttyd", flag.ContinueOnError)
	fs.SetOutput(stderr)
	for _, name := range []string{"port", "p"} {
		fs.IntVar(&o.port, name, 7681, "port to listen on (0 picks a free one)")
	}
	for _, name := range []string{"interface", "i"} {
		fs.StringVar(&o.iface, name, "127.0.0.1", "address to listen on")
	}
	for _, name := range []string{"once", "o"} {
		fs.BoolVar(&o.once, name, false, "accept one client and exit when it disconnects")
	}
	for _, name := range []string{"writable", "W"} {
		fs.BoolVar(&o.writable, name, false, "let the client write to the terminal")
	}
	for _, name := range []string{"client-option", "t"} {
		fs.Var(o.clientOpt, name, "client option key=value (repeatable)")
	}
	for _, name := range []string{"version", "v"} {
		fs.BoolVar(&o.version, name, false, "print the version and exit")
	}
	fs.StringVar(&o.xtermDir, "xterm-dir", os.Getenv("TTYD_XTERM_DIR"),
		"node_modules directory holding @xterm/xterm and its addons (default $TTYD_XTERM_DIR)")
	if err := fs.Parse(args); err != nil {
		return o, fmt.Errorf("parse flags: %w", err)
	}
	if o.version {
		return o, nil
	}
	o.command = fs.Args()
	if len(o.command) == 0 {
		return o, errors.New("no command to run")
	}
	if o.port < 0 || o.port > 65535 {
		return o, fmt.Errorf("port %d out of range", o.port)
	}
	if o.xtermDir == "" {
		return o, errors.New("no xterm.js: pass --xterm-dir or set TTYD_XTERM_DIR to an npm node_modules directory")
	}
	return o, nil
}

func main() {
	o, err := parseArgs(os.Args[1:], os.Stderr)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return
		}
		fmt.Fprintln(os.Stderr, "ttyd:", err)
		os.Exit(2)
	}
	if o.version {
		fmt.Printf("ttyd version %s (confab stand-in)\n", version)
		return
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, o); err != nil {
		fmt.Fprintln(os.Stderr, "ttyd:", err)
		os.Exit(1)
	}
}
