#!/usr/bin/env bash
# Makes the README's pictures from the program itself, without VHS: runs `confab demo` in a
# private tmux server at the tape's size (140x35 cells), drives it to each state, captures the
# screen with its colours (tmux capture-pane -e), turns that into HTML (ansi2html, in this
# module) and photographs the page with headless Chromium.
#
#   docs/tools/screenshots.sh        # from the repository root; writes docs/*.png
#
# Needs: tmux, chromium (Debian: apt-get install tmux chromium fonts-noto-cjk
# fonts-noto-color-emoji; the fonts draw the corpus's CJK text and emoji). `vhs demo.tape`
# makes the same pictures when VHS can run (it needs ttyd).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
work=$(mktemp -d)
sock="confab-shots-$$"
cleanup() { tmux -L "$sock" kill-server 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
cols=140 rows=35

go build -o "$work/confab" ./cmd/confab
(cd docs/tools && go build -o "$work/ansi2html" ./ansi2html)
browser=$(command -v chromium || command -v chromium-browser || command -v google-chrome)

tmux -L "$sock" -f /dev/null new-session -d -x "$cols" -y "$rows" \
  -e TERM=xterm-256color -e COLORTERM=truecolor -e HOME="$work" "$work/confab" demo
keys() { tmux -L "$sock" send-keys -t 0 "$@"; }
# wait_for REGEX: poll the screen until it matches (20 s at most).
wait_for() {
  for _ in $(seq 200); do
    if tmux -L "$sock" capture-pane -p -t 0 | grep -Eq -- "$1"; then sleep 0.3; return 0; fi
    sleep 0.1
  done
  echo "timed out waiting for /$1/:" >&2; tmux -L "$sock" capture-pane -p -t 0 >&2; exit 1
}
# shot NAME: capture the screen with colours and photograph it as docs/NAME.png.
shot() {
  tmux -L "$sock" capture-pane -e -p -t 0 > "$work/$1.ansi"
  "$work/ansi2html" -cols "$cols" -title "confab demo" < "$work/$1.ansi" > "$work/$1.html"
  # The page is 140ch + padding wide; a cell of 15px DejaVu Sans Mono is about 9x19.5 px.
  "$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars --force-device-scale-factor=1 \
    --window-size=1300,720 --screenshot="$work/$1.full.png" "file://$work/$1.html" 2>/dev/null
  mv "$work/$1.full.png" "docs/$1.png"
  echo "wrote docs/$1.png"
}

wait_for '[0-9,]+ loaded'
keys Enter
wait_for 'esc back'
for _ in 1 2 3 4 5; do keys Down; sleep 0.1; done
wait_for 'Which one is more urgent'
shot list-thread
keys /
wait_for 'enter keep hits'
keys -l vpn
wait_for '/vpn.* 1/[0-9]+'
keys Enter
wait_for 'n/N next/prev'
keys n
wait_for 'n/N next/prev.* 2/[0-9]+'
shot thread-search
keys Enter
wait_for 'lines [0-9]+–[0-9]+ of [0-9]+'
keys o
wait_for 'Raw record · interaction'
shot pager-raw
keys Escape
wait_for 'enter read message'
keys Escape
sleep 0.3
keys Escape
wait_for 'enter open thread'
keys f
wait_for 'enter apply'
keys -l "primary_domain eq"
wait_for 'invalid filter at column [0-9]+'
shot filter-error
keys C-c
