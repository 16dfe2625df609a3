#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# golden.sh - every command's output, byte for byte: stdout, stderr and the
# exit code of ../oomtrace over a wide matrix of commands and options on the
# fixture snapshots, compared with what golden/ recorded. It pins the
# behaviour so that the code can be reorganised without changing it.
#
#   ./golden.sh            compare with golden/ (run by make test)
#   ./golden.sh --record   write golden/ anew from the current binary
#                          (only when an output change is meant: say why in
#                          the commit)
#
# Run from tools/tests. One file per group in golden/; each case is
# "### oomtrace ARGS", its stdout, "--- stderr", its stderr, "--- exit N".
# Only top's clock and a fresh snapshot's timestamp are masked.
set -eu

cd "$(dirname "$0")"
BIN=../oomtrace
GOLD=golden
RECORD=0
[ "${1:-}" = --record ] && RECORD=1
[ -x "$BIN" ] || { echo "golden: $BIN not built" >&2; exit 1; }

OUT=tmp/golden
rm -rf tmp
mkdir -p "$OUT"
export LC_ALL=C
# The live system is always a fixture: a loaded module must not change the outputs.
DEFAULT_PROC=fixtures/noproc
# And so are its slab caches' reclaimability (/sys/kernel/slab).
export OOMTRACE_SYS=fixtures/sys
F=fixtures

group=
ncases=0

# One case: [PROC=dir] [MASK=top|snap] oomtrace ARGS... (globals, reset after each)
PROC=$DEFAULT_PROC
MASK=

mask() {
	case $MASK in
	top) sed -E 's/^oomtrace top - [0-9]{2}:[0-9]{2}:[0-9]{2}/oomtrace top - HH:MM:SS/' "$1" ;;
	snap) sed -E 's/[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z/YYYY-MM-DDTHH:MM:SSZ/' "$1" ;;
	esac
}

case_() {
	ncases=$((ncases + 1))
	{
		printf '### '
		[ "$PROC" != "$DEFAULT_PROC" ] && printf 'OOMTRACE_PROC=%s ' "$PROC"
		printf 'oomtrace %s\n' "$*"
	} >>"$OUT/$group.txt"
	rc=0
	# Straight into the group file unless masked: a process less per case.
	if [ -z "$MASK" ]; then
		OOMTRACE_PROC=$PROC "$BIN" "$@" </dev/null >>"$OUT/$group.txt" 2>"$OUT/stderr" || rc=$?
	else
		OOMTRACE_PROC=$PROC "$BIN" "$@" </dev/null >"$OUT/stdout" 2>"$OUT/stderr" || rc=$?
		mask "$OUT/stdout" >>"$OUT/$group.txt"
	fi
	echo "--- stderr" >>"$OUT/$group.txt"
	[ -s "$OUT/stderr" ] && cat "$OUT/stderr" >>"$OUT/$group.txt"
	echo "--- exit $rc" >>"$OUT/$group.txt"
	PROC=$DEFAULT_PROC
	MASK=
}

# A note in the group file (what a shell check found).
note() {
	echo "### note: $*" >>"$OUT/$group.txt"
}

TABLE_VARIANTS='
-
--bytes
--json
--prom
-n 2
-n 1 --bytes
--sort name
--sort ALLOCS -n 3
--sort live
--sort objsize
--sort vmalloc_bytes --json
--sort nope
-m leaker
--module drbd --bytes
-m drbd --json
-m drbd --prom
-m [kernel] -n 2
-m nosuch
-m nosuch --json
'
EVENT_VARIANTS='
-
--bytes
--json
--prom
-n 1
--sort live_bytes
--sort name
--sort GROWTH
--sort delta_bytes -n 2 --bytes
--sort nope
-m leaker
-m drbd --json
-m leaker -n 1 --bytes
-m nosuch
'
STATUS_VARIANTS='
-
--bytes
--json
--prom
'
REPORT_VARIANTS='
-
--bytes
--json
--prom
-n 2
-n 1 --json
-n 3 --prom
-n 1 --bytes
-m leaker
'

