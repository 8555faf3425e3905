#!/usr/bin/env bash
# Renders docs/demo.gif from demo.tape with charmbracelet/vhs on a machine without ttyd
# (Debian 12 does not package it, npm does not ship it). VHS drives ttyd's web page in headless
# Chromium; ./ttyd in this module is a small stand-in for it (a pseudo-terminal bridged over a
# websocket to a page with xterm.js from npm), put on PATH under the name `ttyd`.
#
#   docs/tools/gif.sh        # from anywhere; writes docs/demo.gif
#
# Steps: apt-get install what is missing (ffmpeg, chromium, fonts-jetbrains-mono: VHS's first
# font, whose cell the tape's 140x35 size assumes, fonts-noto-cjk and fonts-noto-color-emoji:
# the corpus's CJK text and emoji); npm install xterm.js into a temporary directory; build
# confab, vhs (this module's tool) and the ttyd stand-in into it; run `vhs demo.tape` from the
# repository root. The tape's Screenshot commands would overwrite the README's PNGs, which
# come from screenshots.sh: they are put back afterwards (KEEP_VHS_SCREENSHOTS=1 keeps VHS's).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
work=$(mktemp -d)
keep="$work/keep"
mkdir -p "$keep" "$work/bin"
mapfile -t shots < <(sed -n 's/^Screenshot[[:space:]]\{1,\}\([^[:space:]]*\).*/\1/p' demo.tape)
restore() {
  if [[ ${KEEP_VHS_SCREENSHOTS:-} != 1 ]]; then
    for s in "${shots[@]}"; do
      if [[ -f "$keep/$s" ]]; then cp "$keep/$s" "$s"; fi
    done
  fi
  rm -rf "$work"
}
trap restore EXIT

# 1. System packages.
missing=()
command -v ffmpeg >/dev/null || missing+=(ffmpeg)
command -v chromium >/dev/null || command -v chromium-browser >/dev/null ||
  command -v google-chrome >/dev/null || missing+=(chromium)
for pkg in fonts-jetbrains-mono fonts-noto-cjk fonts-noto-color-emoji; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
if ((${#missing[@]})); then
  echo "installing: ${missing[*]}"
  if [[ $(id -u) == 0 ]]; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}"
  else
    sudo DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}"
  fi
fi

# 2. xterm.js 5.5 and the addons the stand-in's page loads (canvas: VHS records its layers).
npm install --prefix "$work/xterm" --no-save --no-package-lock --no-audit --no-fund --loglevel=error \
  @xterm/xterm@5.5.0 @xterm/addon-canvas@0.7.0 @xterm/addon-fit@0.10.0 @xterm/addon-unicode11@0.8.0

# 3. Binaries: the tape's `Require confab`, vhs v0.11.0 and the stand-in named ttyd.
go build -o "$work/bin/confab" ./cmd/confab
(cd docs/tools && go build -o "$work/bin/vhs" github.com/charmbracelet/vhs && go build -o "$work/bin/ttyd" ./ttyd)

# 4. Render.
for s in "${shots[@]}"; do
  if [[ -f "$s" ]]; then mkdir -p "$keep/$(dirname "$s")" && cp "$s" "$keep/$s"; fi
done
if [[ $(id -u) == 0 ]]; then export VHS_NO_SANDBOX=1; fi # Chromium refuses its sandbox as root
PATH="$work/bin:$PATH" TTYD_XTERM_DIR="$work/xterm/node_modules" COLORTERM=truecolor \
  vhs demo.tape
echo "wrote docs/demo.gif ($(du -h docs/demo.gif | cut -f1))"
