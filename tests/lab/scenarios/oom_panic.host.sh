#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Host side of oom_panic.sh, run by tests/lab/lab.sh with the kernel log that
# makedumpfile extracted from the panicked guest's memory. Prints TAP.
d=$1
n=0
echo "1..6"
t() {
	n=$((n + 1))
	if eval "$1" >/dev/null 2>&1; then
		echo "ok $n - host: $2"
	else
		echo "not ok $n - host: $2"
		echo "#   failed: $1"
	fi
}
t '[ -s "$d" ]' "the guest's memory holds a kernel log"
t 'grep -q "Kernel panic - not syncing: Out of memory" "$d"' "it ends in the OOM panic"
t 'grep -q "oomtrace: OOM #1 at [0-9.]*: event 1: free " "$d"' "oomtrace: memory summary of OOM #1"
t 'grep -q "oomtrace: OOM #1 at [0-9.]*: top modules: leaker [0-9.]* [KMG]iB (+[0-9.]* [KMG]iB)" "$d"' \
	"oomtrace: top module of OOM #1 is leaker, with its growth"
t 'grep -q "oomtrace: OOM #1 at [0-9.]*: top caches: [^ ]* [0-9.]* [KMG]iB (+" "$d"' \
	"oomtrace: top caches of OOM #1"
first=$(grep -n "oomtrace: OOM #1 " "$d" | head -n 1 | cut -d: -f1)
panic=$(grep -n "Kernel panic - not syncing" "$d" | head -n 1 | cut -d: -f1)
# Used by the eval'ed condition below.
export first panic
t '[ -n "$first" ] && [ -n "$panic" ] && [ "$first" -lt "$panic" ]' \
	"the summary precedes the panic (the notifier runs first)"
grep "oomtrace: " "$d" | sed 's/^/#   /'
