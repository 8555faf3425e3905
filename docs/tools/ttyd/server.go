package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/creack/pty"
	"golang.org/x/net/websocket"
)

// Message types of ttyd's websocket protocol: the first byte of every message after the
// client's initial JSON.
const (
	msgInput  = '0' // client → server: bytes for the terminal; server → client: output
	msgResize = '1' // client → server: {"columns":C,"rows":R}
	msgPause  = '2' // client → server: flow control (ignored here)
	msgResume = '3' // client → server: flow control (ignored here)
)

// assets maps the URL paths the page loads to files under the npm node_modules directory.
var assets = map[string]string{
	"/xterm/xterm.css":          "@xterm/xterm/css/xterm.css",
	"/xterm/xterm.js":           "@xterm/xterm/lib/xterm.js",
	"/xterm/addon-canvas.js":    "@xterm/addon-canvas/lib/addon-canvas.js",
	"/xterm/addon-fit.js":       "@xterm/addon-fit/lib/addon-fit.js",
	"/xterm/addon-unicode11.js": "@xterm/addon-unicode11/lib/addon-unicode11.js",
}

// initMsg is the client's first message: the terminal size to start the command with.
type initMsg struct {
	AuthToken string `json:"AuthToken"`
	Columns   uint16 `json:"columns"`
	Rows      uint16 `json:"rows"`
}

// resizeMsg is the payload of a msgResize message.
type resizeMsg struct {
	Columns uint16 `json:"columns"`
	Rows    uint16 `json:"rows"`
}

// server serves the page, its scripts and the websocket that bridges each client to a
// command running in a pseudo-terminal.
type server struct {
	opts    options
	page    []byte
	files   map[string]string // URL path → file on disk
	served  atomic.Bool       // a client has connected (with --once, the only one)
	done    chan struct{}     // closed when the --once client's session ends
	endOnce sync.Once
}

// newServer checks that xterm.js is where the options say and prepares the page.
func newServer(o options) (*server, error) {
	files := make(map[string]string, len(assets))
	for url, rel := range assets {
		p := filepath.Join(o.xtermDir, filepath.FromSlash(rel))
		if _, err := os.Stat(p); err != nil {
			return nil, fmt.Errorf("xterm.js asset missing (npm install @xterm/xterm@5.5.0 "+
				"@xterm/addon-canvas@0.7.0 @xterm/addon-fit@0.10.0 @xterm/addon-unicode11@0.8.0): %w", err)
		}
		files[url] = p
	}
	page, err := renderPage(o.clientOpt)
	if err != nil {
		return nil, err
	}
	return &server{opts: o, page: page, files: files, done: make(chan struct{})}, nil
}

