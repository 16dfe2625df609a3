#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# mkdump.sh - test fixtures for 'oomtrace report --dmesg' (test-only): a
# fixture snapshot directory written out as the module's kernel log dump
# (docs/format.md, "The kernel log dump"), with the line prefix of one way
# of reading a kernel log.
#
#   ./mkdump.sh [OPTIONS] DIR   one dump of the snapshot DIR on stdout
#     -s SEQ      the dump's number (1)
#     -r ROWS     rows kept of each table (10)
#     -R REASON   begin's reason= (panic)
#     -F FORMAT   begin's format= (1)
#     -p STYLE    the line prefix (dmesg):
#                   dmesg         dmesg            "[    5.874374] "
#                   raw           dmesg -r         "<4>[ 5.874374] "
#                   journal       journalctl -k    "Nov 28 04:00:05 host kernel: "
#                   serial        a serial console: ANSI escapes, CR LF
#                   makedumpfile  makedumpfile --dump-dmesg (as dmesg)
#                   crash         crash> log -m    "<4>[    5.874374] "
#                   caller        crash> log -c    "[    5.874374] [  T321] "
#     -t SECONDS  the time of the first line (100)
#     -i          other kernel messages between the dump's lines
#     -b          the event ring was busy: "# events busy"
#     -c N        the box died: the first N lines of the dump, no end line
#     -d N,M      the console lost the dump's lines N to M
#     -L N        a 1 MiB line of another message after the dump's line N
#     -W N        the dump's line N is 1 MiB long
#     -n NS       end's ns= (how long the module took; none without -n)
#   ./mkdump.sh all             (re)write fixtures/dmesg/ from the fixtures
#
# The dump: status (every line), meminfo (six keys), modules, slabs,
# module_slabs, callsites (banner lines, "# rows=SHOWN of=TOTAL" when cut,
# the column line, the first ROWS rows), events (header lines, each event with
# its first 2 module and first 2 cache lines), between begin and end.
set -eu
export LC_ALL=C
me=$(cd "$(dirname "$0")" && pwd)/mkdump.sh

# "WHAT TEXT" lines of the dump of snapshot $1 ($2 rows a table, $3 = 1: events busy).
body() {
	dir=$1 rows=$2 busy=$3
	[ -f "$dir/status" ] && sed 's/^/status /' "$dir/status"
	[ -f "$dir/meminfo" ] &&
		awk '$1 ~ /^(MemTotal|MemFree|SReclaimable|SUnreclaim|KernelStack|PageTables):$/ { print "meminfo " $0 }' "$dir/meminfo"
	for t in modules slabs module_slabs callsites; do
		[ -f "$dir/$t" ] || continue
		awk -v name=$t -v rows="$rows" '
			/^#/ { if (!data) hdr[++nh] = $0; next }
			/^[ \t]*$/ { next }
			{ data = 1; row[++nr] = $0 }
			END {
				# as the module: the banner lines, "# rows=", the column line
				for (i = 1; i <= nh; i++) {
					if (i == nh && nh > 1 && nr > rows) print name " # rows=" rows " of=" nr
					print name " " hdr[i]
				}
				if (nh <= 1 && nr > rows) print name " # rows=" rows " of=" nr
				for (i = 1; i <= nr && i <= rows; i++) print name " " row[i]
			}' "$dir/$t"
	done
	[ -f "$dir/events" ] || return 0
	if [ "$busy" = 1 ]; then
		head -n 1 "$dir/events" | sed 's/^/events /'
		echo "events # events busy"
		return 0
	fi
	awk '
		/^#/ { print "events " $0; next }
		/^event / { print "events " $0; nm = nc = 0; next }
		/^  module / { if (++nm <= 2) print "events " $0; next }
		/^  cache / { if (++nc <= 2) print "events " $0; next }' "$dir/events"
}

