#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# make deb: Debian packages with Debian's own tooling (dpkg-buildpackage,
# debhelper, dh_dkms), in build/deb/:
#   oomtrace-dkms_VERSION_all.deb     the module's source for DKMS
#   oomtrace_VERSION_ARCH.deb         the reader and its man page
# (plus the .buildinfo and .changes dpkg-buildpackage writes).
#
# Nothing generated lives in the checkout: the package is built in
# build/deb/oomtrace-VERSION, a copy of the files git tracks (the working
# tree's content, so uncommitted edits are in; untracked files are not; a
# tree without git: a fixed list) under Kbuild VERSION LICENSE README.md
# Makefile dkms.conf.in module/ tools/, with packaging/debian as debian/ and
# a debian/changelog written from VERSION. Native package: the Debian
# version is VERSION (DEB_VERSION overrides, e.g. 0.1.0+git20261128); the
# DKMS version is VERSION either way.
#
# Build dependencies: scripts/deps.sh. DEB_BUILD_OPTIONS=nocheck skips the
# reader's unit tests. NICE [10].

set -eu

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
VERSION=$(cat VERSION)
DEB_VERSION=${DEB_VERSION:-$VERSION}
NICE=${NICE:-10}
OUT=$ROOT/build/deb
SRC=$OUT/oomtrace-$VERSION
PATHS="Kbuild VERSION LICENSE README.md Makefile dkms.conf.in module tools"

say() { echo "deb: $*" >&2; }

for c in dpkg-buildpackage dh dh_dkms; do
	command -v $c >/dev/null 2>&1 || {
		say "$c not found: scripts/deps.sh (dpkg-dev, debhelper, dh-dkms)"
		exit 1
	}
done

rm -rf "$OUT"
mkdir -p "$SRC"
# shellcheck disable=SC2086 # PATHS: fixed names, no spaces
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	git ls-files -z -- $PATHS | while IFS= read -r -d '' f; do
		if [ -e "$f" ]; then cp --parents -a "$f" "$SRC/"; fi
	done
else
	cp -a $PATHS "$SRC/"
	make -s -C "$SRC/tools" clean
	find "$SRC/module" -type f ! -name '*.[ch]' -delete
fi
cp -a packaging/debian "$SRC/debian"

# The changelog: one entry, dated by the last commit (reproducible), else now.
maint=$(sed -n 's/^Maintainer: //p' packaging/debian/control)
when=$(git log -1 --format=%ct 2>/dev/null || date +%s)
rev=$(git describe --always --dirty 2>/dev/null || echo "no git")
cat >"$SRC/debian/changelog" <<EOF
oomtrace ($DEB_VERSION) unstable; urgency=medium

  * Built by make deb from $rev.

 -- $maint  $(date -u -R -d "@$when")
EOF

say "dpkg-buildpackage -b in ${SRC#"$ROOT"/}"
t0=$(date +%s)
(cd "$SRC" && SOURCE_DATE_EPOCH=$when nice -n "$NICE" dpkg-buildpackage -us -uc -b) >"$OUT/build.log" 2>&1 || {
	tail -n 30 "$OUT/build.log" >&2
	say "dpkg-buildpackage failed (log: ${OUT#"$ROOT"/}/build.log)"
	exit 1
}
say "built in $(($(date +%s) - t0))s (log: ${OUT#"$ROOT"/}/build.log)"
for d in "$OUT"/*.deb; do
	echo "${d#"$ROOT"/}"
	dpkg-deb -c "$d" | awk '{ print "    " $6 }' | grep -v '/$'
done