# Each variant of a list (one a line, "-": none) for CMD on DIR.
variants() {
	cmd=$1 dir=$2 list=$3
	while read -r v; do
		[ -n "$v" ] || continue
		[ "$v" = - ] && v=
		# shellcheck disable=SC2086 # the variant is a list of words
		case_ "$cmd" --from "$dir" $v
	done <<EOF
$list
EOF
}

# Every listing with every variant, reading DIR.
listings() {
	for cmd in slabs modules callsites; do
		variants $cmd "$1" "$TABLE_VARIANTS"
	done
	variants events "$1" "$EVENT_VARIANTS"
	variants status "$1" "$STATUS_VARIANTS"
	variants report "$1" "$REPORT_VARIANTS"
}

# Where every command stops at the status file: fewer variants do.
ERROR_VARIANTS='
-
--json
--prom
--sort nope
-m leaker
'

# ---- every fixture directory ----
for d in healthy leaking oom real odd minimal lab partial sampled kernel dups junkrows \
	truncated emptytables badheader badevents; do
	group=dir-$d
	: >"$OUT/$group.txt"
	listings "$F/$d"
done
for d in garbage empty badformat noproc proc nonexistent; do
	group=dir-$d
	: >"$OUT/$group.txt"
	for cmd in slabs modules callsites events status report; do
		variants $cmd "$F/$d" "$ERROR_VARIANTS"
	done
done

# ---- the live system (OOMTRACE_PROC): with and without the module ----
for d in proc noproc; do
	group=live-$d
	: >"$OUT/$group.txt"
	for cmd in slabs modules callsites events status report; do
		PROC=$F/$d; case_ $cmd
		PROC=$F/$d; case_ $cmd --json
		PROC=$F/$d; case_ $cmd --prom
		PROC=$F/$d; case_ $cmd --bytes -n 2
	done
	PROC=$F/$d; case_ slabs -m drbd
	PROC=$F/$d; case_ diff $F/healthy
	PROC=$F/$d; case_ diff --json $F/healthy
	PROC=$F/$d; case_ diff $F/healthy --from $F/oom
	PROC=$F/$d; MASK=top; case_ top -n 1
	PROC=$F/$d; MASK=top; case_ top -n 2 -d 0.1 --rows 3
done

