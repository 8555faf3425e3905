package main

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/websocket"
)

func TestParseArgs(t *testing.T) {
	t.Setenv("TTYD_XTERM_DIR", "/x")
	tests := []struct {
		name string
		args []string
		want options
		err  string
	}{
		{
			name: "as vhs calls it",
			args: []string{"--port=7000", "--interface", "127.0.0.1", "-t", "rendererType=canvas",
				"-t", "disableResizeOverlay=true", "-t", "enableSixel=true", "-t", "customGlyphs=true",
				"--once", "--writable", "bash", "--noprofile", "--norc", "--login", "+o", "history"},
			want: options{port: 7000, iface: "127.0.0.1", once: true, writable: true, xtermDir: "/x",
				clientOpt: clientOptions{"rendererType": "canvas", "disableResizeOverlay": true,
					"enableSixel": true, "customGlyphs": true},
				command: []string{"bash", "--noprofile", "--norc", "--login", "+o", "history"}},
		},
		{
			name: "short flags",
			args: []string{"-p", "0", "-i", "::1", "-o", "-W", "-t", "fontSize=14", "--xterm-dir", "/y", "sh"},
			want: options{port: 0, iface: "::1", once: true, writable: true, xtermDir: "/y",
				clientOpt: clientOptions{"fontSize": float64(14)}, command: []string{"sh"}},
		},
		{name: "version needs no command", args: []string{"--version"},
			want: options{port: 7681, iface: "127.0.0.1", xtermDir: "/x", version: true, clientOpt: clientOptions{}}},
		{name: "no command", args: []string{"--port=1"}, err: "no command"},
		{name: "bad client option", args: []string{"-t", "novalue", "sh"}, err: "want key=value"},
		{name: "bad port", args: []string{"--port=70000", "sh"}, err: "out of range"},
		{name: "unknown flag", args: []string{"--bogus", "sh"}, err: "parse flags"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseArgs(tt.args, io.Discard)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("parseArgs(%q) error = %v, want one containing %q", tt.args, err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatalf("parseArgs(%q): %v", tt.args, err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("parseArgs(%q) =\n%+v\nwant\n%+v", tt.args, got, tt.want)
			}
		})
	}
}

func TestParseArgsNeedsXterm(t *testing.T) {
	t.Setenv("TTYD_XTERM_DIR", "")
	if _, err := parseArgs([]string{"sh"}, io.Discard); err == nil || !strings.Contains(err.Error(), "TTYD_XTERM_DIR") {
		t.Fatalf("parseArgs without xterm.js: error = %v, want one naming TTYD_XTERM_DIR", err)
	}
}

func TestParseOptionValue(t *testing.T) {
	tests := []struct {
		in   string
		want any
	}{
		{"true", true}, {"false", false}, {"14", float64(14)}, {"1.5", 1.5},
		{"canvas", "canvas"}, {"", ""}, {"1e", "1e"}, {"0x10", "0x10"},
	}
	for _, tt := range tests {
		if got := parseOptionValue(tt.in); got != tt.want {
			t.Errorf("parseOptionValue(%q) = %#v, want %#v", tt.in, got, tt.want)
		}
	}
}

