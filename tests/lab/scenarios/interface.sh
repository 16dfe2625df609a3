# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=dash
#
# oomtrace.ko's interface, in one boot: what modinfo says, every parameter
# at both ends of its range and just outside it (non-numeric, negative,
# overflowing and unaffordable values refused at insmod with a kernel log
# line, nothing left loaded, no allocation-failure splat, no OOM killer),
# the status keys and the files' modes, each table's banner and
# invariants, and control's reset. Real tracking is pinned by exact counts
# of leaker's allocations in every load that serves tables.
# (Merged from modinfo, status, params and params_huge: one boot instead of
# four; the status keys and epoch checks that params repeated are kept once.)
# lab: mem=512 timeout=300 needs=oomtrace
# shellcheck disable=SC2016 # ok's COND is eval'ed in ok()

# shellcheck source=tests/lab/guest/lib.sh
. /opt/oomtrace/lib.sh

OT=$OT_DIR/oomtrace.ko
P=/sys/module/oomtrace/parameters
TABLES="slabs modules callsites module_slabs"
KEYS="version format kernel mode tracking_seconds epoch tracked capacity dropped callsites callsites_capacity caches modules slab_merge module_bytes"
NUMERIC="tracking_seconds epoch tracked capacity dropped callsites callsites_capacity caches modules module_bytes"

plan 116

# Should the OOM killer run anyway (an unaffordable table), it takes
# insmod, not this shell.
echo -1000 >/proc/self/oom_score_adj

# ---- modinfo ----------------------------------------------------------------------
mark "modinfo"
modinfo $OT >/tmp/modinfo
sed 's/^/# /' /tmp/modinfo
ok 'grep -qE "^license: +(GPL|GPL v2|Dual [A-Za-z/]*GPL)$" /tmp/modinfo' "license is GPL"
ok 'grep -qE "^description: +[^ ]" /tmp/modinfo' "description present"
ok 'grep "^vermagic:" /tmp/modinfo | grep -qF " $(uname -r) "' "vermagic matches $(uname -r)"
cmp_ok "$(grep -c '^parm:' /tmp/modinfo)" -ge 1 "at least one parameter"
# "parm:  name:desc (type)": text between "name:" and " (type)".
undoc=$(awk '/^parm:/ { p = $2; sub(/:.*/, "", p); d = $0; sub(/^parm: +[^:]+:/, "", d);
	sub(/ *\([a-z]+\)$/, "", d); if (d !~ /[^ ]/) printf "%s ", p }' /tmp/modinfo)
is "$undoc" "" "every parm: line has a description"
notype=$(awk '/^parm:/ && $0 !~ /\((byte|short|ushort|int|uint|long|ulong|charp|bool|invbool|hexint|ullong)\)$/ { printf "%s ", $2 }' /tmp/modinfo)
is "$notype" "" "every parm: line ends with its type"

# ---- parameters: refused ------------------------------------------------------------
mark "parameters refused"
# refused PARAM=VALUE MESSAGE: insmod fails, MESSAGE is in the kernel log,
# nothing is loaded.
refused() {
	local st=0 n
	n=$(dmesg | wc -l)
	if insmod $OT "$1" 2>/dev/null; then
		st=1
		rmmod oomtrace
	fi
	grep -q '^oomtrace ' /proc/modules && st=1
	dmesg | tail -n +$((n + 1)) | grep -qF "oomtrace: $2" || st=1
	_tap_result $st "$1 refused: '$2'"
	[ $st = 0 ] || diag "  kernel log: $(dmesg | tail -n +$((n + 1)) | grep oomtrace | tail -n 2)"
}

