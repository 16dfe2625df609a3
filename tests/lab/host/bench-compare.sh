#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/lab/host/bench-compare.sh LOG [DIR]: after make bench, keep the
# "bench: PATTERN base=N floor=N exact=N sampled=N unit=instructions" lines
# of LOG (the guest's serial log, build/lab/bench.clean.log) in
# DIR/KVER.txt [build/bench], the previous run's of the same kernel in
# DIR/KVER.prev.txt, and compare the two: the largest relative difference of
# any figure, and every figure that moved by more than 1%. Instruction
# counts under icount do not depend on the host's load: two runs of one
# tree on one kernel agree within 1% (BENCHMARKS.md). Exit 1 if they do not,
# 2 on a usage error or a log without bench lines; 0 with no previous run.

set -eu

LOG=${1:?usage: bench-compare.sh LOG [DIR]}
DIR=${2:-$(cd "$(dirname "$0")/../../.." && pwd)/build/bench}
kver=$(sed -n 's/^# make bench: .*, 1 vCPU, \([^)]*\)).*/\1/p' "$LOG" | head -n 1)
if [ -z "$kver" ] || ! grep -q '^bench: ' "$LOG"; then
	echo "bench-compare: no make bench output in $LOG" >&2
	exit 2
fi
mkdir -p "$DIR"
cur=$DIR/$kver.txt prev=$DIR/$kver.prev.txt
[ ! -e "$cur" ] || mv "$cur" "$prev"
grep '^bench: ' "$LOG" >"$cur"
echo "bench-compare: this run's lines in ${cur#"$PWD"/}"
if [ ! -e "$prev" ]; then
	echo "bench-compare: no previous run on $kver to compare with"
	exit 0
fi
awk -v kver="$kver" '
	function figures(line, out,   i, n, f, kv) {
		n = split(line, f, " ")
		for (i = 3; i <= n; i++)
			if (split(f[i], kv, "=") == 2 && kv[1] != "unit")
				out[f[2] " " kv[1]] = kv[2]
	}
	NR == FNR { figures($0, old); next }
	{ figures($0, new) }
	END {
		worst = 0; bad = 0
		for (k in new) {
			if (!(k in old)) { printf "bench-compare: %s new (%s)\n", k, new[k]; continue }
			d = old[k] ? (new[k] - old[k]) / old[k] : 0
			if (d < 0) d = -d
			if (d > worst) { worst = d; wk = k }
			if (d > 0.01) {
				printf "bench-compare: %s %s -> %s (%.2f%%)\n", k, old[k], new[k], d * 100
				bad++
			}
		}
		printf "bench-compare: %s: largest difference from the previous run %.2f%% (%s); %d figures over 1%%\n",
			kver, worst * 100, wk, bad
		exit bad ? 1 : 0
	}' "$prev" "$cur"