# The body as kernel log lines: begin, end, prefixes, and the damage asked for.
frame() {
	awk -v seq="$seq" -v fmt="$format" -v reason="$reason" -v rows="$rows" -v style="$style" \
		-v t0="$t0" -v inter="$inter" -v cut="$cut" -v drop="$drop" -v longat="$longat" \
		-v wideat="$wideat" -v ns="$ns" '
	function big(   s) { s = "x"; while (length(s) < 1048576) s = s s; return s }
	function prefix(   us, sec, frac) {
		us = t0 * 1000000 + nout * 137
		nout++
		sec = int(us / 1000000); frac = us % 1000000
		if (style == "raw") return sprintf("<4>[ %d.%06d] ", sec, frac)
		if (style == "crash") return sprintf("<4>[%5d.%06d] ", sec, frac)
		if (style == "caller") return sprintf("[%5d.%06d] [  T321] ", sec, frac)
		if (style == "journal")
			return sprintf("Nov 28 04:%02d:%02d host kernel: ", int(sec / 60) % 60, sec % 60)
		if (style == "serial")
			return (nout % 4 ? "" : "\033[0m\033[K") sprintf("[%5d.%06d] ", sec, frac)
		return sprintf("[%5d.%06d] ", sec, frac)
	}
	function emit(text) {
		if (style == "serial") printf "%s%s%s\r\n", prefix(), text, nout % 5 ? "" : "\033[K"
		else printf "%s%s\n", prefix(), text
	}
	function foreign(k) {
		k = nforeign++ % 9
		if (style == "serial" && k == 8) { printf "\033[0;32m  OK  \033[0m] Started session-2.scope.\r\n"; return }
		if (k == 0) emit("Out of memory: Killed process 123 (hog) total-vm:1048576kB, anon-rss:524288kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:1100kB oom_score_adj:400")
		if (k == 1) emit("oomtrace: OOM #2 at 124.001000: top modules: leaker 195.3 MiB (+52.3 MiB), bigcache 293.0 MiB (+0 B)")
		if (k == 2) emit("oomtrace: dumping is not a dump line")
		if (k == 3) emit("oomtrace: dump x status version: 9.9.9")
		if (k == 4) emit("oomtrace: dump")
		if (k == 5) emit("CPU: 1 PID: 7 Comm: kworker/1:0 Not tainted 6.1.0-28-amd64 #1 Debian 6.1.119-1")
		if (k == 6) emit("Mem-Info:")
		if (k == 7) emit("active_anon:120000 inactive_anon:3000 isolated_anon:0")
		if (k == 8) emit(" dump_stack_lvl+0x44/0x5c")
	}
	{ line[++n] = $0 }
	END {
		split(drop, d, ",")
		emit("oomtrace: dump " seq " begin format=" fmt " reason=" reason " rows=" rows)
		for (i = 1; i <= n; i++) {
			if (cut != "" && i > cut + 0) exit
			if (drop != "" && i >= d[1] + 0 && i <= d[2] + 0) continue
			emit("oomtrace: dump " seq " " line[i] (i == wideat + 0 ? big() : ""))
			if (inter && i % 3 == 0) foreign()
			if (i == longat + 0) emit("long: " big())
		}
		emit("oomtrace: dump " seq " end lines=" n (ns != "" ? " ns=" ns : ""))
	}'
}

# The lines a kernel log starts with.
boot() {
	printf '[    0.000000] Linux version 6.1.0-28-amd64 (debian-kernel@lists.debian.org) (gcc-12 (Debian 12.2.0-14) 12.2.0, GNU ld (GNU Binutils for Debian) 2.40) #1 SMP PREEMPT_DYNAMIC Debian 6.1.119-1 (2024-11-22)\n'
	printf '[    0.000000] Command line: BOOT_IMAGE=/boot/vmlinuz-6.1.0-28-amd64 root=/dev/vda1 ro console=ttyS0\n'
	printf '[    5.100000] oomtrace: loaded, mode exact, max_objects 1048576\n'
}

# The three lines of a global OOM the module prints before an oom dump.
oomlines() {
	printf '[  123.456789] hog invoked oom-killer: gfp_mask=0x140cca(GFP_HIGHUSER_MOVABLE|__GFP_COMP), order=0, oom_score_adj=400\n'
	printf '[  123.456800] oomtrace: OOM #1 at 123.456789: event 1: free 2.1 MiB, slab 393.6 MiB reclaimable + 0 B unreclaimable, page tables 7.8 MiB, tracked 438.7 MiB\n'
	printf '[  123.456810] oomtrace: OOM #1 at 123.456789: top modules: leaker 143.1 MiB (+143.1 MiB), bigcache 293.0 MiB (+293.0 MiB)\n'
	printf '[  123.456820] oomtrace: OOM #1 at 123.456789: top caches: kmalloc-1k 436.1 MiB (+436.1 MiB), kmalloc-4k 800.0 KiB (+800.0 KiB)\n'
}

