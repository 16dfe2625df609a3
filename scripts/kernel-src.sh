#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The compile lane's kernel: the newest upstream kernel Debian packages
# (sid's linux-source-X.Y, 7.2 today), configured (x86-64 defconfig plus
# scripts/kernel-src.config) and prepared for out-of-tree modules (make
# modules_prepare), cached outside the checkout: fetched and prepared once
# per machine and input, not per run.
#
#   scripts/kernel-src.sh          fetch and prepare if needed, then print the knobs
#   scripts/kernel-src.sh --key    print the cache key only
#
# Output on stdout, for eval (progress goes to stderr):
#   KDIR=TREE KVER=RELEASE
#
# Sid is never added to the system's sources and nothing from it is
# installed: apt runs with a sources list, lists, cache and (empty) dpkg
# status of its own under CACHE/apt-sid, only to download the package, and
# dpkg-deb -x unpacks it. The lists are refreshed when older than REFRESH
# seconds; offline, the last lists are used (with a warning).
#
# Cache: CACHE/apt-sid/ (apt's state), CACHE/linux-X.Y/KEY/{linux,build.log,
# kver}, KEY = hash of RECIPE below, the package and its version, the config
# fragment and the gcc version. Stamps (extracted, configured, prepared)
# written after each stage: an interrupted run resumes at the stage it was
# in, a finished one costs a hash and a stat. The KEEP most recently used
# prepared trees are kept (about 1.5 GB each). A lock per KEY: two runs
# (two worktrees, CI and a developer) share one preparation.
#
# Knobs: KERNEL_SRC_CACHE [/var/cache/oomtrace], KERNEL_SRC_PKG [the newest
#   linux-source-X.Y in the suite], KERNEL_SRC_SUITE [sid],
#   KERNEL_SRC_MIRROR [http://deb.debian.org/debian],
#   KERNEL_SRC_CONFIG [scripts/kernel-src.config], REFRESH [86400],
#   JOBS [nproc], NICE [10] (the machine is shared with QEMU runs), KEEP [2].

set -eu