# Just outside each range, with the module's own message.
refused max_objects=1023 "max_objects=1023 out of range 1024..268435456"
refused max_objects=268435457 "max_objects=268435457 out of range 1024..268435456"
refused max_objects=10 "max_objects=10 out of range"
refused max_objects=0 "max_objects=0 out of range"
refused max_callsites=1023 "max_callsites=1023 out of range 1024..1048576"
refused max_callsites=1048577 "max_callsites=1048577 out of range 1024..1048576"
refused max_callsites=0 "max_callsites=0 out of range"
refused walk_depth=65 "walk_depth=65 out of range 0..64"
refused walk_depth=1000 "walk_depth=1000 out of range 0..64"
refused peak_ms=9 "peak_ms=9 out of range 10..60000"
refused peak_ms=60001 "peak_ms=60001 out of range 10..60000"
refused peak_ms=0 "peak_ms=0 out of range"
refused max_events=1 "max_events=1 out of range 2..4096"
refused max_events=4097 "max_events=4097 out of range 2..4096"
refused max_events=0 "max_events=0 out of range"
refused dump_rows=0 "dump_rows=0 out of range 1..100"
refused dump_rows=101 "dump_rows=101 out of range 1..100"
refused mode=bogus "mode=bogus is neither exact nor sampled"
refused sample_bytes=4095 "sample_bytes=4095 out of range 4096..4194304"
refused sample_bytes=4194305 "sample_bytes=4194305 out of range 4096..4194304"

# Not numbers, negative, overflowing: the kernel's parameter parser.
for pv in max_objects=abc max_objects=-1 max_objects=1024x max_objects= \
	max_objects=18446744073709551616 max_callsites=1e4 max_callsites=-1024 \
	max_callsites=4294967296 walk_depth=x walk_depth=-1 walk_depth=4294967297 \
	peak_ms=fast peak_ms=-100 max_events=ten max_events=-64 walk_all=2 walk_all=maybe; do
	refused "$pv" "\`${pv#*=}' invalid for parameter \`${pv%%=*}'"
done

# In range but unaffordable: the top of max_objects (8 GiB of table) and
# max_callsites need more than a 512 MiB machine has. ENOMEM and a line
# saying why, before any allocation: no splat, no OOM killer.
for pv in max_objects=268435456 max_callsites=1048576 "max_objects=268435456 max_callsites=1048576"; do
	n=$(dmesg | wc -l)
	sh -c "echo 1000 >/proc/self/oom_score_adj; exec /sbin/insmod $OT $pv" >/tmp/insmod.out 2>&1
	rc=$?
	dmesg | tail -n +$((n + 1)) >/tmp/klog.txt
	diag "insmod $pv: exit $rc: $(cat /tmp/insmod.out)"
	sed 's/^/#   /' /tmp/klog.txt | grep -v 'taint' | head -n 6
	ok "[ $rc -ne 0 ] && ! grep -q '^oomtrace ' /proc/modules" "$pv: refused, nothing loaded"
	ok 'grep -q "Cannot allocate memory" /tmp/insmod.out' "$pv: insmod says ENOMEM (not killed)"
	ok '! grep -qE "invoked oom-killer|Out of memory" /tmp/klog.txt' "$pv: no OOM killer"
	ok '! grep -qE "vmalloc error|page allocation failure|Call Trace" /tmp/klog.txt' \
		"$pv: no allocation-failure splat"
	ok 'grep -v taint /tmp/klog.txt | grep -q "oomtrace: .*more than a quarter"' \
		"$pv: oomtrace explains in the kernel log"
done

