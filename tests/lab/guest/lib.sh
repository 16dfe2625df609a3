# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=dash
#
# TAP helpers for lab scenario scripts. Runs in the guest under busybox ash;
# sourced with `. /opt/oomtrace/lib.sh`. Output goes to the serial console,
# where tests/lab/lab.sh collects it.
#
#   plan N                 print "1..N"; every scenario declares its plan before
#                          its first test: a missing plan fails the script
#   ok COND DESC           COND is a shell expression, eval'ed: ok '[ "$x" -eq 3 ]' "x is 3"
#                          (its status is COND's: ok '[ $? -eq 0 ]' sees the
#                          caller's last command, nothing of ok's own)
#   run_ok DESC CMD...     run CMD (no eval); ok if it exits 0
#   run_fails DESC CMD...  run CMD; ok if it exits non-zero
#   is GOT WANT DESC       string equality, diag got/want on failure
#   cmp_ok A OP B DESC     numeric test: OP is one of -eq -ne -lt -le -gt -ge
#   diag MSG...            "# MSG"
#   mark SECTION           "# [UPTIME s] SECTION": when a part of the scenario began
#   skip DESC REASON       "ok N - DESC # SKIP REASON"
#   bail MSG               "Bail out! MSG", exit 1
#   wait_until SECS CMD... poll CMD every 0.2 s until it exits 0; 1 on timeout
#                          (SECS times LAB_SCALE)
#   LAB_SCALE              the boot's TIMEOUT_SCALE (1; the debug lane's 4):
#                          a scenario's own time bounds are multiplied by it
#   pids_done PID...       true once none of PID runs (gone or zombie)
#   lk_get KEY             value of KEY in /proc/leaker
#   lk_cmd CMD...          write one command to /proc/leaker; returns the write status
#   ot_field FILE ROW COL  value of column COL (by name) in row ROW of an oomtrace table
#   ot_check_invariants FILE   rows consistent (allocs - frees == live, ...); diag on failure
#   ot_invariants WHEN     one test per table (slabs modules callsites
#                          module_slabs): ot_check_invariants holds, "... WHEN"
#   ot_status KEY          value of KEY in /proc/oomtrace/status
#   ot_tool_field KEYCOL KEY COL CMD...   column COL of the row whose column
#                          KEYCOL is KEY in the text table CMD prints (the
#                          reader's: header line first, after a "partial:"
#                          line if any; names in any case)
#
# At exit the script's status becomes 1 if any test failed, no plan was
# declared, or the plan does not match the tests run (an early exit).

export OT_DIR=/opt/oomtrace
export OT_PROC=/proc/oomtrace
export LK_PROC=/proc/leaker
# iproute2's ip: veth pairs and network namespaces (busybox's ip has neither)
export IPROUTE2=/usr/bin/iproute2-ip
# lab.sh puts lab_scale=N on the kernel command line; init inherits it.
export LAB_SCALE=${lab_scale:-1}
# busybox ash runs its own applets before searching PATH: route the module
# tools to the real kmod (/sbin/insmod -> /usr/bin/kmod) by shell functions.
# shellcheck source=/dev/null
[ -r /etc/lab-env.sh ] && . /etc/lab-env.sh
_tap_n=0
_tap_fail=0
_tap_plan=

plan() {
	_tap_plan=$1
	echo "1..$1"
}

