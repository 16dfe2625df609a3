# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# The lab's verdict on one boot, sourced by tests/lab/lab.sh. A boot passes
# only on positive evidence: the guest's exit marker with status 0, every
# TAP stream (the guest's, a host-side NAME.host.sh's) with a declared plan
# that its results match, no "not ok", no kernel problem, no kmemleak leak.
#
# Kernel problems: warnings, BUGs, oopses, any call trace, panics, KASAN,
# lockdep, RCU and might_sleep splats, allocation-failure reports. In
# expect=oom and expect=panic boots the OOM killer's own report ("... invoked
# oom-killer: ..." followed by its stack dump), a killed task's failure of
# its own last allocation (and its stack) and, for expect=panic, the
# panic_on_oom panic and its stack dump are expected; any other call trace
# or allocation failure still fails the boot.
#
# Uses from lab.sh: LAB, ROOT, KO_DIR, OT_KO, KVER, MODROOT.

# Lines of the guest's kmemleak section that are the report itself (judged
# by kmemleak_check, not by the generic kernel-problem grep). Kernel
# messages printed meanwhile (a splat during the final rmmod) stay.
# (%pK prints "(____ptrval____)" until the kernel's pointer hash is seeded.)
KMEMLEAK_LINE='^(unreferenced object 0x[0-9a-f]+ \(size [0-9]+\):$|  comm "|  hex dump \(|    [0-9a-f][0-9a-f] |  backtrace:$|    \[<[^>]*>\] |OOMTRACE-LAB-MOD )'

# What a kernel problem looks like. The debug lane's checkers: KASAN ("BUG:
# KASAN: ..."), lockdep ("WARNING: possible circular locking ...",
# "inconsistent lock state", ...), PROVE_RCU ("WARNING: suspicious RCU
# usage"), DEBUG_ATOMIC_SLEEP ("BUG: sleeping function called from invalid
# context"), DEBUG_LIST ("list_add corruption" with a BUG/WARNING), kmemleak.
KERNEL_BAD='WARNING:|BUG:|Oops|Call Trace|Kernel panic|general protection|kmemleak: .*suspected memory leak|unreferenced object 0x|BUG: KASAN|possible circular locking|possible recursive locking|inconsistent lock state|suspicious RCU usage|sleeping function called from invalid context|INFO: lockdep|detected stalls on CPUs|blocked for more than [0-9]+ seconds|page allocation failure|vmalloc error'

# kmemleak_check NAME CLEAN: judge the guest's kmemleak report (see
# lab.sh's header). Prints a failure reason or nothing; writes the report,
# each bare address resolved to the module (and function) it was in, to
# build/lab/NAME.kmemleak.
kmemleak_check() {
	local name=$1 clean=$2 out=$LAB/$1.kmemleak sec mods
	local allow=$ROOT/tests/lab/kmemleak.allow
	rm -f "$out"
	# No section: not a kmemleak kernel. No end: the VM died meanwhile,
	# which the rest of the verdict reports.
	sec=$(sed -n '/^OOMTRACE-LAB-KMEMLEAK-BEGIN$/,/^OOMTRACE-LAB-KMEMLEAK-END$/p' "$clean")
	grep -q '^OOMTRACE-LAB-KMEMLEAK-END$' <<<"$sec" || return 0
	if ! grep -q '^OOMTRACE-LAB-KMEMLEAK-SCAN ok$' <<<"$sec"; then
		echo "kmemleak: scan failed (kmemleak disabled itself? see the log)"
		return 0
	fi
	mods=$(kmemleak_modules <<<"$sec")
	grep -E "$KMEMLEAK_LINE" <<<"$sec" | grep -v '^OOMTRACE-LAB-MOD ' |
		awk -v mods="$mods" -v allowfile="$allow" -v out="$out" \
			-f "$ROOT/tests/lab/host/kmemleak.awk"
}

