package main

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// xtermOptionKeys are the ttyd client options that are also xterm.js Terminal options; the
// page passes them to the Terminal constructor. rendererType picks the canvas renderer (VHS
// records from its canvases); the other ttyd-only options are accepted and ignored.
var xtermOptionKeys = []string{"customGlyphs", "cursorBlink", "cursorStyle", "fontFamily",
	"fontSize", "letterSpacing", "lineHeight", "scrollback"}

// pageTemplate is the terminal page. It defines the globals VHS relies on: `term` (the
// Terminal) and `term.fit()`, and focuses the terminal so typed keys reach it.
const pageTemplate = `<!doctype html>
<html>
<head>
<meta charset="utf-8">
<title>ttyd</title>
<link rel="stylesheet" href="xterm/xterm.css">
<style>
html, body { margin: 0; padding: 0; width: 100%; height: 100%; overflow: hidden; background: #000; }
#terminal { width: 100%; height: 100%; }
</style>
</head>
<body>
<div id="terminal"></div>
<script src="xterm/xterm.js"></script>
<script src="xterm/addon-fit.js"></script>
<script src="xterm/addon-canvas.js"></script>
<script src="xterm/addon-unicode11.js"></script>
<script>
(() => {
  const prefs = @PREFS@;
  const xtermKeys = @KEYS@;
  const topts = { allowProposedApi: true };
  for (const k of xtermKeys) if (k in prefs) topts[k] = prefs[k];

  const term = new Terminal(topts);
  const fitAddon = new FitAddon.FitAddon();
  term.loadAddon(fitAddon);
  term.loadAddon(new Unicode11Addon.Unicode11Addon());
  term.unicode.activeVersion = '11';
  term.open(document.getElementById('terminal'));
  if (prefs.rendererType === 'canvas') term.loadAddon(new CanvasAddon.CanvasAddon());
  term.fit = () => fitAddon.fit();
  window.term = term;
  term.fit();
  term.focus();

  const enc = new TextEncoder();
  const dec = new TextDecoder();
  const url = (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host +
    location.pathname.replace(/\/?$/, '/') + 'ws';
  const ws = new WebSocket(url, ['tty']);
  ws.binaryType = 'arraybuffer';
  const send = (type, payload) => {
    if (ws.readyState !== WebSocket.OPEN) return;
    const body = typeof payload === 'string' ? enc.encode(payload) : payload;
    const msg = new Uint8Array(body.length + 1);
    msg[0] = type.charCodeAt(0);
    msg.set(body, 1);
    ws.send(msg);
  };
  ws.onopen = () => {
    ws.send(enc.encode(JSON.stringify({ AuthToken: '', columns: term.cols, rows: term.rows })));
  };
  ws.onmessage = (ev) => {
    const data = new Uint8Array(ev.data);
    if (data.length === 0) return;
    switch (String.fromCharCode(data[0])) {
      case '0': term.write(data.slice(1)); break;
      case '1': document.title = dec.decode(data.subarray(1)); break;
    }
  };
  term.onData((d) => send('0', d));
  term.onBinary((d) => send('0', Uint8Array.from(d, (c) => c.charCodeAt(0))));
  term.onResize(({ cols, rows }) => send('1', JSON.stringify({ columns: cols, rows: rows })));
  window.addEventListener('resize', () => term.fit());
})();
</script>
</body>
</html>
`

// renderPage fills the page with the client options as JSON (encoding/json escapes <, > and
// &, so the values cannot close the script element).
func renderPage(prefs clientOptions) ([]byte, error) {
	p, err := json.Marshal(map[string]any(prefs))
	if err != nil {
		return nil, fmt.Errorf("encode client options: %w", err)
	}
	k, err := json.Marshal(xtermOptionKeys)
	if err != nil {
		return nil, fmt.Errorf("encode option keys: %w", err)
	}
	page := bytes.Replace([]byte(pageTemplate), []byte("@PREFS@"), p, 1)
	return bytes.Replace(page, []byte("@KEYS@"), k, 1), nil
}
