#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Install the Debian packages oomtrace needs to build, check and run its
# QEMU lab. A fast no-op when everything is present (dpkg-query first), so
# `make check` can run it every time. As root on Debian: apt-get update once,
# then apt-get install. Otherwise: print the apt-get line, exit 1 if
# something is missing.
#
# Also extracts /usr/src/linux-source-6.1.tar.xz (for scripts/checkpatch.pl)
# when not yet extracted. The kernel-building line is what building a kernel
# from source needs (make check-debug, scripts/debug-kernel.sh, make
# check-compile); rsync copies the module sources into the debug lane's and
# the compile lane's build directories.
#
# Kernels: Debian 12's 6.1 (linux-image-amd64, linux-headers-amd64: the lab
# kernel) and Debian 13's 6.12 from bookworm-security, which has no
# meta-package: linux-image-6.12.N+deb12-amd64-unsigned and
# linux-headers-6.12.N+deb12-amd64, N the newest the archive has (found with
# apt-cache when no 6.12 image/headers pair is installed; an installed pair
# is kept, apt-get upgrade does not move it either). Plus linux-source-6.12.
# Packaging: dpkg-dev, debhelper, dh-dkms (dh_dkms), build-essential
# (dpkg-checkbuilddeps wants it; dkms itself comes with
# the oomtrace-dkms package). musl-tools: tools/oomtrace-static with musl.
# linux-perf: make bench runs perf bench sched messaging in the guest.
#
# --build: only what building a kernel from source needs
# (scripts/debug-kernel.sh, scripts/kernel-src.sh): CI installs that first
# and starts those builds in the background while the rest installs.

set -eu

BUILD_PACKAGES="
linux-source-6.1 gcc make libc6-dev xz-utils patch
bc bison flex libelf-dev libssl-dev dwarves rsync
"
PACKAGES="
$BUILD_PACKAGES
linux-image-amd64 linux-headers-amd64
qemu-system-x86 busybox-static kmod cpio
sparse shellcheck perl
drbd-utils makedumpfile iproute2 linux-perf
libcmocka-dev valgrind python3
linux-source-6.12 musl-tools
dpkg-dev debhelper dh-dkms build-essential
"
BUILD_ONLY=0
case ${1:-} in
--build) BUILD_ONLY=1 PACKAGES=$BUILD_PACKAGES ;;
"") ;;
*)
	echo "usage: scripts/deps.sh [--build]" >&2
	exit 2
	;;
esac

SRC_TAR=/usr/src/linux-source-6.1.tar.xz
SRC_DIR=/usr/src/linux-source-6.1

# One dpkg-query for all: "name status" lines for the installed ones.
# shellcheck disable=SC2086
installed=$(dpkg-query -W -f '${Package} ${db:Status-Status}\n' $PACKAGES 2>/dev/null |
	awk '$2 == "installed" { print $1 }' || true)
missing=""
for p in $PACKAGES; do
	echo "$installed" | grep -qx "$p" || missing="$missing $p"
done

# The headers meta-package can be present while no 6.1 image/headers pair is.
pair=""
for b in /lib/modules/6.1.0-*-amd64/build; do
	v=${b%/build}
	v=${v##*/}
	[ -e "$b/Makefile" ] && [ -e "/boot/vmlinuz-$v" ] && pair=$v
done

# Same for 6.12: any installed 6.12.N+deb12-amd64 with both.
pair612=""
for b in /lib/modules/6.12.*+deb12-amd64/build; do
	v=${b%/build}
	v=${v##*/}
	[ -e "$b/Makefile" ] && [ -e "/boot/vmlinuz-$v" ] && pair612=$v
done

need_src=0
[ -e "$SRC_DIR/scripts/checkpatch.pl" ] || need_src=1
# --build: no kernel images or headers, no checkpatch tree.
[ $BUILD_ONLY = 0 ] || pair=- pair612=- need_src=0

if [ -z "$missing" ] && [ -n "$pair" ] && [ -n "$pair612" ] && [ $need_src = 0 ]; then
	exit 0
fi

is_debian=0
[ -r /etc/debian_version ] && command -v apt-get >/dev/null 2>&1 && is_debian=1
is_root=0
[ "$(id -u)" = 0 ] && is_root=1

# The newest 6.12.N+deb12-amd64 with both an unsigned image and headers in
# the archive (apt's lists), e.g. 6.12.117+deb12-amd64; empty if none.
newest612() {
	apt-cache pkgnames linux-image-6.12. 2>/dev/null |
		sed -n 's/^linux-image-\(6\.12\.[0-9]*+deb12-amd64\)-unsigned$/\1/p' |
		sort -rV | while read -r v; do
		if apt-cache show "linux-image-$v-unsigned" >/dev/null 2>&1 &&
			apt-cache show "linux-headers-$v" >/dev/null 2>&1; then
			echo "$v"
			break
		fi
	done
}

if [ -n "$missing" ] || [ -z "$pair" ] || [ -z "$pair612" ]; then
	if [ $is_root = 0 ] || [ $is_debian = 0 ]; then
		k612=""
		if [ -z "$pair612" ]; then
			v=$(newest612 || true)
			k612="linux-image-${v:-6.12.N+deb12-amd64}-unsigned linux-headers-${v:-6.12.N+deb12-amd64}"
		fi
		[ -n "$pair" ] || missing="$missing linux-image-amd64 linux-headers-amd64"
		echo "deps: missing:$missing${k612:+ $k612}" >&2
		echo "deps: run as root on Debian 12:" >&2
		echo "  apt-get update && apt-get install -y --no-install-recommends$missing${k612:+ $k612}" >&2
		exit 1
	fi
	apt-get update
	# shellcheck disable=SC2086
	set -- $missing
	[ -n "$pair" ] || set -- "$@" linux-image-amd64 linux-headers-amd64
	if [ -z "$pair612" ]; then
		v=$(newest612)
		if [ -z "$v" ]; then
			echo "deps: no linux-image-6.12.*+deb12-amd64-unsigned with its headers in the archive" >&2
			echo "deps: (bookworm-security in /etc/apt/sources.list*?)" >&2
			exit 1
		fi
		set -- "$@" "linux-image-$v-unsigned" "linux-headers-$v"
	fi
	echo "deps: installing $*"
	DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$@"
fi

if [ $BUILD_ONLY = 0 ] && [ ! -e "$SRC_DIR/scripts/checkpatch.pl" ]; then
	if [ ! -r "$SRC_TAR" ]; then
		echo "deps: $SRC_TAR missing (package linux-source-6.1)" >&2
		exit 1
	fi
	if [ ! -w /usr/src ]; then
		echo "deps: cannot extract $SRC_TAR: run as root" >&2
		exit 1
	fi
	echo "deps: extracting $SRC_TAR"
	tar -C /usr/src -xJf "$SRC_TAR"
fi
echo "deps: all present"
