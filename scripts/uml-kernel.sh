#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# User-Mode Linux from Debian's linux-source-6.1 (ARCH=um): the kernel as an
# ordinary host process, its code at native speed, for make bench-native
# (tests/lab/host/bench-native.sh). Cached outside the checkout like the debug
# kernel (scripts/debug-kernel.sh): built once per machine and input.
#
#   scripts/uml-kernel.sh          build if needed, then print UML_TREE=DIR
#   scripts/uml-kernel.sh --key    print the cache key only
#
# UML has tracepoints, loadable modules and hostfs. It is not Debian's x86
# kernel where oomtrace's costs are made: no kprobes, no x86 unwinder (stack
# walks scan the stack), and per-CPU operations that are irq-save sequences
# (asm-generic/percpu.h), not single instructions.
#
# Knobs: UML_CACHE [/var/cache/oomtrace/uml], SRC_TAR
#   [/usr/src/linux-source-6.1.tar.xz], JOBS [nproc], NICE [10], KEEP [2].

set -eu

ROOT=$(cd "$(dirname "$0")/.." && pwd)
SAY=uml-kernel
# shellcheck source=scripts/cache-lib.sh
. "$ROOT/scripts/cache-lib.sh"
# Bump when the recipe below changes the result.
RECIPE=2
# SLUB as Debian has it (UML defaults to SLAB).
OPTS="SLUB MODULES MODULE_UNLOAD FTRACE ENABLE_DEFAULT_TRACERS STACKTRACE KALLSYMS KALLSYMS_ALL"
SRC_TAR=${SRC_TAR:-/usr/src/linux-source-6.1.tar.xz}
CACHE=${UML_CACHE:-/var/cache/oomtrace/uml}
JOBS=${JOBS:-$(nproc)}
NICE=${NICE:-10}
KEEP=${KEEP:-2}

[ -r "$SRC_TAR" ] || die "$SRC_TAR missing (apt-get install linux-source-6.1; scripts/deps.sh)"
srcver=$(dpkg-query -W -f '${Version}' linux-source-6.1 2>/dev/null) ||
	die "package linux-source-6.1 not installed (scripts/deps.sh)"
key=$(printf 'recipe %s\nsource %s\ncc %s\nopts %s\n' "$RECIPE" "$srcver" \
	"$(gcc --version | head -n 1)" "$OPTS" | sha256sum | cut -c1-16)
if [ "${1:-}" = --key ]; then
	echo "$key"
	exit 0
fi

dir=$CACHE/$key
tree=$dir/linux
log=$dir/build.log
mkdir -p "$dir" || die "cannot create $dir (set UML_CACHE)"
cache_lock "$dir"
if [ -e "$dir/built" ] && [ -x "$tree/linux" ]; then
	touch "$dir/built"
	say "cached: $dir"
	echo "UML_TREE=$tree"
	exit 0
fi

t0=$(date +%s)
say "building $key (linux-source-6.1 $srcver) in $dir; log: $log"
: >"$log"
if [ ! -e "$dir/extracted" ]; then
	rm -rf "$tree" "$tree.tmp"
	mkdir -p "$tree.tmp"
	run tar -C "$tree.tmp" --strip-components=1 -xJf "$SRC_TAR"
	mv "$tree.tmp" "$tree"
	touch "$dir/extracted"
fi
if [ ! -e "$dir/configured" ]; then
	run make -C "$tree" ARCH=um defconfig
	run env -C "$tree" scripts/config -d SLAB
	for o in $OPTS; do
		run env -C "$tree" scripts/config -e "$o"
	done
	run make -C "$tree" ARCH=um olddefconfig
	{
		# shellcheck disable=SC2086 # one word per option
		printf 'CONFIG_%s=y\n' $OPTS TRACEPOINTS
		echo '# CONFIG_SLAB is not set'
	} >"$dir/options.config"
	config_stuck "$tree/.config" "$dir/options.config"
	touch "$dir/configured"
fi
say "make -j$JOBS (nice $NICE; ~15 min on 2 cores)"
run nice -n "$NICE" make -C "$tree" ARCH=um -j"$JOBS" linux modules
touch "$dir/built"
say "built in $(($(date +%s) - t0))s"

find "$CACHE" -mindepth 2 -maxdepth 2 -name built -printf '%T@ %h\n' | cache_prune "$KEEP"
echo "UML_TREE=$tree"