# ---- parameters: both ends load ----------------------------------------------------
mark "parameters at both ends"
# loads "PARAMS" "STATUS-KEY VALUE"...: one load of oomtrace.ko with PARAMS;
# the values show in status (events for max_events) and in sysfs, and
# leaker's 100 kmallocs of 4 KiB are counted exactly (100 live in
# kmalloc-4k), whatever the parameters: in sampled mode too, as they are
# not smaller than sample_bytes (4096 at most here).
loads() {
	local params=$1 kv got bad=""
	shift
	# shellcheck disable=SC2086
	if ! insmod $OT $params; then
		_tap_result 1 "insmod $params"
		return
	fi
	for kv in "$@"; do
		case ${kv%% *} in
		max_events) got=$(sed -n 's/^# max_events=\([0-9]*\) .*/\1/p' $OT_PROC/events) ;;
		*) got=$(ot_status "${kv%% *}") ;;
		esac
		[ "$got" = "${kv#* }" ] || bad="$bad ${kv%% *}=$got"
	done
	for kv in $params; do
		got=$(cat "$P/${kv%%=*}")
		case ${kv#*=} in 1) [ "$got" = Y ] && got=1 ;; 0) [ "$got" = N ] && got=0 ;; esac
		[ "$got" = "${kv#*=}" ] || bad="$bad sys:${kv%%=*}=$got"
	done
	insmod $OT_DIR/leaker.ko && lk_cmd kmalloc 100 4096 || bad="$bad leaker"
	got=$(awk '$1 == "leaker" && $2 == "kmalloc-4k" { print $3 }' $OT_PROC/module_slabs)
	[ "$got" = 100 ] || bad="$bad leaker-kmalloc-4k=$got"
	rmmod leaker || bad="$bad rmmod-leaker"
	rmmod oomtrace || bad="$bad rmmod"
	is "$bad" "" "insmod $params: loads, values shown, leaker's 100 objects counted, unloads"
}
loads "max_objects=1024 max_callsites=1024" "capacity 1024" "callsites_capacity 1024"
loads "walk_depth=0 peak_ms=10 max_events=2 walk_all=0" \
	"walk_depth 0" "peak_ms 10" "max_events 2" "walk_all 0"
loads "walk_depth=64 peak_ms=60000 max_events=4096 walk_all=1" \
	"walk_depth 64" "peak_ms 60000" "max_events 4096" "walk_all 1"
loads "max_objects=2097152 max_callsites=65536" "capacity 2097152" "callsites_capacity 65536"
loads "mode=sampled sample_bytes=4096" "mode sampled" "sample_bytes 4096"
loads "mode=exact sample_bytes=4194304" "mode exact" "sample_bytes 4194304"
loads "dump_rows=1"
loads "dump_rows=100"
ok '! grep -q "^oomtrace " /proc/modules' "nothing loaded after the boundary loads"

# A tiny pointer table: what does not fit is dropped and counted.
run_ok "insmod max_objects=1024" insmod $OT max_objects=1024
is "$(ot_status capacity)" 1024 "status: capacity 1024"
run_ok "insmod leaker" insmod $OT_DIR/leaker.ko
base=$(ot_field $OT_PROC/modules leaker live)
lk_cmd kmalloc 5000 64
cmp_ok "$(ot_status dropped)" -gt 2000 "a full table drops and counts"
cmp_ok "$(ot_status tracked)" -le 2048 "tracked objects stay within the table"
live=$(ot_field $OT_PROC/modules leaker live)
cmp_ok "$live" -le 2048 "leaker's live count only holds tracked objects"
cmp_ok "$live" -gt 1000 "the table filled with leaker's objects"
lk_cmd free
is "$(ot_field $OT_PROC/modules leaker live)" "$base" \
	"frees of dropped objects are ignored: live back to the baseline"
ot_invariants "with a full table"
run_ok "rmmod leaker" rmmod leaker
run_ok "rmmod oomtrace" rmmod oomtrace
run_ok "a default load works after the refusals" insmod $OT

# ---- status ---------------------------------------------------------------------------
mark "status"
cat $OT_PROC/status >/tmp/status
diag "status:"
sed 's/^/#   /' /tmp/status
missing=""
for k in $KEYS; do
	grep -q "^$k: ." /tmp/status || missing="$missing $k"
done
is "$missing" "" "every documented status key present"
notnum=""
for k in $NUMERIC; do
	ot_status "$k" | grep -qE '^[0-9]+$' || notnum="$notnum $k"