F=fixtures
G=fixtures/dmesg

all() {
	cd "$(dirname "$me")"
	rm -rf "$G"
	mkdir -p "$G"
	for p in dmesg raw journal serial makedumpfile crash caller; do
		$me -p $p $F/oom >"$G/oom-$p.log"
	done
	{ boot; $me -R control -t 200 $F/leaking; } >"$G/leaking.log"
	$me -p journal -r 2 -t 300 -n 31415926 $F/real >"$G/real.log"
	{ boot; $me -r 3 -R control -t 9 $F/lab; } >"$G/lab.log"
	$me -p serial -t 120 $F/odd >"$G/odd.log"
	{ boot; $me -R oom -r 2 -t 1201 $F/partial; } >"$G/partial.log"
	$me -p journal -R control -r 2 -t 9 $F/sampled >"$G/sampled.log"
	{ boot; oomlines; $me -i -R oom -t 124 $F/oom; } >"$G/interleaved.log"
	{
		boot
		$me -s 1 -R control -t 60 $F/leaking
		$me -s 2 -R oom -t 124 $F/oom
		$me -s 3 -R panic -t 130 -c 10 $F/oom
		boot
		$me -s 1 -R panic -r 2 -t 1201 -n 2718281 $F/real
	} >"$G/twoboots.log"
	{
		boot
		$me -s 1 -R control -t 60 $F/leaking
		$me -s 2 -R oom -t 124 $F/oom
		$me -s 3 -R panic -t 130 -d 5,12 $F/oom
	} >"$G/newer-truncated.log"
	{ boot; $me -s 1 -R oom -t 124 $F/oom; $me -s 2 -R panic -t 130 -c 15 $F/oom; } >"$G/cutoff.log"
	{ boot; $me -s 1 -R oom -t 124 -d 3,3 $F/oom; $me -s 2 -R panic -t 130 -c 15 $F/oom; } \
		>"$G/only-truncated.log"
	$me -R oom -b $F/oom >"$G/busy.log"
	$me -F 2 $F/oom >"$G/badformat.log"
	{
		boot
		printf 'this is not a kernel log, but it has lines\n'
		printf '[    6.000000] oomtrace: dump\n[    6.000001] oomtrace: dump x begin format=1\n'
		printf '[    6.000002] oomtrace: dumped nothing\n\tkey: value\n# a comment\n'
	} >"$G/garbage.log"
	: >"$G/empty.log"
	awk 'BEGIN { x = 12345; for (i = 0; i < 4096; i++) { x = (x * 1103515245 + 12345) % 2147483648; printf "%c", int(x / 65536) % 256 } }' \
		>"$G/binary.bin"
	{ boot; $me -s 1 -R oom -t 124 -L 5 $F/oom; $me -s 2 -R panic -t 130 -W 3 $F/leaking; } \
		>"$G/longline.log"
	echo "mkdump: wrote $(find "$G" -type f | wc -l) files in $G"
}

seq=1 rows=10 reason=panic format=1 style=dmesg t0=100 inter=0 busy=0
cut='' drop='' longat='' wideat='' ns=''
[ "${1:-}" = all ] && { all; exit 0; }
while getopts s:r:R:F:p:t:ibc:d:L:W:n: o; do
	case $o in
	s) seq=$OPTARG ;;
	r) rows=$OPTARG ;;
	R) reason=$OPTARG ;;
	F) format=$OPTARG ;;
	p) style=$OPTARG ;;
	t) t0=$OPTARG ;;
	i) inter=1 ;;
	b) busy=1 ;;
	c) cut=$OPTARG ;;
	d) drop=$OPTARG ;;
	L) longat=$OPTARG ;;
	W) wideat=$OPTARG ;;
	n) ns=$OPTARG ;;
	*) sed -n '8,31s/^# \{0,1\}//p' "$me" >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
if [ $# != 1 ] || [ ! -d "$1" ]; then
	echo "usage: mkdump.sh [OPTIONS] DIR | all" >&2
	exit 2
fi
body "$1" "$rows" "$busy" | frame
