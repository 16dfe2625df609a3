# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=dash
#
# Who may see what. Every /proc/oomtrace file is root only (0400, control
# 0600, owner root:root): uid 65534 (also with gid 0, also as "root" of its
# own user namespace) can neither read a table nor write control. No file and
# no oomtrace kernel log line shows a raw kernel address (0xffff..., a
# 16-hex-digit word, a hashed %p) under kptr_restrict 0, 1 and 2: code
# addresses appear only as symbols (func+0xoff/0xsize). The log lines are
# exercised with a threshold crossing and a real OOM.
# lab: mem=256 expect=oom timeout=180 needs=oomtrace

# shellcheck source=tests/lab/guest/lib.sh
. /opt/oomtrace/lib.sh

plan 55

LT=/usr/bin/labtool
FILES="status control slabs modules callsites module_slabs events"
# A raw or hashed kernel address: 0xffff..., ffff + 12 hex digits, any
# 16-hex-digit word, a long 0x number (symbol offsets and sizes are short).
ADDR='(0x)?ffff[0-9a-f]{12}|(^|[^0-9a-zA-Z])[0-9a-f]{16}([^0-9a-zA-Z]|$)|0x[0-9a-f]{9,}'

# The pattern itself: it must catch each form, and not a symbol.
bad=""
for a in "x ffff8ad2831bc000 y" "RIP: 0xffffffffc0a01234" "ptr=00000000d3c0a6f1" "at 0xc0a012345"; do
	echo "$a" | grep -qE "$ADDR" || bad="$bad [$a]"
done
echo "leaker_do_kmalloc+0x2a/0x90 kmalloc-1k 1048576 ffff" | grep -qE "$ADDR" && bad="$bad [symbol matched]"
is "$bad" "" "the address pattern catches raw, 0x, hashed pointers and not symbols"

# The scenario shell must survive the OOM: only the hog is killable.
echo -1000 >/proc/self/oom_score_adj

run_ok "insmod oomtrace" insmod $OT_DIR/oomtrace.ko
run_ok "insmod leaker" insmod $OT_DIR/leaker.ko
lk_cmd kmalloc 200 1000
lk_cmd cache 100
lk_cmd mempool 10
lk_cmd pages 4 0
lk_cmd vmalloc 2 8192
is "$(awk '$1 == "leaker" && $2 == "kmalloc-1k" { print $3 }' $OT_PROC/module_slabs)" 200 \
	"module_slabs: leaker's 200 x 1000 B live in kmalloc-1k, exactly"

# ---- modes --------------------------------------------------------------------
for f in $FILES; do
	want="400 0 0"
	[ "$f" = control ] && want="600 0 0"
	is "$(stat -c '%a %u %g' "$OT_PROC/$f")" "$want" "$f: mode $want"
done
is "$(stat -c '%a %u %g' $OT_PROC)" "555 0 0" "/proc/oomtrace: 555 root:root"
is "$(cd $OT_PROC && echo *)" \
	"callsites control events module_slabs modules slabs status" "exactly the documented files"

# ---- uid 65534 ------------------------------------------------------------------
epoch=$(ot_status epoch)
nobody() { $LT as 65534 65534 "$@"; }
is "$(nobody id -u)" 65534 "labtool as drops to uid 65534"
for f in $FILES; do
	is "$(nobody $LT read "$OT_PROC/$f")" "open:EACCES 0" "uid 65534 cannot open $f for reading"
done
is "$(nobody $LT write $OT_PROC/control 'reset\n')" "open:EACCES" "uid 65534 cannot open control for writing"
is "$($LT as 65534 0 $LT read $OT_PROC/slabs)" "open:EACCES 0" "uid 65534 with gid 0 cannot read slabs"
is "$($LT as 65534 0 $LT write $OT_PROC/control 'reset')" "open:EACCES" \
	"uid 65534 with gid 0 cannot write control"
run_fails "uid 65534: busybox cat of modules fails" nobody cat $OT_PROC/modules
run_fails "uid 65534: shell redirect into control fails" nobody sh -c "echo reset > $OT_PROC/control"
# Capabilities in a user namespace of its own do not reach init's /proc files.
if nobody unshare -U -r id -u 2>/dev/null | grep -qx 0; then
	is "$(nobody unshare -U -r $LT read $OT_PROC/modules)" "open:EACCES 0" \
		"uid 65534 as root of its own user namespace cannot read modules"
	is "$(nobody unshare -U -r $LT write $OT_PROC/control reset)" "open:EACCES" \
		"uid 65534 as root of its own user namespace cannot write control"