// handler routes the page, the scripts and the websocket.
func (s *server) handler(ctx context.Context) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		_, _ = w.Write(s.page)
	})
	mux.HandleFunc("GET /token", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"token": ""}`)
	})
	for url, file := range s.files {
		mux.HandleFunc("GET "+url, func(w http.ResponseWriter, r *http.Request) {
			http.ServeFile(w, r, file)
		})
	}
	ws := websocket.Server{
		Handshake: handshake,
		Handler: func(conn *websocket.Conn) {
			if s.opts.once && !s.served.CompareAndSwap(false, true) {
				_ = conn.Close() // ttyd --once serves a single client
				return
			}
			s.served.Store(true)
			if err := s.session(ctx, conn); err != nil {
				fmt.Fprintln(os.Stderr, "ttyd: session:", err)
			}
			if s.opts.once {
				s.endOnce.Do(func() { close(s.done) })
			}
		},
	}
	mux.Handle("GET /ws", ws)
	return mux
}

// handshake accepts only same-origin clients that ask for ttyd's "tty" subprotocol.
func handshake(cfg *websocket.Config, r *http.Request) error {
	origin, err := websocket.Origin(cfg, r)
	if err != nil {
		return fmt.Errorf("bad origin: %w", err)
	}
	if origin != nil && origin.Host != r.Host {
		return fmt.Errorf("cross-origin websocket from %s refused", origin.Host)
	}
	for _, p := range cfg.Protocol {
		if p == "tty" {
			cfg.Protocol = []string{"tty"}
			return nil
		}
	}
	return errors.New(`websocket subprotocol "tty" required`)
}

// session runs the command for one client: it waits for the client's size, starts the
// command in a pseudo-terminal of that size and copies bytes both ways until either side
// ends. Closing the websocket hangs the command up.
func (s *server) session(ctx context.Context, conn *websocket.Conn) error {
	defer conn.Close()
	conn.PayloadType = websocket.BinaryFrame
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	var first []byte
	if err := websocket.Message.Receive(conn, &first); err != nil {
		return fmt.Errorf("read init message: %w", err)
	}
	var init initMsg
	if err := json.Unmarshal(first, &init); err != nil {
		return fmt.Errorf("decode init message: %w", err)
	}

	cmd := exec.CommandContext(ctx, s.opts.command[0], s.opts.command[1:]...)
	cmd.Env = append(os.Environ(), "TERM=xterm-256color")
	cmd.Cancel = func() error {
		// pty.Start makes the command a session leader: hang up its whole process group.
		return syscall.Kill(-cmd.Process.Pid, syscall.SIGHUP)
	}
	cmd.WaitDelay = 2 * time.Second
	ptmx, err := pty.StartWithSize(cmd, winsize(init.Columns, init.Rows))
	if err != nil {
		return fmt.Errorf("start %s: %w", s.opts.command[0], err)
	}
	defer ptmx.Close()

	output := make(chan error, 1)
	go func() {
		output <- pump(ptmx, conn)
		_ = conn.Close() // the command is gone: unblock the input loop
	}()

	inErr := s.input(conn, ptmx)
	cancel()
	_ = ptmx.Close()
	outErr := <-output
	waitErr := cmd.Wait()
	var exit *exec.ExitError
	if errors.As(waitErr, &exit) {
		waitErr = nil // the command's own status is not the bridge's failure
	}
	return errors.Join(ignoreClosed(inErr), ignoreClosed(outErr), waitErr)
}

// input applies the client's messages to the pseudo-terminal until the websocket closes.
func (s *server) input(conn *websocket.Conn, ptmx *os.File) error {
	for {
		var msg []byte
		if err := websocket.Message.Receive(conn, &msg); err != nil {
			return fmt.Errorf("read websocket: %w", err)
		}
		if len(msg) == 0 {
			continue
		}
		switch msg[0] {
		case msgInput:
			if !s.opts.writable {
				continue
			}
			if _, err := ptmx.Write(msg[1:]); err != nil {
				return fmt.Errorf("write pty: %w", err)
			}
		case msgResize:
			var r resizeMsg
			if err := json.Unmarshal(msg[1:], &r); err != nil {
				return fmt.Errorf("decode resize: %w", err)
			}
			if err := pty.Setsize(ptmx, winsize(r.Columns, r.Rows)); err != nil {
				return fmt.Errorf("resize pty: %w", err)
			}
		case msgPause, msgResume:
		}
	}
}

// pump copies the command's output to the client as msgInput messages.
func pump(ptmx io.Reader, conn *websocket.Conn) error {
	buf := make([]byte, 32*1024)
	for {
		n, err := ptmx.Read(buf[1:])
		if n > 0 {
			buf[0] = msgInput
			if werr := websocket.Message.Send(conn, buf[:n+1]); werr != nil {
				return fmt.Errorf("write websocket: %w", werr)
			}
		}
		if err != nil {
			if errors.Is(err, io.EOF) || errors.Is(err, syscall.EIO) {
				return nil // Linux reports the command's exit as EIO on the master
			}
			return fmt.Errorf("read pty: %w", err)
		}
	}
}

// ignoreClosed drops the errors that only say the other side went away first.
func ignoreClosed(err error) error {
	if err == nil || errors.Is(err, io.EOF) || errors.Is(err, net.ErrClosed) || errors.Is(err, os.ErrClosed) ||
		strings.Contains(err.Error(), "use of closed network connection") {
		return nil
	}
	return err
}

// winsize turns a client size into a pty size, with ttyd's 80x24 for missing values.
func winsize(cols, rows uint16) *pty.Winsize {
	if cols == 0 {
		cols = 80
	}
	if rows == 0 {
		rows = 24
	}
	return &pty.Winsize{Cols: cols, Rows: rows}
}

// run serves until ctx ends or, with --once, until the single client's session ends.
func run(ctx context.Context, o options) error {
	s, err := newServer(o)
	if err != nil {
		return err
	}
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", net.JoinHostPort(o.iface, strconv.Itoa(o.port)))
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	sessionCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	srv := &http.Server{Handler: s.handler(sessionCtx), ReadHeaderTimeout: 10 * time.Second}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	fmt.Fprintf(os.Stderr, "ttyd: listening on http://%s\n", ln.Addr())

	select {
	case <-ctx.Done():
	case <-s.done:
	case err := <-served:
		return fmt.Errorf("serve: %w", err)
	}
	cancel()
	shutdown, stop := context.WithTimeout(context.WithoutCancel(ctx), 3*time.Second)
	defer stop()
	if err := srv.Shutdown(shutdown); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("shutdown: %w", err)
	}
	return nil
}