# ---- diff ----
group="diff"
: >"$OUT/$group.txt"
for pair in healthy:leaking healthy:oom leaking:healthy healthy:odd dups:odd oom:real \
	minimal:lab emptytables:healthy healthy:healthy junkrows:truncated real:real \
	lab:oom odd:dups healthy:partial partial:sampled sampled:healthy healthy:kernel kernel:healthy; do
	a=$F/${pair%%:*}
	b=$F/${pair#*:}
	for v in "" --bytes --json --prom "-n 1" "-n 2 --bytes" "--sort name" \
		"--sort live_bytes" "--sort objects" "--sort GROWTH_objects" "--sort new" \
		"--sort nope" "-n 1 --json" "-n 1 --prom"; do
		# shellcheck disable=SC2086
		case_ diff $v "$a" "$b"
	done
done
case_ diff $F/healthy $F/badformat
case_ diff $F/badformat $F/healthy
case_ diff $F/healthy $F/nonexistent
case_ diff $F/healthy $F/garbage
case_ diff $F/healthy $F/badevents
case_ diff $F/badheader $F/healthy
case_ diff $F/leaking --from $F/healthy
case_ diff --from $F/healthy $F/oom
case_ diff $F/healthy $F/empty
case_ diff $F/emptytables $F/emptytables --json
case_ diff $F/healthy

# ---- top (one-shot and successive tables: stdout is not a terminal) ----
group=top
: >"$OUT/$group.txt"
for d in healthy leaking oom real odd minimal lab partial sampled dups junkrows truncated \
	emptytables; do
	MASK=top; case_ top -n 1 --from $F/$d
	MASK=top; case_ top -n 2 -d 0.1 --from $F/$d --bytes
done
for v in "--rows 1" "--rows 2 --sort name" "--sort growth" "--sort live" "--sort objects" \
	"--sort live_bytes --rows 3" "--sort nope" "--bytes --rows 2"; do
	MASK=top
	# shellcheck disable=SC2086
	case_ top -n 1 --from $F/oom $v
done
MASK=top; case_ top -n 1 --from $F/badformat
MASK=top; case_ top -n 1 --from $F/garbage
MASK=top; case_ top -n 1 --from $F/nonexistent

# ---- command line: help, usage, errors ----
group=cli
: >"$OUT/$group.txt"
case_
case_ --help
case_ -h
case_ help
case_ --version
case_ -V
case_ -V slabs
for c in slabs modules callsites events status top snapshot diff report; do
	case_ help $c
	case_ $c --help
	case_ -h $c
done
case_ help frobnicate
case_ frobnicate
case_ frobnicate --help
case_ slabs --json --prom
case_ slabs -j -p --from $F/healthy
case_ slabs -n 0
case_ slabs -n x
case_ slabs -n -1
case_ slabs -n 3x
case_ slabs -n
case_ slabs extra
case_ slabs --bogus
case_ slabs -Z
case_ slabs --from
case_ slabs --sort
case_ diff
case_ diff a b c
case_ top --json
case_ top --prom
case_ top -d 0
case_ top -d x
case_ top -d 0.05
case_ top -d 86401
case_ top --rows 0
case_ top --rows x
case_ top --delay 0.1 -n 1 --from $F/nonexistent
case_ top --interval 0.1 -n 1 --from $F/nonexistent
case_ snapshot
case_ snapshot --json
case_ snapshot a b
case_ snapshot -o a b
case_ modules -o x
case_ status extra
case_ report extra
case_ events a
case_ -f $F/healthy -b -n 1 -s name modules
case_ --from=$F/healthy --bytes --sort=name --module=drbd callsites
case_ -m drbd slabs -f $F/healthy
case_ modules --from $F/healthy --json --prom
case_ slabs -- --from
case_ -- slabs --from $F/healthy

# ---- snapshot: the files saved, read back ----
group=snapshot
: >"$OUT/$group.txt"
snapcheck() {
	src=$1 dst=$2
	note "files in $dst:" "$(cd "$dst" && echo *)"
	for f in "$dst"/*; do
		n=${f##*/}
		[ "$n" = timestamp ] && continue
		if cmp -s "$f" "$src/$n"; then note "$n: same as $src/$n"; else note "$n: DIFFERS from $src/$n"; fi
	done
	if grep -Eqx '[0-9]+' "$dst/timestamp" &&
		sed -n 2p "$dst/timestamp" | grep -Eqx '[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z' &&
		[ "$(wc -l <"$dst/timestamp")" -eq 2 ]; then
		note "timestamp: seconds and ISO time"
	else
		note "timestamp: MALFORMED"
	fi
}
for d in healthy oom minimal real; do
	case_ snapshot -o tmp/snap-$d --from $F/$d
	snapcheck $F/$d tmp/snap-$d
	MASK=snap; case_ report --from tmp/snap-$d
	MASK=snap; case_ modules --from tmp/snap-$d --json
done
PROC=$F/proc; case_ snapshot tmp/snap-live
note "live:" "$(cd tmp/snap-live && echo *)"
for n in status slabs modules callsites module_slabs events; do
	if cmp -s tmp/snap-live/$n $F/proc/oomtrace/$n; then note "$n: same"; else note "$n: DIFFERS"; fi
done
for n in meminfo slabinfo vmallocinfo; do
	if cmp -s tmp/snap-live/$n $F/proc/$n; then note "$n: same"; else note "$n: DIFFERS"; fi
done
MASK=snap; case_ report --from tmp/snap-live
case_ snapshot -o tmp/snap-again/deeper/dir --from $F/healthy
case_ snapshot -o tmp/snap-healthy --from $F/leaking
snapcheck $F/leaking tmp/snap-healthy
PROC=$F/noproc; case_ snapshot -o tmp/snap-none
if [ -e tmp/snap-none ]; then note "snap-none: created"; else note "snap-none: not created"; fi
case_ snapshot -o tmp/snap-bad --from $F/badformat
case_ snapshot -o tmp/snap-garbage --from $F/garbage
case_ snapshot -o tmp/snap-x --from $F/nonexistent
case_ snapshot -o /dev/null/x --from $F/healthy
case_ snapshot -o tmp/snap-x tmp/snap-y --from $F/healthy

