#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Real bonding (Debian's bonding.ko) with two dummy slaves and ARP traffic:
# bonding's own allocations and the socket buffers it builds through core
# skb helpers are charged to bonding.
# lab: mem=512 timeout=240 modules="bonding dummy"
. /opt/oomtrace/lib.sh

M=$OT_PROC/modules
B=/sys/class/net/bond0/bonding

run_ok "insmod oomtrace" insmod $OT_DIR/oomtrace.ko
run_ok "modprobe bonding" modprobe bonding max_bonds=0
run_ok "modprobe dummy" modprobe dummy numdummies=2
run_ok "create bond0" sh -c "echo +bond0 > /sys/class/net/bonding_masters"
run_ok "mode active-backup" sh -c "echo active-backup > $B/mode"
# ARP monitoring makes bonding build and send ARP requests itself.
run_ok "arp_interval 100" sh -c "echo 100 > $B/arp_interval"
run_ok "arp_ip_target" sh -c "echo +10.9.0.2 > $B/arp_ip_target"
ip link set lo up
run_ok "enslave dummy0" sh -c "echo +dummy0 > $B/slaves"
run_ok "enslave dummy1" sh -c "echo +dummy1 > $B/slaves"
run_ok "bond0 up" ip link set bond0 up
ip addr add 10.9.0.1/24 dev bond0
# Traffic for 3 s: bonding's ARP probes every 100 ms plus pings through it.
ping -c 10 -i 0.2 -W 1 10.9.0.2 >/dev/null 2>&1
sleep 1

diag "bonding rows:"
grep -E '^(# module|bonding )' $M | sed 's/^/#   /'
grep ' bonding ' $OT_PROC/callsites | head -8 | sed 's/^/#   /'
cmp_ok "$(ot_field $M bonding allocs)" -gt 20 "modules: bonding has allocations"
cmp_ok "$(ot_field $M bonding live_bytes)" -gt 0 "modules: bonding holds live bytes (bond and slave state)"
ok 'grep -q "^bond_[a-z_0-9.]*+0x[0-9a-f]*/0x[0-9a-f]* bonding " $OT_PROC/callsites' \
	"callsites: bonding functions named"
ok 'grep -q "^bonding skbuff_head_cache\|^bonding kmalloc-" $OT_PROC/module_slabs' \
	"module_slabs: bonding rows"
f0=$(ot_field $M bonding frees)
cmp_ok "$f0" -gt 10 "bonding's ARP skbs are freed again (frees counted)"
for f in slabs modules callsites module_slabs; do
	run_ok "invariants hold in $f" ot_check_invariants $OT_PROC/$f
done

ip link set bond0 down
run_ok "delete bond0" sh -c "echo -bond0 > /sys/class/net/bonding_masters"
run_ok "rmmod bonding" rmmod bonding
is "$(ot_field $M bonding state)" gone "after rmmod: bonding row gone"
small() { [ "$(ot_field $M bonding live_bytes)" -le 16384 ]; }
run_ok "after rmmod: at most 16 KiB left live for bonding" wait_until 15 small ||
	ot_diag_module bonding
run_ok "rmmod oomtrace" rmmod oomtrace
