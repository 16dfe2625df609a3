#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# make check-compile: oomtrace.ko and the test modules (tests/modules), W=1,
# against each kernel oomtrace supports that this machine can build for:
#
#   6.1     Debian 12's, the lab kernel: the newest installed
#           /lib/modules/6.1.0-*-amd64/build
#   6.12    Debian 13's from bookworm-security: the newest installed
#           /lib/modules/6.12.*+deb12-amd64/build
#   newest  the newest upstream Debian packages (sid's linux-source-X.Y,
#           prepared and cached by scripts/kernel-src.sh)
#
# Each lane builds a fresh copy of the kernel-side sources in
# build/compile/LANE/src (everything recompiles, so every warning shows; the
# checkout keeps its own objects) with make -k, so that one run shows every
# file's errors. Any error or warning, the compiler's or modpost's, fails the
# lane and is printed (the first MAX_LINES; the whole log is
# build/compile/LANE.log).
#
# A tree with no Module.symvers (the newest lane: modules_prepare only, no
# vmlinux) cannot tell which symbols the kernel exports: modpost runs with
# KBUILD_MODPOST_WARN=1 there and its unresolved-symbol warnings are not
# counted (the lane says so). That lane checks compiling, not exports.
#
# Ends with "check-compile: N passed, N failed, N skipped"; exit 1 on any
# failure. Knobs: LANES ["6.1 6.12 newest"], MAX_LINES [40], NICE [10],
# JOBS [nproc].

set -eu

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
LANES=${LANES:-6.1 6.12 newest}
MAX_LINES=${MAX_LINES:-40}
NICE=${NICE:-10}
JOBS=${JOBS:-$(nproc)}
OUT=$ROOT/build/compile
mkdir -p "$OUT"

PASSED=0
FAILED=0
SKIPPED=0
pass() {
	echo "PASS $1"
	PASSED=$((PASSED + 1))
}
skip() {
	echo "SKIP $1 ($2)"
	SKIPPED=$((SKIPPED + 1))
}
fail() {
	echo "FAIL $1 ($2)"
	FAILED=$((FAILED + 1))
}

# newest_headers GLOB: the newest /lib/modules/GLOB/build with a Makefile.
newest_headers() {
	local d
	for d in /lib/modules/$1/build; do
		[ -e "$d/Makefile" ] && echo "$d"
	done | sort -V | tail -n 1
}

# Diagnostics in a Kbuild log: the compiler's (file:line: warning/error),
# the linker's and modpost's (WARNING:/ERROR:), make's own errors ("***",
# but not the "*** [target] Error N" lines that only repeat a failure above).
DIAG='(^|: )(warning|error|fatal error):|^(WARNING|ERROR):|\*\*\*'
CONSEQUENCE='\*\*\* \[.*\] Error [0-9]+$'
ERRORS='(^|: )(fatal )?error:|^ERROR:|\*\*\*'
WARNINGS='(^|: )warning:|^WARNING:'
# Expected without Module.symvers (see the header).
NOSYMVERS='^WARNING: modpost: ("[^"]*" \[.*\] undefined!|suppressed [0-9]+ unresolved symbol warnings|Symbol info of vmlinux is missing)|^WARNING: .*/Module.symvers is missing'

# lane NAME KDIR RELEASE
lane() {
	local name=$1 kdir=$2 rel=$3 src=$OUT/$1/src log=$OUT/$1.log rc=0 t0 ignore='^$'
	local -a extra=()
	t0=$(date +%s)
	if [ ! -e "$kdir/Module.symvers" ]; then
		extra=(KBUILD_MODPOST_WARN=1)
		ignore=$NOSYMVERS
		echo "     note: $rel has no Module.symvers (no vmlinux built): its exports are not checked"
	fi
	rm -rf "$src"
	mkdir -p "$src"
	cp -a Kbuild VERSION module "$src/"
	mkdir -p "$src/tests"
	cp -a tests/modules "$src/tests/"
	# Whatever a build in the checkout left there: not ours to compile.
	find "$src" -type f \( -name '*.o' -o -name '*.ko' -o -name '*.mod' -o -name '*.mod.c' \
		-o -name '.*.cmd' -o -name '.*.d' -o -name modules.order -o -name Module.symvers \) -delete
	{
		echo "=== $name: $rel ($kdir)"
		echo "+ make -C $kdir M=$src modules W=1"
		nice -n "$NICE" make -k -C "$kdir" M="$src" -j"$JOBS" modules W=1 "${extra[@]}" 2>&1 || rc=1
		echo "+ make -C $kdir M=$src/tests/modules modules W=1"
		nice -n "$NICE" make -k -C "$kdir" M="$src/tests/modules" -j"$JOBS" modules W=1 \
			"${extra[@]}" 2>&1 || rc=1
	} >"$log" 2>&1
	# Diagnostics that count, then the numbers.
	grep -E "$DIAG" "$log" | grep -vE "$ignore" | grep -vE "$CONSEQUENCE" |
		sed "s|$src/||g" >"$OUT/$name.diag" || true
	if [ $rc = 0 ] && [ ! -s "$OUT/$name.diag" ]; then
		pass "compile-$name ($rel, $(($(date +%s) - t0))s)"
		return 0
	fi
	fail "compile-$name" "$rel: $(grep -cE "$ERRORS" "$OUT/$name.diag" || true) errors, \
$(grep -cE "$WARNINGS" "$OUT/$name.diag" || true) warnings, make exit $rc"
	# One line per diagnostic, paths relative to the copy; the source lines
	# and notes gcc prints around them are in the log.
	sed 's/^/    /' "$OUT/$name.diag" | head -n "$MAX_LINES"
	echo "    (with gcc's context: ${log#"$ROOT"/})"
}

for l in $LANES; do
	case $l in
	6.1 | 6.12)
		glob='6.1.0-*-amd64'
		[ "$l" = 6.1 ] || glob='6.12.*+deb12-amd64'
		kdir=$(newest_headers "$glob")
		if [ -z "$kdir" ]; then
			skip "compile-$l" "no /lib/modules/$glob/build: scripts/deps.sh"
			continue
		fi
		if ! rel=$(scripts/kdir.sh "$kdir" KDIR 2>"$OUT/$l.log"); then
			fail "compile-$l" "$(head -n 1 "$OUT/$l.log")"
			continue
		fi
		lane "$l" "$kdir" "$rel"
		;;
	newest)
		t0=$(date +%s)
		if ! scripts/kernel-src.sh >"$OUT/kernel-src.env" 2>"$OUT/kernel-src.log"; then
			fail compile-newest "scripts/kernel-src.sh failed"
			tail -n 15 "$OUT/kernel-src.log" | sed 's/^/    /'
			continue
		fi
		KDIR=""
		KVER=""
		eval "$(cat "$OUT/kernel-src.env")"
		echo "     newest kernel: $KVER ($KDIR, $(($(date +%s) - t0))s)"
		lane newest "$KDIR" "$KVER"
		;;
	*)
		skip "compile-$l" "unknown lane (6.1, 6.12, newest)"
		;;
	esac
done

echo "check-compile: $PASSED passed, $FAILED failed, $SKIPPED skipped"
[ $FAILED = 0 ]