else
	skip "user namespace root cannot read modules" "unprivileged user namespaces disabled"
	skip "user namespace root cannot write control" "unprivileged user namespaces disabled"
fi
is "$(ot_status epoch)" "$epoch" "no reset happened through any refused write"
is "$(ot_status thresholds)" 0 "no threshold appeared"

# ---- log lines: a threshold crossing and an OOM ---------------------------------
is "$($LT write $OT_PROC/control 'threshold module leaker 1M' 'threshold growth cache kmalloc-4k 2M')" \
	"ok
ok" "thresholds set"
lk_cmd kmalloc 600 4096
crossed() { dmesg | grep -q 'oomtrace: warning: module leaker live'; }
run_ok "threshold crossing logged (bounded wait)" wait_until 10 crossed
sh -c 'echo 500 >/proc/self/oom_score_adj; exec hog' >/tmp/hog.out 2>&1 &
hog_pid=$!
# Wait for the kill itself, not for oomtrace's event: the notifier runs
# before the OOM killer picks a victim, and a hog killed by us in between
# exits without the OOM killer's report.
killed() { [ "$(awk '$1 == "oom_kill" { print $2 }' /proc/vmstat)" -ge 1 ]; }
run_ok "the OOM killer killed the hog (bounded wait)" wait_until 60 killed
ok "grep -q '^event ' $OT_PROC/events" "an OOM recorded in events"
kill -9 $hog_pid 2>/dev/null
wait $hog_pid 2>/dev/null
run_ok "OOM summary in the kernel log" sh -c "dmesg | grep -q 'oomtrace: OOM #1 at'"

# ---- no raw address, under every kptr_restrict -----------------------------------
kr0=$(cat /proc/sys/kernel/kptr_restrict)
for kr in 0 1 2; do
	echo $kr >/proc/sys/kernel/kptr_restrict
	rm -f /tmp/all.txt
	for f in $FILES; do
		sed "s|^|$f: |" "$OT_PROC/$f" >>/tmp/all.txt
	done
	n=$(wc -l </tmp/all.txt)
	cmp_ok "$n" -gt 50 "kptr_restrict=$kr: all files read as root ($n lines)"
	is "$(grep -E "$ADDR" /tmp/all.txt | head -n 5)" "" "kptr_restrict=$kr: no kernel address in any file"
	bad=$(awk '/^callsites: #/ { next }
		/^callsites: / && $2 !~ /^([A-Za-z0-9_.$]+\+0x[0-9a-f]+\/0x[0-9a-f]+|\?)$/' /tmp/all.txt | head -n 5)
	is "$bad" "" "kptr_restrict=$kr: every call site is func+0xoff/0xsize (or ?)"
	ok "grep -q '^callsites: leaker_[a-z_]*+0x[0-9a-f]*/0x[0-9a-f]* leaker ' /tmp/all.txt" \
		"kptr_restrict=$kr: leaker's call sites are symbols"
	dmesg | grep oomtrace >/tmp/klog.txt
	is "$(grep -E "$ADDR" /tmp/klog.txt | head -n 5)" "" \
		"kptr_restrict=$kr: no kernel address in oomtrace's kernel log lines ($(wc -l </tmp/klog.txt) lines)"
done
echo "$kr0" >/proc/sys/kernel/kptr_restrict

# Gone modules keep their call site names.
lk_cmd free
run_ok "rmmod leaker" rmmod leaker
ok "grep -q '^leaker_[a-z_]*+0x[0-9a-f]*/0x[0-9a-f]* leaker ' $OT_PROC/callsites" \
	"after rmmod: leaker's call sites still named, no address"
is "$(grep -E "$ADDR" $OT_PROC/callsites $OT_PROC/modules | head -n 3)" "" "after rmmod: no address"
run_ok "rmmod oomtrace" rmmod oomtrace
is "$(dmesg | grep oomtrace | grep -E "$ADDR" | head -n 3)" "" "no address in the log after unload"
