#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Real DRBD 8.4 (Debian's drbd.ko): a single-node resource on a RAM disk with
# 32 MiB of direct writes shows drbd's allocations in modules, module_slabs
# and slabs; after down and rmmod drbd, nothing large is left live for drbd.
# lab: mem=512 timeout=300 modules="drbd brd"
. /opt/oomtrace/lib.sh

M=$OT_PROC/modules
S=/lib/drbd/drbdsetup-84

run_ok "insmod oomtrace" insmod $OT_DIR/oomtrace.ko
run_ok "modprobe drbd" modprobe drbd
run_ok "modprobe brd" modprobe brd rd_nr=1 rd_size=65536
mkdir -p /var/lib/drbd /run/drbd /var/lock
run_ok "new-resource r0" $S new-resource r0
run_ok "new-minor r0 0 0" $S new-minor r0 0 0
run_ok "create-md" sh -c "echo yes | drbdmeta --force 0 v08 /dev/ram0 internal create-md >/dev/null 2>&1"
run_ok "attach" $S attach 0 /dev/ram0 /dev/ram0 internal
run_ok "primary --force" $S primary 0 --force
run_ok "32 MiB of direct writes" dd if=/dev/urandom of=/dev/drbd0 bs=1M count=32 oflag=direct

diag "modules while drbd is up:"
head -6 $M | sed 's/^/#   /'
cmp_ok "$(ot_field $M drbd allocs)" -gt 100 "modules: drbd has allocations"
cmp_ok "$(ot_field $M drbd live_bytes)" -gt 0 "modules: drbd holds live bytes while up"
is "$(ot_field $M drbd state)" live "modules: drbd state live"
ok 'grep -q "^drbd drbd_" $OT_PROC/module_slabs' "module_slabs: drbd fills its own drbd_* caches"
ok 'awk '"'"'$1 ~ /^drbd_/ && $8 == "drbd"'"'"' $OT_PROC/slabs | grep -q .' \
	"slabs: a drbd_* cache with top_module drbd"
ok 'grep -q "^drbd_[a-z_0-9.]*+0x[0-9a-f]*/0x[0-9a-f]* drbd " $OT_PROC/callsites' \
	"callsites: drbd functions named"
diag "drbd in module_slabs:"
grep '^drbd ' $OT_PROC/module_slabs | head -8 | sed 's/^/#   /'
for f in slabs modules callsites module_slabs; do
	run_ok "invariants hold in $f" ot_check_invariants $OT_PROC/$f
done

run_ok "down r0" $S down r0
run_ok "rmmod drbd" rmmod drbd
is "$(ot_field $M drbd state)" gone "after rmmod: drbd row gone"
live=$(ot_field $M drbd live_bytes)
diag "drbd live_bytes after down + rmmod: $live"
# No false leak: drbd frees everything it owns on down/rmmod (RCU-deferred
# frees trail by up to ~5 s: poll for them).
zero() { [ "$(ot_field $M drbd live_bytes)" -eq 0 ]; }
run_ok "after down + rmmod: nothing left live for drbd" wait_until 15 zero ||
	ot_diag_module drbd
run_ok "invariants hold after rmmod drbd" ot_check_invariants $M
run_ok "rmmod oomtrace" rmmod oomtrace
