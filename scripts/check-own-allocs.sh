#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# check-own-allocs.sh: oomtrace allocates through kvmalloc_node() (a core
# helper the owner walk climbs through) only with ot_kvmalloc_array() and
# ot_single_open_size() (module/lib.h). While such an allocation is in
# flight the owner of every helper allocation is found by a walk; otherwise
# sites.c may decide without one, from a scan of the stack that leaves
# oomtrace's own words out. A bare kvmalloc() or single_open_size() in
# module/ would charge oomtrace's memory to [kernel].

set -eu
cd "$(dirname "$0")/.."

bare=$(grep -nE '\bkv(m|z|c)alloc(_node|_array)?\(|\bkvrealloc\(|\bkvmemdup\(|\bsingle_open_size\(' \
	module/*.c module/*.h |
	grep -v '^module/lib\.h:' || true)
if [ -n "$bare" ]; then
	echo "own-allocs: use ot_kvmalloc_array() or ot_single_open_size() (module/lib.h), not:" >&2
	echo "$bare" >&2
	exit 1
fi
echo "own-allocs: every kvmalloc of oomtrace's own goes through module/lib.h's wrappers"
