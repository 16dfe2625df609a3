#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=dash
#
# Real bonding (Debian's bonding.ko) with a real peer: bond0 in
# active-backup mode over one end of a veth pair; the other end lives in a
# network namespace of its own, where sniff counts every frame it receives.
# The ARP monitor starts once the bond has its slave and its address, so
# every probe goes to the peer. Pings cross the bond and come back.
# bonding's ARP monitor builds its ARP probes itself (bond_arp_send() ->
# arp_create() -> alloc_skb()): each probe is one skb head in
# skbuff_head_cache and one data buffer from kmalloc, charged to bonding
# through the skb helpers. oomtrace must count exactly two allocations per
# probe the peer received, and nothing live for bonding once they are sent
# and the bond is gone. IPv6 is off (ipv6.disable=1): no neighbour
# discovery traffic of bonding's own muddies the count.
# lab: mem=512 timeout=240 modules="bonding veth" cmdline="ipv6.disable=1" needs=oomtrace

# shellcheck source=tests/lab/guest/lib.sh
. /opt/oomtrace/lib.sh

M=$OT_PROC/modules
B=/sys/class/net/bond0/bonding
PINGS=20

plan 26

# bonding's call site that sends the ARP probes: "bond_arp_send+0x.../0x..."
probe_site() {
	awk '$2 == "bonding" && $1 ~ /^bond_arp_send[.a-z0-9_]*\+0x/ { a += $3; f += $4; l += $5 }
		END { print a + 0, f + 0, l + 0 }' $OT_PROC/callsites
}
sniffed() { awk -v k="$1" 'index($0, k " ") == 1 { n += $NF } END { print n + 0 }' /tmp/sniff.out; }

run_ok "insmod oomtrace" insmod $OT_DIR/oomtrace.ko
run_ok "modprobe bonding, veth" sh -c "modprobe bonding max_bonds=0 && modprobe veth"
run_ok "peer namespace with a veth end, 10.9.0.2 and 10.9.0.3" sh -c '
	$IPROUTE2 netns add peer && $IPROUTE2 link add vb0 type veth peer name vp0 &&
	$IPROUTE2 link set vp0 netns peer &&
	$IPROUTE2 netns exec peer ip link set lo up &&
	$IPROUTE2 netns exec peer ip link set vp0 up &&
	$IPROUTE2 netns exec peer ip addr add 10.9.0.2/24 dev vp0 &&
	$IPROUTE2 netns exec peer ip addr add 10.9.0.3/24 dev vp0'
rm -f /tmp/sniff.stop
$IPROUTE2 netns exec peer sniff vp0 /tmp/sniff.stop >/tmp/sniff.out 2>&1 &
sniff_pid=$!
ready() { grep -q '^sniff: ready' /tmp/sniff.out; }
run_ok "the peer counts what it receives (bounded)" wait_until 10 ready

run_ok "create bond0" sh -c "echo +bond0 > /sys/class/net/bonding_masters"
run_ok "mode active-backup" sh -c "echo active-backup > $B/mode"
run_ok "enslave vb0" sh -c "echo +vb0 > $B/slaves"
run_ok "bond0 up, 10.9.0.1/24" sh -c "ip link set bond0 up && ip addr add 10.9.0.1/24 dev bond0"
active() { [ "$(cat $B/active_slave)" = vb0 ]; }
run_ok "vb0 is the active slave (bounded)" wait_until 10 active
# ARP monitoring makes bonding build and send ARP probes itself, every
# 100 ms, to 10.9.0.2; the pings go to 10.9.0.3, so the kernel's own ARP
# requests (for the pings' next hop) are told apart by their target.
run_ok "arp_ip_target 10.9.0.2, arp_interval 100" \
	sh -c "echo +10.9.0.2 > $B/arp_ip_target && echo 100 > $B/arp_interval"

ping -c $PINGS -i 0.2 -W 2 10.9.0.3 >/tmp/ping.out 2>&1
sed -n 's/^\(.*packets transmitted.*\)/# ping: \1/p' /tmp/ping.out
is "$(sed -n 's/.* \([0-9]*\) packets received.*/\1/p' /tmp/ping.out)" $PINGS \
	"$PINGS pings through the bond answered by the peer"
sleep 1
# Stop the probes, let the last one arrive, stop counting.
run_ok "arp_interval 0: no more probes" sh -c "echo 0 > $B/arp_interval"
sleep 1
touch /tmp/sniff.stop
run_ok "the peer's count ends (bounded)" wait_until 10 pids_done $sniff_pid
diag "received by the peer:"
sed 's/^/#   /' /tmp/sniff.out
# Every ARP request for 10.9.0.2 is one of bonding's probes.
probes=$(awk '$1 == "arp" && $2 == "request" && $4 == "10.9.0.2" { n += $5 } END { print n + 0 }' /tmp/sniff.out)
diag "bond_arp_send rows (allocs frees live): $(probe_site)"
grep ' bonding ' $OT_PROC/callsites | sed 's/^/#   /'
grep '^bonding ' $OT_PROC/module_slabs | sed 's/^/#   /'
cmp_ok "$probes" -ge 10 "the peer received bonding's ARP probes ($probes)"
is "$(sniffed "ipv4 icmp")" $PINGS "the peer received exactly the $PINGS echo requests"
# shellcheck disable=SC2046 # three numbers
set -- $(probe_site)
is "$1" $((2 * probes)) "callsites: bond_arp_send allocated 2 x $probes (skb head + data per probe)"
is "$3" 0 "callsites: every probe freed once sent"
ot_invariants "with the bond up"

ip link set bond0 down
run_ok "delete bond0" sh -c "echo -bond0 > /sys/class/net/bonding_masters"
run_ok "rmmod bonding" rmmod bonding
is "$(ot_field $M bonding state)" gone "after rmmod: bonding row gone"
nothing() { [ "$(ot_field $M bonding live_bytes)" -eq 0 ]; }
run_ok "after rmmod: nothing left live for bonding (bounded)" wait_until 15 nothing ||
	ot_diag_module bonding
$IPROUTE2 netns del peer
run_ok "rmmod oomtrace" rmmod oomtrace