func TestRenderPage(t *testing.T) {
	page, err := renderPage(clientOptions{"rendererType": "canvas", "evil": "</script><script>alert(1)"})
	if err != nil {
		t.Fatal(err)
	}
	s := string(page)
	for _, want := range []string{`"rendererType":"canvas"`, "window.term = term", "term.fit = ", "term.focus()",
		"new CanvasAddon.CanvasAddon()", `new WebSocket(url, ['tty'])`, `"customGlyphs"`} {
		if !strings.Contains(s, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if strings.Contains(s, "@PREFS@") || strings.Contains(s, "@KEYS@") {
		t.Error("page keeps a placeholder")
	}
	if strings.Count(s, "</script>") != 5 {
		t.Errorf("page has %d </script> tags, want 5: a client option escaped its string", strings.Count(s, "</script>"))
	}
}

// fakeXterm makes a node_modules directory holding empty stand-ins for the page's assets.
func fakeXterm(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for url, rel := range assets {
		p := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("/* "+url+" */"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestNewServerMissingAssets(t *testing.T) {
	_, err := newServer(options{xtermDir: t.TempDir(), command: []string{"sh"}})
	if err == nil || !errors.Is(err, os.ErrNotExist) || !strings.Contains(err.Error(), "npm install") {
		t.Fatalf("newServer over an empty directory: error = %v, want a missing-file error with the npm command", err)
	}
}

func TestHTTPRoutes(t *testing.T) {
	s, err := newServer(options{xtermDir: fakeXterm(t), command: []string{"sh"}})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(s.handler(t.Context()))
	defer ts.Close()
	tests := []struct {
		path, want string
		code       int
	}{
		{"/", "window.term = term", http.StatusOK},
		{"/xterm/xterm.js", "/xterm/xterm.js", http.StatusOK},
		{"/xterm/addon-canvas.js", "/xterm/addon-canvas.js", http.StatusOK},
		{"/token", `"token"`, http.StatusOK},
		{"/xterm/../../etc/passwd", "", http.StatusNotFound},
		{"/nothing", "", http.StatusNotFound},
	}
	for _, tt := range tests {
		req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, ts.URL+tt.path, nil)
		if err != nil {
			t.Fatal(err)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != tt.code || !strings.Contains(string(body), tt.want) {
			t.Errorf("GET %s = %d %.60q, want %d containing %q", tt.path, resp.StatusCode, body, tt.code, tt.want)
		}
	}
}

// dial opens the terminal websocket of ts the way the page does.
func dial(t *testing.T, ts *httptest.Server, origin string, protocol ...string) (*websocket.Conn, error) {
	t.Helper()
	cfg, err := websocket.NewConfig("ws"+strings.TrimPrefix(ts.URL, "http")+"/ws", origin)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Protocol = protocol
	return cfg.DialContext(t.Context())
}

func TestHandshake(t *testing.T) {
	s, err := newServer(options{xtermDir: fakeXterm(t), command: []string{"true"}})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(s.handler(t.Context()))
	defer ts.Close()
	tests := []struct {
		name, origin string
		protocol     []string
		ok           bool
	}{
		{"same origin with tty", ts.URL, []string{"tty"}, true},
		{"no subprotocol", ts.URL, nil, false},
		{"other subprotocol", ts.URL, []string{"chat"}, false},
		{"foreign origin", "http://evil.example", []string{"tty"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			conn, err := dial(t, ts, tt.origin, tt.protocol...)
			if (err == nil) != tt.ok {
				t.Fatalf("dial: error = %v, want success %v", err, tt.ok)
			}
			if conn != nil {
				conn.Close()
			}
		})
	}
}

// session is one client of a test server: it sends ttyd messages and collects output.
type session struct {
	t    *testing.T
	conn *websocket.Conn
	out  strings.Builder
}

func (c *session) send(typ byte, payload string) {
	c.t.Helper()
	if err := websocket.Message.Send(c.conn, append([]byte{typ}, payload...)); err != nil {
		c.t.Fatalf("send %c%s: %v", typ, payload, err)
	}
}

// readUntil reads output messages until the collected output contains want.
func (c *session) readUntil(want string) {
	c.t.Helper()
	for !strings.Contains(c.out.String(), want) {
		var msg []byte
		if err := websocket.Message.Receive(c.conn, &msg); err != nil {
			c.t.Fatalf("waiting for %q: %v; output so far %q", want, err, c.out.String())
		}
		if len(msg) == 0 || msg[0] != msgInput {
			c.t.Fatalf("message %q: want an output message", msg)
		}
		c.out.Write(msg[1:])
	}
}

// startSession runs script under sh in a one-client server and connects to it at 80x24.
func startSession(t *testing.T, writable bool, script string) (*session, *server) {
	t.Helper()
	s, err := newServer(options{xtermDir: fakeXterm(t), once: true, writable: writable,
		command: []string{"sh", "-c", script}})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(s.handler(t.Context()))
	t.Cleanup(ts.Close)
	conn, err := dial(t, ts, ts.URL, "tty")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	// A safety net against a hung bridge, not a measurement.
	if err := conn.SetDeadline(time.Now().Add(20 * time.Second)); err != nil {
		t.Fatal(err)
	}
	init, _ := json.Marshal(initMsg{Columns: 80, Rows: 24})
	if err := websocket.Message.Send(conn, init); err != nil {
		t.Fatal(err)
	}
	return &session{t: t, conn: conn}, s
}

func TestSessionBridgesPTY(t *testing.T) {
	c, s := startSession(t, true,
		`stty size; echo ready; read line; echo "got:$line"; read x; stty size; echo "TERM=$TERM"`)
	c.readUntil("ready")
	if !strings.Contains(c.out.String(), "24 80") {
		t.Errorf("initial size: output %q, want 24 rows 80 columns", c.out.String())
	}
	c.send(msgInput, "hello\r")
	c.readUntil("got:hello")
	c.send(msgResize, `{"columns":132,"rows":40}`)
	c.send(msgInput, "\r")
	c.readUntil("TERM=xterm-256color")
	if !strings.Contains(c.out.String(), "40 132") {
		t.Errorf("after resize: output %q, want 40 rows 132 columns", c.out.String())
	}
	// The command has exited: the server closes the websocket and, with --once, is done.
	var msg []byte
	for {
		if err := websocket.Message.Receive(c.conn, &msg); err != nil {
			if !errors.Is(err, io.EOF) {
				t.Fatalf("after the command exited: %v, want the websocket closed", err)
			}
			break
		}
	}
	select {
	case <-s.done:
	case <-t.Context().Done():
		t.Fatal("server not done after its --once session")
	}
}

func TestSessionReadOnly(t *testing.T) {
	// Without --writable the typed line is dropped; the resize still reaches the command,
	// whose SIGWINCH trap ends it.
	c, _ := startSession(t, false,
		`trap 'stty size; exit 0' WINCH; echo ready; read line; echo "got:$line"`)
	c.readUntil("ready")
	c.send(msgInput, "hello\r")
	c.send(msgResize, `{"columns":100,"rows":30}`)
	c.readUntil("30 100")
	if strings.Contains(c.out.String(), "hello") {
		t.Errorf("read-only session echoed input: %q", c.out.String())
	}
}

func TestRunOnceExits(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	// A cancelled context ends run right after it starts listening.
	if err := run(ctx, options{xtermDir: fakeXterm(t), iface: "127.0.0.1", port: 0, command: []string{"true"}}); err != nil {
		t.Fatalf("run with a cancelled context: %v", err)
	}
}
