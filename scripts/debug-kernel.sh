#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The debug lane's kernel: Debian's own linux-source-6.1 built with KASAN,
# kmemleak, lockdep and friends (tests/lab/debug.config), cached outside the
# checkout so that it is built once per machine and per input, not per run.
#
#   scripts/debug-kernel.sh          build if needed, then print the lab's knobs
#   scripts/debug-kernel.sh --key    print the cache key only
#
# Output on stdout, for eval (progress goes to stderr):
#   KDIR=TREE KERNEL=TREE/arch/x86/boot/bzImage KVER=RELEASE MODROOT=ROOT
# KDIR is the built tree (out-of-tree modules build against it), MODROOT the
# staging root of `make modules_install` (lib/modules/KVER), the knobs
# tests/lab/lab.sh already takes.
#
# Patches: tests/lab/debug-patches/*.patch (patch -p1, in name order) fix
# checker reports that are not oomtrace's and would otherwise panic the
# guest under panic_on_warn=1; each says why in its header. Keep them few.
#
# Cache: CACHE/KEY/{linux,modroot,build.log}, KEY = hash of the fragment, the
# patches, the linux-source-6.1 package version, the gcc version and RECIPE
# below. A stamp
# written last marks a finished build: an interrupted one resumes (make is
# incremental), a finished one costs a hash and a stat. Only the newest
# KEEP builds are kept (each is a few GB).
#
# Knobs: DEBUG_KERNEL_CACHE [/var/cache/oomtrace/debug-kernel],
#   DEBUG_CONFIG [tests/lab/debug.config], SRC_TAR [/usr/src/linux-source-6.1.tar.xz],
#   JOBS [nproc], NICE [10] (the machine is shared: builds yield to QEMU runs),
#   KEEP [2].

set -eu

ROOT=$(cd "$(dirname "$0")/.." && pwd)
SAY=debug-kernel
# shellcheck source=scripts/cache-lib.sh
. "$ROOT/scripts/cache-lib.sh"
# Bump when the build recipe below changes in a way that changes the result
# (the fragment, the source and the compiler are hashed anyway).
RECIPE=1
FRAG=${DEBUG_CONFIG:-$ROOT/tests/lab/debug.config}
PATCHES=$ROOT/tests/lab/debug-patches
SRC_TAR=${SRC_TAR:-/usr/src/linux-source-6.1.tar.xz}
CACHE=${DEBUG_KERNEL_CACHE:-/var/cache/oomtrace/debug-kernel}
JOBS=${JOBS:-$(nproc)}
NICE=${NICE:-10}
KEEP=${KEEP:-2}

[ -r "$FRAG" ] || die "no config fragment $FRAG"
[ -r "$SRC_TAR" ] || die "$SRC_TAR missing (apt-get install linux-source-6.1; scripts/deps.sh)"
srcver=$(dpkg-query -W -f '${Version}' linux-source-6.1 2>/dev/null) ||
	die "package linux-source-6.1 not installed (scripts/deps.sh)"
ccver=$(gcc --version | head -n 1)
patches=$(find "$PATCHES" -maxdepth 1 -name '*.patch' 2>/dev/null | LC_ALL=C sort)
# shellcheck disable=SC2086 # one path per line, no spaces in our names
key=$(printf 'recipe %s\nsource %s\ncc %s\n' "$RECIPE" "$srcver" "$ccver" |
	cat - "$FRAG" $patches | sha256sum | cut -c1-16)
if [ "${1:-}" = --key ]; then
	echo "$key"
	exit 0
fi

dir=$CACHE/$key
tree=$dir/linux
modroot=$dir/modroot
log=$dir/build.log
mkdir -p "$dir" || die "cannot create $dir (set DEBUG_KERNEL_CACHE)"

emit() {
	printf 'KDIR=%q\nKERNEL=%q\nKVER=%q\nMODROOT=%q\n' \
		"$tree" "$tree/arch/x86/boot/bzImage" "$(cat "$dir/kver")" "$modroot"
}

cache_lock "$dir"

if [ -e "$dir/built" ] && [ -s "$tree/arch/x86/boot/bzImage" ]; then
	touch "$dir/built" # most recently used, for the pruning below
	say "cached: $dir ($(cat "$dir/kver"))"
	emit
	exit 0
fi

t0=$(date +%s)
say "building $key (linux-source-6.1 $srcver, $ccver) in $dir; log: $log"
: >"$log"

if [ ! -e "$dir/extracted" ]; then
	say "unpacking $SRC_TAR"
	rm -rf "$tree" "$tree.tmp"
	mkdir -p "$tree.tmp"
	run tar -C "$tree.tmp" --strip-components=1 -xJf "$SRC_TAR"
	for p in $patches; do
		say "applying ${p#"$ROOT"/}"
		run patch -d "$tree.tmp" -p1 --forward --batch -i "$p"
	done
	mv "$tree.tmp" "$tree"
	touch "$dir/extracted"
fi

# Configure: x86-64 defconfig, the upstream KVM guest fragment (virtio,
# serial console), then ours; olddefconfig resolves the rest; every line of
# ours must have stuck (config_stuck).
if [ ! -e "$dir/configured" ]; then
	say "configuring"
	run make -C "$tree" defconfig kvm_guest.config
	run env -C "$tree" scripts/kconfig/merge_config.sh -m .config "$FRAG"
	run make -C "$tree" olddefconfig
	config_stuck "$tree/.config" "$FRAG"
	touch "$dir/configured"
fi

say "make -j$JOBS bzImage modules (nice $NICE; ~10 min on 2 cores)"
run nice -n "$NICE" make -C "$tree" -j"$JOBS" bzImage modules
kver=$(make -s -C "$tree" kernelrelease)
rm -rf "$modroot"
run make -C "$tree" INSTALL_MOD_PATH="$modroot" modules_install
[ -e "$modroot/lib/modules/$kver/modules.dep" ] || die "modules_install left no modules.dep"
echo "$kver" >"$dir/kver"
touch "$dir/built"
say "built $kver in $(($(date +%s) - t0))s"

# Prune: keep the KEEP most recently used finished builds (this one
# included).
find "$CACHE" -mindepth 2 -maxdepth 2 -name built -printf '%T@ %h\n' | cache_prune "$KEEP"
emit