# LAB_BAIL=1 (tests/run --stub): the first failure ends the scenario; the
# question there is only whether it fails.
_tap_result() {
	# _tap_result STATUS DESC
	_tap_n=$((_tap_n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $_tap_n - $2"
	else
		_tap_fail=$((_tap_fail + 1))
		echo "not ok $_tap_n - $2"
		[ "${LAB_BAIL:-0}" = 0 ] || bail "first failure, LAB_BAIL=1"
	fi
}

# eval first: COND sees $? as the caller left it.
ok() {
	eval "$1" >/dev/null 2>&1
	_tap_ok_st=$?
	[ $_tap_ok_st -eq 0 ] || _tap_ok_st=1
	_tap_result $_tap_ok_st "$2"
	[ $_tap_ok_st -eq 0 ] || diag "  failed: $1"
	return $_tap_ok_st
}

run_ok() {
	local _desc="$1" _st=0
	shift
	"$@" || _st=1
	_tap_result $_st "$_desc"
	[ $_st -eq 0 ] || diag "  command failed: $*"
	return $_st
}

run_fails() {
	local _desc="$1" _st=0
	shift
	"$@" 2>/dev/null && _st=1
	_tap_result $_st "$_desc"
	[ $_st -eq 0 ] || diag "  command unexpectedly succeeded: $*"
	return $_st
}

is() {
	local _st=0
	[ "$1" = "$2" ] || _st=1
	_tap_result $_st "$3"
	if [ $_st -ne 0 ]; then
		diag "  got:  '$1'"
		diag "  want: '$2'"
	fi
	return $_st
}

cmp_ok() {
	local _st=0
	test "$1" "$2" "$3" 2>/dev/null || _st=1
	_tap_result $_st "$4"
	[ $_st -eq 0 ] || diag "  failed: '$1' $2 '$3'"
	return $_st
}

diag() {
	echo "# $*"
}

# mark SECTION: the guest's uptime as a diag line, to time a scenario's parts.
mark() {
	diag "[$(cut -d' ' -f1 /proc/uptime) s] $*"
}

skip() {
	_tap_n=$((_tap_n + 1))
	echo "ok $_tap_n - $1 # SKIP ${2:-}"
}

bail() {
	echo "Bail out! $*"
	_tap_fail=$((_tap_fail + 1))
	exit 1
}

_tap_exit() {
	local _st=$?
	if [ -z "$_tap_plan" ]; then
		diag "no plan declared (plan N before the first test): $_tap_n tests ran"
		echo "1..$_tap_n"
		_st=1
	elif [ "$_tap_plan" -ne "$_tap_n" ]; then
		diag "planned $_tap_plan tests but ran $_tap_n"
		_st=1
	fi
	[ "$_tap_fail" -eq 0 ] || _st=1
	exit $_st
}
trap _tap_exit EXIT

# stable CMD...: CMD's output once two runs in a row agree (at most 10
# runs). For kernel listings that seq_file walks by index, such as
# /proc/vmallocinfo: an area added or removed between two read() calls
# shifts the rest, and one read skips or repeats a line (CI once saw 7 of
# leaker's 8 areas).
stable() {
	local _a _b _i=0
	_a=$("$@")
	while [ $_i -lt 10 ]; do
		_b=$("$@")
		[ "$_a" = "$_b" ] && break
		_a=$_b
		_i=$((_i + 1))
	done
	echo "$_a"
}

# leaker_counted: leaker allocates 16 x 4 KiB and modules shows exactly
# that much more live for it, then frees them. A quick premise check for the
# scenarios whose real checks come only after long bounded waits (OOM kills,
# a filling table): a module that does not count fails here at once.
leaker_counted() {
	local _b0 _b1
	_b0=$(ot_field "$OT_PROC/modules" leaker live_bytes 2>/dev/null || echo 0)
	lk_cmd kmalloc 16 4096
	_b1=$(ot_field "$OT_PROC/modules" leaker live_bytes 2>/dev/null || echo 0)
	lk_cmd free
	is "$((_b1 - _b0))" 65536 "modules: leaker's 16 x 4 KiB counted, exactly"
}

# wait_until SECS CMD...: bounded polling, every 0.2 s. A slower kernel
# (KASAN under TCG) gets a proportionally longer bound.
wait_until() {
	local _tries=$(($1 * 5 * LAB_SCALE))
	shift
	while [ "$_tries" -gt 0 ]; do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.2
		_tries=$((_tries - 1))
	done
	"$@" >/dev/null 2>&1
}

# pids_done PID...: true once none of PID runs any more (gone or a zombie:
# ash reaps background jobs only when it waits).
pids_done() {
	local _p
	for _p in "$@"; do
		[ -e "/proc/$_p/stat" ] || continue
		grep -q '^[0-9]* (.*) Z ' "/proc/$_p/stat" 2>/dev/null || return 1
	done
	return 0
}

lk_get() {
	awk -v k="$1" '$1 == k { print $2; f = 1 } END { exit !f }' "$LK_PROC"
}

# One write(2) per command: printf with one argument is a single write.
lk_cmd() {
	printf '%s\n' "$*" >"$LK_PROC"
}

# ot_field FILE ROW COL: the column is found by name in the last '#' line.
ot_field() {
	awk -v row="$2" -v col="$3" '
		/^#/ { n = split(substr($0, 2), hdr, " "); next }
		$1 == row {
			for (i = 1; i <= n; i++)
				if (hdr[i] == col) { print $i; found = 1; exit }
		}
		END { exit !found }' "$1"
}

# ot_diag_module NAME: what NAME still holds, as diag lines (for a failed
# "nothing left" test): its callsites and module_slabs rows with live objects.
ot_diag_module() {
	awk -v m="$1" '$2 == m && $5 > 0 { print "#   callsites: " $0 }' $OT_PROC/callsites
	awk -v m="$1" '$1 == m && $3 > 0 { print "#   module_slabs: " $0 }' $OT_PROC/module_slabs
}

# ot_check_invariants FILE: every row has non-negative integers in every
# numeric column, allocs - frees == live, a row saw an allocation or a free,
# live_bytes = slab_bytes + page_bytes (when present), and rows are sorted
# by live_bytes, largest first.
ot_check_invariants() {
	awk '
		BEGIN {
			split("objsize allocs frees live live_bytes peak_bytes slab_bytes page_bytes", t, " ")
			for (i in t) numeric[t[i]] = 1
		}
		/^#/ {
			n = split(substr($0, 2), hdr, " ")
			for (i in col) delete col[i]
			for (i = 1; i <= n; i++) col[hdr[i]] = i
			next
		}
		NF == 0 { next }
		{
			rows++
			if (NF < n) { print "# short row: " $0; bad++; next }
			for (i = 1; i <= n; i++)
				if ((hdr[i] in numeric) && $i !~ /^[0-9]+$/) {
					print "# " hdr[i] " not a non-negative integer: " $0; bad++
				}
			if (("allocs" in col) && ("frees" in col) && ("live" in col) &&
			    $(col["allocs"]) - $(col["frees"]) != $(col["live"])) {
				print "# allocs - frees != live: " $0; bad++
			}
			if (("allocs" in col) && ("frees" in col) &&
			    $(col["allocs"]) == 0 && $(col["frees"]) == 0) {
				print "# a row that saw no allocation and no free: " $0; bad++
			}
			if (("slab_bytes" in col) && ("page_bytes" in col) && ("live_bytes" in col) &&
			    $(col["slab_bytes"]) + $(col["page_bytes"]) != $(col["live_bytes"])) {
				print "# slab_bytes + page_bytes != live_bytes: " $0; bad++
			}
			if ("live_bytes" in col) {
				lb = $(col["live_bytes"]) + 0
				if (rows > 1 && lb > prev) { print "# not sorted by live_bytes: " $0; bad++ }
				prev = lb
			}
		}
		END {
			if (!n) { print "# no column header"; bad++ }
			exit bad > 0
		}' "$1"
}

# ot_invariants WHEN: the invariants of every table, one test each.
ot_invariants() {
	local _t
	for _t in slabs modules callsites module_slabs; do
		run_ok "invariants hold in $_t $1" ot_check_invariants "$OT_PROC/$_t"
	done
}

ot_status() {
	sed -n "s/^$1: //p" "$OT_PROC/status"
}

# ot_tool_field KEYCOL KEY COL CMD...: a cell of the table that CMD prints
# (oomtrace's text output: the first line names the columns, after the
# "partial: ..." line when the numbers are partial). Use --bytes for
# numbers: human units contain a blank.
ot_tool_field() {
	local _kc _key=$2 _col
	_kc=$(echo "$1" | tr '[:lower:]' '[:upper:]')
	_col=$(echo "$3" | tr '[:lower:]' '[:upper:]')
	shift 3
	"$@" | awk -v kc="$_kc" -v key="$_key" -v col="$_col" '
		!head && /^partial: / { next }
		!head++ {
			for (i = 1; i <= NF; i++) {
				if ($i == kc) k = i
				if ($i == col) c = i
			}
			next
		}
		k && c && $k == key { print $c; found = 1; exit }
		END { exit !found }'
}

# hogs_start N MIB: N hogs of MIB MiB each, oom_score_adj N*100 down to 100
# (the OOM killer takes them in start order); their pids in HOG_PIDS. Then
# waits (bounded, one TAP line) until every hog holds its memory.
hogs_start() {
	local _i=1
	HOG_PIDS=""
	rm -f /tmp/hog[0-9]*.out
	while [ $_i -le "$1" ]; do
		sh -c "echo $((($1 + 1 - _i) * 100)) >/proc/self/oom_score_adj; exec hog $2" \
			>/tmp/hog$_i.out 2>&1 &
		HOG_PIDS="$HOG_PIDS $!"
		_i=$((_i + 1))
	done
	HOG_N=$1
	run_ok "$1 hogs hold $2 MiB each (bounded wait)" wait_until 60 _hogs_ready
}

_hogs_ready() {
	[ "$(cat /tmp/hog[0-9]*.out | grep -c holding)" = "$HOG_N" ]
}
