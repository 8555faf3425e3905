#!/bin/bash
# perf.sh OUTDIR: the run behind docs/PERFORMANCE.md's table (issue 18), every benchmark with
# its anchor, one after the other, each output in OUTDIR/<name>.txt and the load before and
# after each in OUTDIR/log.txt. Run it from the repository root on a quiet machine (about 5
# minutes on the 2-core VM; the demo's needs tmux).
set -u
O=${1:?usage: docs/tools/perf.sh OUTDIR}
mkdir -p "$O"
{ date -u; uptime; nproc; lscpu | grep 'Model name'; git log --oneline -1; } > "$O/machine.txt"
run() {
	local name=$1
	shift
	echo "== $name $(date -u +%T) load $(cut -d' ' -f1 /proc/loadavg)" >> "$O/log.txt"
	"$@" > "$O/$name.txt" 2>&1
	echo "   end $(date -u +%T) load $(cut -d' ' -f1 /proc/loadavg)" >> "$O/log.txt"
}
run thread   go test ./client/thread -run XXX -bench 'BuildFlatten(1M|100k)$' -benchmem -count 5
run filter   go test ./tui/quickfilter -run XXX -bench 'Filter1MStore|FilterAnchors' -benchmem -count 3
run keypress go test ./tui -run XXX -bench 'BenchmarkKeypress$' -benchmem -benchtime 20000x -count 3
run anchors  go test ./tui -run XXX -bench 'BenchmarkKeypressAnchors/list-arabic' -benchmem -benchtime 3000x -count 3
run program  go test ./tui -run XXX -bench BenchmarkProgramKeypress -benchmem -benchtime 1500x -count 3
run holdj    go test ./tui -run XXX -bench BenchmarkPreviewHoldJ -benchtime 3x -count 3
run memory   go test ./tui/internal/rowstore -run XXX -bench BytesPerRow -benchtime 2x -count 1
run demo     go test ./cmd/confab -run XXX -bench DemoStart -benchtime 7x
echo "== done $(date -u +%T)" >> "$O/log.txt"
