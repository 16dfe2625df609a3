# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=dash
#
# /proc/oomtrace/status has every documented key with a sane value, the
# files have the documented modes and owner, every table starts with its
# "# oomtrace NAME format=1 mode=MODE" line and passes the row invariants,
# and control accepts "reset" and rejects anything else (docs/format.md).
# lab: needs=oomtrace
# shellcheck disable=SC2016 # ok's COND is eval'ed in ok()

# shellcheck source=tests/lab/guest/lib.sh
. /opt/oomtrace/lib.sh

TABLES="slabs modules callsites module_slabs"
KEYS="version format kernel mode tracking_seconds epoch tracked capacity dropped callsites callsites_capacity caches modules slab_merge module_bytes"
NUMERIC="tracking_seconds epoch tracked capacity dropped callsites callsites_capacity caches modules module_bytes"

plan 24

run_ok "insmod oomtrace.ko" insmod /opt/oomtrace/oomtrace.ko
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
ok '[ -e $OT_PROC/control ] && [ -e $OT_PROC/status ]' "control and status exist"

insmod /opt/oomtrace/leaker.ko
lk_cmd kmalloc 100 200
for t in $TABLES; do
	cat "$OT_PROC/$t" >"/tmp/$t"
	mode=$(ot_status mode)
	is "$(head -n 1 "/tmp/$t")" "# oomtrace $t format=1 mode=$mode" "$t: first line"
	run_ok "$t: rows consistent" ot_check_invariants "/tmp/$t"
done
lk_cmd free
rmmod leaker

epoch=$(ot_status epoch)
run_ok "control: reset accepted" sh -c "printf 'reset\n' > $OT_PROC/control"
is "$(ot_status epoch)" $((epoch + 1)) "reset increments epoch"
run_fails "control: bogus command rejected" sh -c "printf 'bogus\n' > $OT_PROC/control"
