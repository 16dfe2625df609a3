#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# layers.sh - tools/ calls downward only: every file of tools/ belongs to
# one layer below, and may include the headers of its own layer and of the
# layers under it, never of one above. A file in no layer fails too, so
# that a new file is placed on purpose. Run by make test.
#
# The layers, lowest first (a line each: the layer, then its files'
# basenames; x stands for x.c and x.h):
LAYERS='
base      array sort units utf8 fileio grid jsonfmt promfmt tty
lex       lex
formats   schema banner table status events meminfo vmalloc dump
snapshot  snap snap_save snap_dump
logic     rows grower entries diff culprit memsum
output    text text_table text_events text_diff text_report json json_doc json_events json_diff json_report prom prom_table prom_status prom_diff
commands  cmd cmd_load cmd_list cmd_status cmd_events cmd_top cmd_snapshot cmd_diff cmd_report
cli       cli
main      oomtrace
'
set -eu
cd "$(dirname "$0")/.."

# The layer (its line number) of a basename; nothing when it has none.
layer_of() {
	echo "$LAYERS" | awk -v m="$1" 'NF { n++; for (i = 2; i <= NF; i++) if ($i == m) print n }'
}
layer_name() {
	echo "$LAYERS" | awk -v n="$1" 'NF && ++k == n { print $1 }'
}

bad=0 files=0
for f in *.c *.h; do
	files=$((files + 1))
	m=${f%.*}
	l=$(layer_of "$m")
	if [ -z "$l" ]; then
		echo "layers: $f is in no layer (add it to tests/layers.sh)" >&2
		bad=$((bad + 1))
		continue
	fi
	# shellcheck disable=SC2013 # header names are single words
	for h in $(sed -n 's/^#include "\(.*\)\.h".*/\1/p' "$f"); do
		hl=$(layer_of "$h")
		if [ -z "$hl" ]; then
			echo "layers: $f includes $h.h, which is in no layer" >&2
			bad=$((bad + 1))
		elif [ "$hl" -gt "$l" ]; then
			echo "layers: $f ($(layer_name "$l")) includes $h.h ($(layer_name "$hl")), a layer above it" >&2
			bad=$((bad + 1))
		fi
	done
done
echo "layers: $files files, $bad wrong"
[ "$bad" = 0 ]
