# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=dash
#
# The top of the max_objects and max_callsites ranges needs more memory than
# a 512 MiB machine has. Loading with them must fail cleanly: ENOMEM, a
# kernel log line from oomtrace saying why, no allocation-failure splat
# (vmalloc error + stack dump) and no OOM killer; the machine stays usable
# and a normal load works afterwards.
# lab: mem=512 timeout=180 needs=oomtrace

# shellcheck source=tests/lab/guest/lib.sh
. /opt/oomtrace/lib.sh

OT=$OT_DIR/oomtrace.ko
# Should the OOM killer run anyway, it takes insmod, not this shell.
echo -1000 >/proc/self/oom_score_adj

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
	ok 'grep -v taint /tmp/klog.txt | grep -q "oomtrace: "' "$pv: oomtrace explains in the kernel log"
done
run_ok "a default load works afterwards" insmod $OT
run_ok "status readable" grep -q '^version: ' $OT_PROC/status
run_ok "rmmod oomtrace" rmmod oomtrace
