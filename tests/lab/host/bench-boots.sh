#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/lab/host/bench-boots.sh N: make bench's part 1 (tests/lab/bench.sh)
# in N boots, one after the other, then one figure per pattern and
# configuration: the median over the boots of each boot's median. A boot
# draws what a kernel randomises at boot (the slab freelists' order, page
# placement): on 6.12 kmalloc-256 came out in one of two modes from boot to
# boot, 4.7-7.1% apart, with a spread of 0.0-0.6% within each boot.
# Rounds within a boot cannot average that out; boots can.
# Each boot's log is LAB_OUT/boot-I/bench.clean.log [build/lab]; the
# combined log, LAB_OUT/bench.clean.log, holds the first boot's header and
# tables (with N = 1, the whole of that boot's), then, with N > 1, the
# "bench:" lines made of the medians and a table of them, each figure with
# its spread over the boots, (max - min) / median. bench-compare.sh reads
# it as it reads one boot's.

set -eu

N=${1:?usage: bench-boots.sh N}
case $N in
'' | *[!0-9]* | 0) echo "bench-boots: N must be a positive number of boots" >&2; exit 2 ;;
esac
ROOT=$(cd "$(dirname "$0")/../../.." && pwd)
OUT=${LAB_OUT:-$ROOT/build/lab}
mkdir -p "$OUT"

i=1
while [ "$i" -le "$N" ]; do
	echo "bench-boots: boot $i of $N"
	LAB_OUT=$OUT/boot-$i "$ROOT/tests/lab/lab.sh" "$ROOT/tests/lab/bench.sh"
	i=$((i + 1))
done

first=$OUT/boot-1/bench.clean.log
if [ "$N" = 1 ]; then
	cp "$first" "$OUT/bench.clean.log"
	exit 0
fi

{
	grep -v '^bench: ' "$first"
	echo "# make bench over $N boots: per figure the median of the boots' medians, spread"
	echo "# (max - min) / median over the boots"
	for b in $(seq 1 "$N"); do
		grep '^bench: ' "$OUT/boot-$b/bench.clean.log"
	done | awk -v n="$N" '
		function med(k,   m, i, j, t, v) {
			m = cnt[k]
			for (i = 1; i <= m; i++) v[i] = val[k, i]
			for (i = 2; i <= m; i++)
				for (j = i; j > 1 && v[j - 1] > v[j]; j--) {
					t = v[j]; v[j] = v[j - 1]; v[j - 1] = t
				}
			lo[k] = v[1]; hi[k] = v[m]
			return v[int((m + 1) / 2)]
		}
		{
			if (!($2 in seen)) { seen[$2] = 1; order[++np] = $2 }
			for (f = 3; f <= NF; f++) {
				if (split($f, kv, "=") != 2 || kv[1] == "unit") continue
				k = $2 " " kv[1]
				val[k, ++cnt[k]] = kv[2]
				if (!(kv[1] in cseen)) { cseen[kv[1]] = 1; conf[++nc] = kv[1] }
			}
		}
		END {
			printf "# %-16s", "pattern"
			for (c = 1; c <= nc; c++) printf " %9s %6s", conf[c], "spr"
			printf "\n"
			for (p = 1; p <= np; p++) {
				line = "bench: " order[p]
				printf "# %-16s", order[p]
				for (c = 1; c <= nc; c++) {
					k = order[p] " " conf[c]
					m = med(k)
					line = line " " conf[c] "=" m
					printf " %9d %5.1f%%", m, m ? (hi[k] - lo[k]) * 100 / m : 0
				}
				lines[p] = line " unit=instructions"
				printf "\n"
			}
			for (p = 1; p <= np; p++) print lines[p]
		}'
} >"$OUT/bench.clean.log"
grep -A 100 "^# make bench over $N boots" "$OUT/bench.clean.log" | grep -v '^bench: '