# The guest's module records, in unload order, as "name base end text leak
# ko gone": addresses as 16 hex digits (compared as strings: awk's numbers
# are doubles), gone: jiffies at unload, ko: the .ko to name functions by.
kmemleak_modules() {
	local m base size text leak gone ko f
	grep '^OOMTRACE-LAB-MOD ' | while read -r _ m base size text leak gone; do
		ko=-
		for f in "$KO_DIR/$m.ko" "$KO_DIR"/tests/modules/*/"$m.ko"; do
			case $f in */stub/*) continue ;; esac
			[ -e "$f" ] && ko=$f && break
		done
		[ "$m" != oomtrace ] || ko=$OT_KO
		[ "$ko" != - ] || ko=$(modinfo -b "${MODROOT:-/}" -k "$KVER" -n "$m" 2>/dev/null || echo -)
		printf '%s %016x %016x %s %s %s %s\n' "$m" $((base)) $((base + size)) \
			"$([ "$text" = - ] && echo - || printf '%016x' "$text")" "$leak" "$ko" "${gone:--}"
	done
}

# kernel_problem CLEAN EXPECT [ALLOW]: the first kernel problem in the serial
# log, outside the scenario's own TAP and diag lines, the kmemleak report and
# the splats the scenario provokes (from a line matching the regex ALLOW, the
# scenario's allow=, to the next end of trace).
kernel_problem() {
	# (The regexes go through the environment: awk -v would eat their \.)
	KL_RE=$KMEMLEAK_LINE BAD_RE=$KERNEL_BAD ALLOW_RE=${3:-} awk -v expect="$2" '
		ENVIRON["ALLOW_RE"] != "" && $0 ~ ENVIRON["ALLOW_RE"] { allowed = 1 }
		allowed { if (/---\[ end trace/) allowed = 0; next }
		/^OOMTRACE-LAB-KMEMLEAK-BEGIN$/ { k = 1 }
		/^OOMTRACE-LAB-KMEMLEAK-END$/ { k = 0 }
		k && $0 ~ ENVIRON["KL_RE"] { next }
		/^(ok |not ok |# |Bail out!)/ { next }
		# The OOM killer reports itself with a stack dump: its call trace
		# comes within a few lines of the "invoked oom-killer" line.
		expect != "" && /invoked oom-killer: / { trace_ok = NR + 4; next }
		# A task it killed may fail its own last allocation (6.12 warns:
		# "hog: page allocation failure: ..." and the stack of PID N):
		# part of the kill, once its "CPU: .. PID: N" says it is a victim.
		expect != "" && /Killed process [0-9]+ / {
			match($0, /Killed process [0-9]+/)
			killed[substr($0, RSTART + 15, RLENGTH - 15)] = 1
		}
		expect != "" && /: page allocation failure: / && !held { held = $0; held_nr = NR; next }
		held != "" && / PID: [0-9]+ / {
			match($0, / PID: [0-9]+ /)
			if (substr($0, RSTART + 6, RLENGTH - 7) in killed) {
				held = ""; trace_ok = NR + 4; next
			}
			print held; exit
		}
		held != "" && NR > held_nr + 2 { print held; exit }
		expect == "panic" && /Kernel panic - not syncing: Out of memory/ {
			trace_ok = NR + 4; next
		}
		expect == "panic" && /end Kernel panic - not syncing: Out of memory/ { next }
		/Call Trace:/ && NR <= trace_ok { trace_ok = 0; next }
		$0 ~ ENVIRON["BAD_RE"] { print; exit }' "$1"
}

# tap_counts CLEAN: "OK NOTOK SKIP PLAN" over every TAP stream in the log;
# PLAN is the sum of the declared plans, empty if none was declared.
tap_counts() {
	awk '
		/^ok [0-9]+/ { if (/# *SKIP/) s++; else o++ }
		/^not ok [0-9]+/ { n++ }
		/^1\.\.[0-9]+$/ { p += substr($0, 4); pl = 1 }
		END { printf "%d %d %d %s\n", o, n, s, pl ? p : "" }' "$1"
}

# host_check SCRIPT HOSTSH NAME LOGFILE CLEAN: run the host side of a
# scenario (when it exists) on LOGFILE (and the serial log CLEAN as its
# second argument), append its output and an exit marker to CLEAN.
host_check() {
	local hostsh=$2 out=$LAB/$3.host.log rc=0
	rm -f "$out"
	[ -n "$1" ] && [ -e "$hostsh" ] || return 0
	# LAB_KVER: the release the guest booted, for host checks of what it printed.
	LAB_KVER=$KVER OOMTRACE="$ROOT/tools/oomtrace" sh "$hostsh" "$4" "$5" >"$out" 2>&1 || rc=$?
	cat "$out" >>"$5"
	echo "OOMTRACE-LAB-HOST-EXIT $rc" >>"$5"
}

# verdict NAME CLEAN QEMU_RC TIMEOUT EXPECT DUMP HOSTSH [ALLOW]: prints the
# reason of a failure, or nothing for a pass. Reads OKN NOTOK SKIPN set by
# the caller from tap_counts.
verdict() {
	local name=$1 clean=$2 rc=$3 tmo=$4 expect=$5 dump=$6 hostsh=$7 line problem leak plan hrc
	line=$(grep -aE '^OOMTRACE-LAB-EXIT [0-9]+$' "$clean" | tail -n 1 || true)
	problem=$(kernel_problem "$clean" "$expect" "${8:-}")
	leak=$(kmemleak_check "$name" "$clean")
	plan=$(tap_counts "$clean" | cut -d' ' -f4)
	hrc=$(sed -n 's/^OOMTRACE-LAB-HOST-EXIT //p' "$clean" | tail -n 1)
	if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
		echo "timeout after ${tmo}s"
	elif [ -n "$problem" ]; then
		echo "kernel: $(sed -E 's/^(<[0-9]>)?\[ *[0-9.]+\] //' <<<"$problem")"
	elif [ -n "$leak" ]; then
		echo "$leak"
	elif [ "$expect" = panic ] && ! grep -q 'Kernel panic' "$clean"; then
		echo "expected a kernel panic, none seen"
	elif [ "$dump" = 1 ] && [ "$(cat "$LAB/$name.dump")" != ok ]; then
		echo "dump: $(cat "$LAB/$name.dump")"
	elif [ "$expect" != panic ] && [ -z "$line" ] && grep -q 'terminating on signal' "$clean"; then
		echo "no exit marker: QEMU was killed from outside ($(grep -o 'signal [0-9]*' "$clean" | head -n 1))"
	elif [ "$expect" != panic ] && [ -z "$line" ]; then
		echo "no exit marker: VM lost (qemu rc=$rc)"
	elif [ "$NOTOK" -gt 0 ]; then
		echo "$NOTOK not ok"
	elif grep -q '^Bail out!' "$clean"; then
		grep -m1 '^Bail out!' "$clean"
	elif [ "$expect" != panic ] && [ "${line##* }" != 0 ]; then
		echo "scenario exit status ${line##* }"
	elif [ -e "$hostsh" ] && [ -z "$hrc" ]; then
		echo "the host-side check did not run"
	elif [ -n "$hrc" ] && [ "$hrc" != 0 ]; then
		echo "the host-side check exited $hrc"
	elif [ "$expect" = oom ] && ! grep -qE 'invoked oom-killer|Out of memory' "$clean"; then
		echo "expected the OOM killer, none seen"
	elif [ $((OKN + NOTOK + SKIPN)) = 0 ]; then
		echo "no TAP results"
	elif [ -z "$plan" ]; then
		echo "no plan declared"
	elif [ "$plan" != $((OKN + NOTOK + SKIPN)) ]; then
		echo "plan 1..$plan but $((OKN + NOTOK + SKIPN)) results"
	fi
}
