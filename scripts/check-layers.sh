#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# check-layers.sh TREE...: every file of TREE (module, tools) calls downward
# only. The layers are the ```layers TREE``` block of docs/design.md, lowest
# first: a line each, the layer's name, then its files' basenames (x stands
# for x.c and x.h). Fails when a file includes a header of a layer above its
# own, when a file (or an included header) is in no layer, or when headers
# include each other in a cycle. Prints "layers TREE: N files, N wrong".

set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DESIGN=$ROOT/docs/design.md

# The layer block of $1, one "layer file..." line each.
layers() {
	awk -v t="$1" '$0 == "```layers " t { on = 1; next } on && /^```/ { on = 0 } on && NF' "$DESIGN"
}

check_tree() {
	tree=$1
	dir=$ROOT/$tree
	map=$(layers "$tree")
	[ -n "$map" ] || {
		echo "layers $tree: no \`\`\`layers $tree\`\`\` block in docs/design.md" >&2
		return 1
	}
	# "file includes header" pairs, the header as a basename (a path such
	# as ../module/format.h counts as format).
	pairs=$(cd "$dir" && awk '/^#include "/ {
			h = $2; gsub(/"/, "", h); sub(/.*\//, "", h); sub(/\.h$/, "", h)
			print FILENAME, h
		}' ./*.[ch] | sed 's|^\./||') || return 1
	printf '%s\n' "$map" | awk -v tree="$tree" -v files="$(cd "$dir" && find . -maxdepth 1 -name '*.[ch]' | sed 's|^\./||' | sort)" \
		-v pairs="$pairs" '
		{ n++; name[n] = $1; for (i = 2; i <= NF; i++) layer[$i] = n }
		function base(f) { sub(/\.[ch]$/, "", f); return f }
		END {
			nf = split(files, fl, "\n")
			for (i = 1; i <= nf; i++) {
				if (!(base(fl[i]) in layer)) {
					printf "layers %s: %s is in no layer (docs/design.md)\n", tree, fl[i] > "/dev/stderr"
					bad++
				}
			}
			np = split(pairs, pl, "\n")
			for (i = 1; i <= np; i++) {
				if (split(pl[i], p, " ") != 2) continue
				f = base(p[1]); h = p[2]
				if (!(h in layer)) {
					printf "layers %s: %s includes %s.h, which is in no layer\n", tree, p[1], h > "/dev/stderr"
					bad++
				} else if ((f in layer) && layer[h] > layer[f]) {
					printf "layers %s: %s (%s) includes %s.h (%s), a layer above it\n", tree, p[1], name[layer[f]], h, name[layer[h]] > "/dev/stderr"
					bad++
				}
				if (p[1] ~ /\.h$/) edge[f] = edge[f] " " h
			}
			# A cycle among headers: depth-first search.
			for (h in edge) {
				for (k in seen) delete seen[k]
				if (cycle(h, h)) {
					printf "layers %s: the headers include each other in a cycle through %s.h\n", tree, h > "/dev/stderr"
					bad++
				}
			}
			printf "layers %s: %d files, %d wrong\n", tree, nf, bad
			exit bad > 0
		}
		# Whether start is reached again from at (seen: visited on this search).
		function cycle(start, at,   k, n, next_) {
			n = split(edge[at], next_, " ")
			for (k = 1; k <= n; k++) {
				if (next_[k] == start) return 1
				if (next_[k] in seen) continue
				seen[next_[k]] = 1
				if (cycle(start, next_[k])) return 1
			}
			return 0
		}'
}

[ $# -gt 0 ] || set -- module tools
rc=0
for t in "$@"; do
	check_tree "$t" || rc=1
done
exit $rc
