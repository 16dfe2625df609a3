#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# check-lengths.sh: no function over 60 lines in module/ (and the test
# modules), none over 80 in tools/ (its tests excepted): long functions hide
# their jobs. A function runs from its opening "{" at the start of a line to
# the "}" that closes it at the start of a line (kernel style).

set -eu
cd "$(dirname "$0")/.."

lengths() { # lengths MAX FILE...
	max=$1
	shift
	awk -v max="$max" '
		FNR == 1 { cand = ""; start = 0 }
		/^[A-Za-z_].*\(/ && !/;[ \t]*$/ { cand = $0; at = FNR }
		/^\{/ && cand != "" { start = FNR; name = cand; cand = "" }
		/^\}/ && start {
			n = FNR - start + 1
			if (n > max) { printf "%s:%d: %d lines (over %d): %s\n", FILENAME, at, n, max, name; bad++ }
			start = 0
		}
		END { exit bad > 0 }' "$@"
}

rc=0
lengths 60 module/*.c || rc=1
lengths 80 tools/*.c || rc=1
[ $rc = 0 ] && echo "lengths: every function within its limit"
exit $rc