done
is "$notnum" "" "numeric status keys are non-negative integers"
ok 'ot_status version | grep -qE "^[0-9]+\.[0-9]+\.[0-9]+"' "version looks like x.y.z"
is "$(ot_status version)" "$(sed -n 's/^version: *//p' /tmp/modinfo)" "version: as modinfo says"
is "$(ot_status format)" 1 "format: 1"
is "$(ot_status kernel)" "$(uname -r)" "kernel: uname -r"
ok 'ot_status mode | grep -qxE "exact|sampled"' "mode is exact or sampled"
cmp_ok "$(ot_status tracked)" -le "$(ot_status capacity)" "tracked <= capacity"
cmp_ok "$(ot_status capacity)" -gt 0 "capacity > 0"
cmp_ok "$(ot_status callsites)" -le "$(ot_status callsites_capacity)" "callsites <= callsites_capacity"
# Ground truth: merged caches are aliases (symlinks) in /sys/kernel/slab.
# Debian's kernel booted without slab_nomerge merges; a KASAN kernel (the
# debug lane) never does (SLAB_KASAN is in SLAB_NEVER_MERGE).
merge=off
[ -n "$(find /sys/kernel/slab -maxdepth 1 -type l | head -n 1)" ] && merge=on
is "$(ot_status slab_merge)" "$merge" "slab_merge: $merge, as /sys/kernel/slab aliases say"
badmode=""
for f in "$OT_PROC"/*; do
	want="400 0 0"
	[ "${f##*/}" = control ] && want="600 0 0"
	[ "$(stat -c '%a %u %g' "$f")" = "$want" ] || badmode="$badmode ${f##*/}=$(stat -c '%a:%u:%g' "$f")"
done
is "$badmode" "" "files are 0400 (control 0600), owned by root:root"

# Real tracking behind the counters: 1000 x 100 B kmalloc from leaker
# (kmalloc-128), on top of what leaker's init keeps (its mempool's 4
# reserve objects and their pointer array, charged to leaker through the
# helper: 5 objects on 6.1, 6 on 6.12).
run_ok "insmod leaker" insmod $OT_DIR/leaker.ko
lk0=$(ot_field $OT_PROC/modules leaker live)
a0=$(ot_status allocs_seen)
lk_cmd kmalloc 1000 100
is "$(awk '$1 == "leaker" && $2 == "kmalloc-128" { print $3 }' $OT_PROC/module_slabs)" 1000 \
	"module_slabs: leaker kmalloc-128 live 1000"
is "$(ot_field $OT_PROC/modules leaker live)" $((lk0 + 1000)) "modules: leaker live +1000 exactly"
cmp_ok "$(($(ot_status allocs_seen) - a0))" -ge 1000 "status: allocs_seen counted the 1000"
cmp_ok "$(ot_status tracked)" -ge $((lk0 + 1000)) "status: tracked holds leaker's objects"
for t in $TABLES; do
	cat "$OT_PROC/$t" >"/tmp/$t"
	mode=$(ot_status mode)
	is "$(head -n 1 "/tmp/$t")" "# oomtrace $t format=1 mode=$mode" "$t: first line"
	run_ok "$t: rows consistent" ot_check_invariants "/tmp/$t"
done
lk_cmd free
is "$(ot_field $OT_PROC/modules leaker live)" "$lk0" "free: leaker back to what its init keeps"

# ---- control: reset -----------------------------------------------------------------
epoch=$(ot_status epoch)
run_ok "control: reset accepted" sh -c "printf 'reset\n' > $OT_PROC/control"
is "$(ot_status epoch)" $((epoch + 1)) "reset increments epoch"
ok '! grep -q "^leaker " $OT_PROC/modules' "reset: leaker's row forgotten"
lk_cmd kmalloc 7 100
is "$(ot_field $OT_PROC/modules leaker live)" 7 "after reset: counted from zero (7)"
run_fails "control: bogus command rejected" sh -c "printf 'bogus\n' > $OT_PROC/control"
lk_cmd free
run_ok "rmmod leaker" rmmod leaker

# modinfo's parameters are the ones the module has.
notlisted=""
for p in /sys/module/oomtrace/parameters/*; do
	[ -e "$p" ] || continue
	grep -q "^parm: *${p##*/}:" /tmp/modinfo || notlisted="$notlisted ${p##*/}"
done
is "$notlisted" "" "every sysfs parameter is documented by modinfo"
run_ok "rmmod oomtrace" rmmod oomtrace