ROOT=$(cd "$(dirname "$0")/.." && pwd)
SAY=kernel-src
# shellcheck source=scripts/cache-lib.sh
. "$ROOT/scripts/cache-lib.sh"
# Bump when the recipe below changes the result (the source, fragment and
# compiler are hashed anyway).
RECIPE=1
CACHE=${KERNEL_SRC_CACHE:-/var/cache/oomtrace}
SUITE=${KERNEL_SRC_SUITE:-sid}
MIRROR=${KERNEL_SRC_MIRROR:-http://deb.debian.org/debian}
FRAG=${KERNEL_SRC_CONFIG:-$ROOT/scripts/kernel-src.config}
KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg
REFRESH=${REFRESH:-86400}
JOBS=${JOBS:-$(nproc)}
NICE=${NICE:-10}
KEEP=${KEEP:-2}

[ -r "$FRAG" ] || die "no config fragment $FRAG"
[ -r "$KEYRING" ] || die "$KEYRING missing (debian-archive-keyring)"
for c in apt-get apt-cache dpkg-deb flock gcc make bison flex bc; do
	command -v "$c" >/dev/null 2>&1 || die "$c not found (scripts/deps.sh)"
done

# ---- apt, on its own state ---------------------------------------------------
APTDIR=$CACHE/apt-$SUITE
mkdir -p "$APTDIR/lists/partial" "$APTDIR/cache/archives/partial" "$APTDIR/preferences.d" ||
	die "cannot create $APTDIR (set KERNEL_SRC_CACHE)"
printf 'deb [arch=amd64 signed-by=%s] %s %s main\n' "$KEYRING" "$MIRROR" "$SUITE" \
	>"$APTDIR/sources.list"
: >>"$APTDIR/status"
APTOPTS=(
	-o "Dir::Etc::sourcelist=$APTDIR/sources.list" -o Dir::Etc::sourceparts=-
	-o "Dir::State::Lists=$APTDIR/lists" -o "Dir::Cache=$APTDIR/cache"
	-o Dir::Cache::pkgcache=pkgcache.bin -o Dir::Cache::srcpkgcache=srcpkgcache.bin
	-o "Dir::State::status=$APTDIR/status"
	-o Dir::Etc::preferences=/dev/null -o "Dir::Etc::preferencesparts=$APTDIR/preferences.d"
	-o Acquire::Languages=none -o APT::Architectures=amd64
)

exec 8>"$APTDIR.lock"
flock 8
lists=$(find "$APTDIR/lists" -maxdepth 1 -name '*_Packages*' -mmin -$((REFRESH / 60)) 2>/dev/null | head -n 1)
if [ -z "$lists" ]; then
	say "apt-get update ($SUITE, own lists in $APTDIR)"
	if ! apt-get "${APTOPTS[@]}" -q update >"$APTDIR/update.log" 2>&1; then
		tail -n 5 "$APTDIR/update.log" >&2
		compgen -G "$APTDIR/lists/*_Packages*" >/dev/null ||
			die "apt-get update of $SUITE failed and no earlier lists (log: $APTDIR/update.log)"
		say "warning: apt-get update failed: using the lists of $(date -r "$(compgen -G "$APTDIR/lists/*_Packages*" | head -n 1)")"
	elif grep -qE '^(W|E):' "$APTDIR/update.log"; then
		grep -E '^(W|E):' "$APTDIR/update.log" >&2
	fi
fi
if [ -n "${KERNEL_SRC_PKG:-}" ]; then
	pkg=$KERNEL_SRC_PKG
else
	pkg=$(apt-cache "${APTOPTS[@]}" pkgnames linux-source- | grep -E '^linux-source-[0-9]+\.[0-9]+$' |
		sort -V | tail -n 1)
	[ -n "$pkg" ] || die "no linux-source-X.Y in $SUITE's lists"
fi
pkgver=$(apt-cache "${APTOPTS[@]}" show --no-all-versions "$pkg" 2>/dev/null |
	sed -n 's/^Version: //p' | head -n 1)
[ -n "$pkgver" ] || die "$pkg not in $SUITE's lists"
flock -u 8

series=${pkg#linux-source-}
ccver=$(gcc --version | head -n 1)
key=$(printf 'recipe %s\npackage %s %s\ncc %s\n' "$RECIPE" "$pkg" "$pkgver" "$ccver" |
	cat - "$FRAG" | sha256sum | cut -c1-16)
if [ "${1:-}" = --key ]; then
	echo "$key"
	exit 0
fi

dir=$CACHE/linux-$series/$key
tree=$dir/linux
log=$dir/build.log
mkdir -p "$dir" || die "cannot create $dir"

emit() { printf 'KDIR=%q\nKVER=%q\n' "$tree" "$(cat "$dir/kver")"; }

cache_lock "$dir"

if [ -e "$dir/prepared" ] && [ -e "$tree/include/generated/utsrelease.h" ]; then
	touch "$dir/prepared" # most recently used, for the pruning below
	say "cached: $dir ($pkg $pkgver, $(cat "$dir/kver"))"
	emit
	exit 0
fi

t0=$(date +%s)
say "preparing $pkg $pkgver ($ccver) in $dir; log: $log"
echo "=== $(date -u +%FT%TZ) $pkg $pkgver" >>"$log"

if [ ! -e "$dir/extracted" ]; then
	rm -rf "$dir/dl" "$tree" "$tree.tmp"
	mkdir -p "$dir/dl"
	# apt's download sandbox user must be able to write there.
	if id _apt >/dev/null 2>&1; then chown _apt "$dir/dl"; fi
	say "downloading $pkg $pkgver"
	(cd "$dir/dl" && flock 8 && run apt-get "${APTOPTS[@]}" -q download "$pkg=$pkgver") 8>"$APTDIR.lock"
	deb=$(compgen -G "$dir/dl/*.deb" | head -n 1 || true)
	[ -n "$deb" ] || die "apt-get download left no .deb"
	run dpkg-deb -x "$deb" "$dir/dl/pkg"
	tarball=$(compgen -G "$dir/dl/pkg/usr/src/linux-source-*.tar.*" | head -n 1 || true)
	[ -n "$tarball" ] || die "no usr/src/linux-source-*.tar.* in $deb"
	say "unpacking ${tarball##*/}"
	mkdir -p "$tree.tmp"
	run tar -C "$tree.tmp" --strip-components=1 -xf "$tarball"
	mv "$tree.tmp" "$tree"
	rm -rf "$dir/dl"
	touch "$dir/extracted"
fi

# x86-64 defconfig, then the fragment; olddefconfig resolves the rest. A
# fragment line that did not stick would compile oomtrace without code we
# think we check: fail.
if [ ! -e "$dir/configured" ]; then
	say "configuring"
	run make -C "$tree" defconfig
	run env -C "$tree" scripts/kconfig/merge_config.sh -m .config "$FRAG"
	run make -C "$tree" olddefconfig
	config_stuck "$tree/.config" "$FRAG"
	touch "$dir/configured"
fi

if [ ! -e "$dir/prepared" ]; then
	say "make -j$JOBS modules_prepare (nice $NICE)"
	run nice -n "$NICE" make -C "$tree" -j"$JOBS" modules_prepare
	sed -n 's/^#define UTS_RELEASE "\(.*\)"$/\1/p' "$tree/include/generated/utsrelease.h" >"$dir/kver"
	[ -s "$dir/kver" ] || die "no UTS_RELEASE in $tree"
	touch "$dir/prepared"
	say "prepared $(cat "$dir/kver") in $(($(date +%s) - t0))s"
fi

# Prune: keep the KEEP most recently used prepared trees of any series (this
# one included); a tree another run holds the lock of is left alone.
find "$CACHE" -mindepth 3 -maxdepth 3 -path "$CACHE/linux-*/*/prepared" -printf '%T@ %h\n' |
	cache_prune "$KEEP"
emit
