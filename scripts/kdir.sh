#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# scripts/kdir.sh KDIR HOW: is KDIR a kernel tree oomtrace builds against?
# Prints its release (UTS_RELEASE: the module's vermagic, and the directory
# under /lib/modules that `make install` uses; on Debian it is not
# include/config/kernel.release, which says 6.1.192 for 6.1.0-56-amd64).
# Otherwise says why not and what to do, on stderr, and exits 1.
#
# HOW is where the Makefile took KDIR from, for the message:
#   KDIR      given as KDIR=
#   KVER      given as KVER= (KDIR is /lib/modules/KVER/build)
#   running   neither: the running kernel's /lib/modules/$(uname -r)/build
#
# oomtrace supports 6.1 and newer (MIN_MAJOR.MIN_MINOR below); the version
# is read from the tree (include/generated/uapi/linux/version.h), never
# from the running kernel.

set -eu

MIN_MAJOR=6
MIN_MINOR=1

kdir=${1:-}
how=${2:-KDIR}

say() { echo "oomtrace: $*" >&2; }

# The header trees installed here, by release, one line.
installed() {
	found=""
	for b in /lib/modules/*/build; do
		[ -e "$b/Makefile" ] || continue
		r=${b%/build}
		found="$found ${r##*/}"
	done
	echo "${found# }"
}

hint_others() {
	others=$(installed)
	if [ -n "$others" ]; then
		say "  kernel headers installed here: $others"
		say "  build for one of them: make KVER=RELEASE (or KDIR=/path/to/kernel/build)"
	else
		say "  no kernel headers are installed here (make KVER=RELEASE or KDIR=/path/to/kernel/build)"
	fi
}

if [ ! -e "$kdir/Makefile" ]; then
	case $how in
	running)
		r=$(uname -r)
		say "no kernel headers for the running kernel $r ($kdir missing)"
		say "  install them (Debian): apt-get install linux-headers-$r"
		[ -e /proc/modules ] ||
			say "  note: the running kernel has no module support (no /proc/modules): oomtrace cannot be loaded on it"
		hint_others
		;;
	KVER)
		r=${kdir#/lib/modules/}
		r=${r%/build}
		say "no kernel headers for KVER=$r ($kdir missing)"
		say "  install them (Debian): apt-get install linux-headers-$r"
		hint_others
		;;
	*)
		say "KDIR=$kdir is not a kernel build tree (no Makefile there)"
		hint_others
		;;
	esac
	exit 1
fi

uts=$kdir/include/generated/utsrelease.h
if [ ! -r "$uts" ]; then
	say "$kdir is not prepared for building modules (no include/generated/utsrelease.h)"
	say "  in a kernel source tree: make -C $kdir olddefconfig modules_prepare"
	exit 1
fi
release=$(sed -n 's/^#define UTS_RELEASE "\(.*\)"$/\1/p' "$uts")
[ -n "$release" ] || {
	say "cannot read UTS_RELEASE from $uts"
	exit 1
}

# MAJOR and PATCHLEVEL from version.h (kernels >= 5.x have both macros),
# else from the release string.
ver=$kdir/include/generated/uapi/linux/version.h
major=$(sed -n 's/^#define LINUX_VERSION_MAJOR \([0-9]*\)$/\1/p' "$ver" 2>/dev/null || true)
minor=$(sed -n 's/^#define LINUX_VERSION_PATCHLEVEL \([0-9]*\)$/\1/p' "$ver" 2>/dev/null || true)
if [ -z "$major" ] || [ -z "$minor" ]; then
	major=$(echo "$release" | sed -n 's/^\([0-9]*\)\..*/\1/p')
	minor=$(echo "$release" | sed -n 's/^[0-9]*\.\([0-9]*\).*/\1/p')
fi
case $major.$minor in
[0-9]*.[0-9]*) ;;
*)
	say "cannot tell the version of the kernel in $kdir (release '$release')"
	exit 1
	;;
esac
if [ "$major" -lt $MIN_MAJOR ] || { [ "$major" -eq $MIN_MAJOR ] && [ "$minor" -lt $MIN_MINOR ]; }; then
	say "kernel $release ($kdir) is $major.$minor: oomtrace needs $MIN_MAJOR.$MIN_MINOR or newer"
	hint_others
	exit 1
fi
echo "$release"