# ---- report --dmesg: the kernel logs of fixtures/dmesg (written by mkdump.sh) ----
group=dmesg
: >"$OUT/$group.txt"
DMESG_VARIANTS='
-
--json
--bytes
-n 2
-n 1 --json
'
for f in "$F"/dmesg/*; do
	while read -r v; do
		[ -n "$v" ] || continue
		[ "$v" = - ] && v=
		case ${f##*/}:$v in
		only-truncated.*:?* | badformat.*:?* | garbage.*:?* | empty.*:?* | binary.*:?*)
			[ "$v" = --json ] || continue ;;	# errors: text and JSON only
		esac
		# shellcheck disable=SC2086 # the variant is a list of words
		case_ report --dmesg "$f" $v
	done <<EOF
$DMESG_VARIANTS
EOF
done
case_ report --dmesg $F/dmesg/nonexistent.log
case_ report --dmesg $F/dmesg
case_ report --dmesg -
case_ report --dmesg=$F/dmesg/cutoff.log -n 1 --bytes
case_ report --dmesg
case_ report --dmesg=
case_ report --dmesg $F/dmesg/oom-dmesg.log --from $F/oom
case_ report --dmesg $F/dmesg/oom-dmesg.log --prom
case_ report --dmesg $F/dmesg/oom-dmesg.log extra
case_ slabs --dmesg $F/dmesg/oom-dmesg.log
case_ diff --dmesg $F/dmesg/oom-dmesg.log $F/oom
PROC=$F/proc; case_ report --dmesg $F/dmesg/real.log
# standard input with something in it
for f in cutoff.log binary.bin; do
	ncases=$((ncases + 1))
	rc=0
	{
		echo "### oomtrace report --dmesg - <$F/dmesg/$f"
		OOMTRACE_PROC=$DEFAULT_PROC "$BIN" report --dmesg - <"$F/dmesg/$f" 2>"$OUT/stderr" ||
			rc=$?
		echo "--- stderr"
		cat "$OUT/stderr"
		echo "--- exit $rc"
	} >>"$OUT/$group.txt"
done

# ---- a full stdout: the write error ----
group=io
: >"$OUT/$group.txt"
for c in "modules --from $F/healthy" "report --from $F/oom" "report --dmesg $F/dmesg/oom-dmesg.log" \
	"--help" "--version"; do
	ncases=$((ncases + 1))
	rc=0
	# shellcheck disable=SC2086
	OOMTRACE_PROC=$DEFAULT_PROC "$BIN" $c >/dev/full 2>"$OUT/stderr" || rc=$?
	{
		echo "### oomtrace $c >/dev/full"
		echo "--- stderr"
		cat "$OUT/stderr"
		echo "--- exit $rc"
	} >>"$OUT/$group.txt"
done

rm -f "$OUT/stdout" "$OUT/stderr"

if [ $RECORD = 1 ]; then
	rm -rf "$GOLD"
	mkdir -p "$GOLD"
	cp "$OUT"/*.txt "$GOLD"/
	echo "golden: recorded $ncases cases in $(find "$GOLD" -name '*.txt' | wc -l) files"
	rm -rf tmp
	exit 0
fi

pass=0 fail=0
for f in "$OUT"/*.txt; do
	n=${f##*/}
	if cmp -s "$f" "$GOLD/$n"; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "golden: $n differs from the recorded output:" >&2
		diff -a -u "$GOLD/$n" "$f" | head -40 >&2 || true
	fi
done
for f in "$GOLD"/*.txt; do
	[ -e "$OUT/${f##*/}" ] && continue
	fail=$((fail + 1))
	echo "golden: $f: no such group any more" >&2
done
echo "golden: $ncases cases in $((pass + fail)) groups"
echo "golden: $pass passed, $fail failed"
[ $fail = 0 ] && rm -rf tmp
[ $fail = 0 ]
