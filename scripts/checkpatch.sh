#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# scripts/checkpatch.sh FILE...: the kernel's checkpatch.pl --strict on
# whole files. Fails unless every file has 0 errors, 0 warnings, 0 checks.
# checkpatch.pl comes from Debian's linux-source-6.1 (scripts/deps.sh
# extracts it); CHECKPATCH=/path/to/checkpatch.pl overrides.

set -eu

ROOT=$(cd "$(dirname "$0")/.." && pwd)

CP=${CHECKPATCH:-}
if [ -z "$CP" ]; then
	for c in /usr/src/linux-source-6.1/scripts/checkpatch.pl \
		"$ROOT/build/linux-source-6.1/scripts/checkpatch.pl"; do
		if [ -r "$c" ]; then
			CP=$c
			break
		fi
	done
fi
if [ -z "$CP" ] || [ ! -r "$CP" ]; then
	echo "checkpatch: checkpatch.pl not found: run scripts/deps.sh (linux-source-6.1)" >&2
	exit 2
fi

status=0
n=0
for f in "$@"; do
	# Unmatched globs from the Makefile arrive literally, and Kbuild's
	# generated *.mod.c are not ours: skip them.
	case $f in *.mod.c) continue ;; esac
	[ -e "$f" ] || continue
	n=$((n + 1))
	if out=$(perl "$CP" --strict --no-tree --quiet --show-types -f "$f" 2>&1) && [ -z "$out" ]; then
		echo "checkpatch: $f: clean"
	else
		printf '%s\n' "$out"
		echo "checkpatch: $f: NOT clean"
		status=1
	fi
done
[ $n -gt 0 ] || { echo "checkpatch: no files" >&2; exit 2; }
exit $status
