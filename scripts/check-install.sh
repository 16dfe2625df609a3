#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# scripts/check-install.sh: `make install DESTDIR=TMP` puts the module, the
# reader and the man page under TMP (for the kernel make builds for), and
# nothing outside it: what a packager's staged install needs. Prints what
# was installed; exit 1 when one of the three is missing. As any user.
# For KDIR or KVER when given, else the newest Debian 6.1 headers here (the
# machine that runs this need not run a kernel it has headers for).

set -eu

ROOT=$(cd "$(dirname "$0")/.." && pwd)
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
log=$ROOT/build/check-install.log
mkdir -p "$ROOT/build"
if [ -z "${KDIR:-}" ] && [ -z "${KVER:-}" ]; then
	KVER=$(cd /lib/modules && for v in 6.1.0-*-amd64; do
		[ -e "$v/build/Makefile" ] && echo "$v"
	done | sort -V | tail -n 1)
	export KVER
fi
if ! make -C "$ROOT" install DESTDIR="$d" >"$log" 2>&1; then
	tail -n 20 "$log"
	echo "check-install: make install DESTDIR=$d failed (log: build/check-install.log)"
	exit 1
fi
files=$(find "$d" -type f | sed "s|^$d||" | sort)
echo "$files" | sed 's/^/check-install: installed /'
n=$(echo "$files" | grep -cE '^/lib/modules/[^/]+/extra/oomtrace\.ko$|^/usr/sbin/oomtrace$|^/usr/share/man/man8/oomtrace\.8$' || true)
if [ "$n" != 3 ]; then
	echo "check-install: want oomtrace.ko, /usr/sbin/oomtrace and oomtrace.8 under DESTDIR, found $n of them"
	exit 1
fi
echo "check-install: module, reader and man page under DESTDIR"
