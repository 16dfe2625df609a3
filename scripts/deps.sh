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
# when not yet extracted. The last package line is what building a kernel
# from that source needs (make check-debug, scripts/debug-kernel.sh);
# rsync copies the module sources into the debug lane's build directory.

set -eu

PACKAGES="
linux-image-amd64 linux-headers-amd64 linux-source-6.1
qemu-system-x86 busybox-static kmod cpio
gcc make libc6-dev
sparse shellcheck perl
drbd-utils makedumpfile iproute2
libcmocka-dev valgrind python3
xz-utils patch
bc bison flex libelf-dev libssl-dev dwarves rsync
"

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

need_src=0
[ -e "$SRC_DIR/scripts/checkpatch.pl" ] || need_src=1

if [ -z "$missing" ] && [ -n "$pair" ] && [ $need_src = 0 ]; then
	exit 0
fi

is_debian=0
[ -r /etc/debian_version ] && command -v apt-get >/dev/null 2>&1 && is_debian=1

if [ -n "$missing" ] || [ -z "$pair" ]; then
	# shellcheck disable=SC2086
	set -- $missing
	[ $# -gt 0 ] || set -- linux-image-amd64 linux-headers-amd64
	if [ "$(id -u)" != 0 ] || [ $is_debian = 0 ]; then
		echo "deps: missing:$missing" >&2
		echo "deps: run as root on Debian 12:" >&2
		echo "  apt-get update && apt-get install -y --no-install-recommends $*" >&2
		exit 1
	fi
	echo "deps: installing $*"
	apt-get update
	DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$@"
fi

if [ ! -e "$SRC_DIR/scripts/checkpatch.pl" ]; then
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
