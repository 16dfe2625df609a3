#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Thresholds: "threshold [growth] module|cache NAME BYTES" in control. The
# peak sampler warns once per crossing ("oomtrace: warning: ..."), re-arms
# when the value falls back below, at most 8 warnings per 5 s; bad input is
# rejected and changes nothing.
# lab: cmdline="slab_nomerge" timeout=240
. /opt/oomtrace/lib.sh

plan 55

C=$OT_PROC/control
ctl() { printf '%s\n' "$*" >$C; }
warns() { dmesg | grep -c "oomtrace: warning: $1"; }
lk_bytes() { ot_field $OT_PROC/modules leaker live_bytes 2>/dev/null || echo 0; }

run_ok "insmod oomtrace" insmod $OT_DIR/oomtrace.ko
run_ok "insmod leaker" insmod $OT_DIR/leaker.ko
is "$(ot_status thresholds)" 0 "status: thresholds 0"
ok 'grep -q "^# commands: threshold \[growth\] module|cache NAME BYTES, threshold clear$" $C' \
	"control read lists the threshold commands"

# Bad input: -EINVAL (or -ENOSPC), nothing changes.
run_ok "threshold module leaker 2M accepted" ctl threshold module leaker 2M
before=$(cat $C)
long=$(printf '%060d' 0)
for bad in "threshold" "threshold module" "threshold module leaker" \
	"threshold module leaker 0" "threshold module leaker abc" "threshold module leaker 10Q" \
	"threshold module leaker -5" "threshold bogus leaker 1M" "threshold module leaker 1M extra" \
	"threshold growth leaker 1M" "threshold growth growth module leaker 1M" \
	"threshold module $long 1M" "threshold clear now" "thresholds clear" "threshold cache x 99999999999999999999"; do
	run_fails "rejected: '$bad'" ctl "$bad"
done
is "$(cat $C)" "$before" "control unchanged by rejected writes"
is "$(ot_status thresholds)" 1 "status: thresholds 1"
ok 'grep -qx "threshold module leaker 2097152 armed" $C' "control shows the threshold, armed"

# Leading zeros are decimal, as documented: memparse() would read "010" as
# octal 8 and "08" as 0 (a threshold of 0 bytes, always crossed).
run_ok "threshold module zeros 010K accepted" ctl threshold module zeros 010K
run_ok "threshold module zeros 08 accepted" ctl threshold module zeros 08
ok 'grep -qx "threshold module zeros 10240 armed" $C' "010K is 10240 bytes, not octal"
ok 'grep -qx "threshold module zeros 8 armed" $C' "08 is 8 bytes, not 0"
run_fails "rejected: 'threshold module zeros 000'" ctl threshold module zeros 000
if ! { ctl threshold clear && ctl threshold module leaker 2M; }; then diag "threshold reset failed"; fi

# Live threshold: one warning per crossing.
lk_cmd cache 8000
is "$(ot_field $OT_PROC/slabs leaker_obj live)" 8000 "slabs: leaker_obj holds leaker's 8000 objects, exactly"
fired() { [ "$(warns "module leaker live")" -ge "$1" ]; }
run_ok "crossing 2 MiB warns (bounded wait)" wait_until 5 fired 1
sleep 1
is "$(warns "module leaker live")" 1 "one warning per crossing, not per sample"
ok 'dmesg | grep -q "oomtrace: warning: module leaker live 2\.[0-9]* MiB crossed threshold 2\.00 MiB$"' \
	"warning names module, live size and threshold"
ok 'grep -qx "threshold module leaker 2097152 crossed" $C' "control shows it crossed"
lk_cmd free
armed() { grep -qx "threshold module leaker 2097152 armed" $C; }
run_ok "re-armed below the threshold (bounded wait)" wait_until 5 armed
lk_cmd cache 8000
run_ok "the next crossing warns again (bounded wait)" wait_until 5 fired 2
lk_cmd free

# Cache and growth thresholds.
run_ok "threshold cache leaker_obj 1M accepted" ctl threshold cache leaker_obj 1M
run_ok "threshold growth module leaker 1M accepted" ctl threshold growth module leaker 1M
sleep 1
lk_cmd cache 4000
cfired() { [ "$(warns "cache leaker_obj live")" -ge 1 ]; }
gfired() { [ "$(warns "module leaker grew")" -ge 1 ]; }
run_ok "cache threshold warns (bounded wait)" wait_until 5 cfired
run_ok "growth threshold warns (bounded wait)" wait_until 5 gfired
ok 'dmesg | grep -q "oomtrace: warning: module leaker grew 1\.[0-9]* MiB crossed growth threshold 1\.00 MiB$"' \
	"growth warning format"
is "$(warns "module leaker live")" 2 "the 2 MiB threshold was not crossed by 1.2 MiB"
lk_cmd free
run_ok "threshold clear" ctl threshold clear
is "$(ot_status thresholds)" 0 "status: thresholds 0 after clear"
ok '! grep -q "^threshold " $C' "control shows no threshold after clear"

# Rate limit: 16 crossings at once give 8 warnings; the rest are counted.
i=1
while [ $i -le 16 ]; do
	ctl threshold module leaker $((i * 100))K || diag "threshold $i rejected"
	i=$((i + 1))
done
is "$(ot_status thresholds)" 16 "16 thresholds set"
run_fails "a 17th is refused (table full)" ctl threshold module leaker 1700K
is "$(ot_status thresholds)" 16 "still 16 thresholds"
sleep 6	# a fresh rate-limit window
w0=$(warns "module leaker live")
lk_cmd cache 8000
allcrossed() { [ "$(grep -c ' crossed$' $C)" = 16 ]; }
run_ok "all 16 crossed (bounded wait)" wait_until 5 allcrossed
sleep 1
is "$(($(warns "module leaker live") - w0))" 8 "rate limit: 8 warnings for 16 crossings"
lk_cmd free
allarmed() { [ "$(grep -c ' armed$' $C)" = 16 ]; }
run_ok "all 16 re-armed (bounded wait)" wait_until 5 allarmed
sleep 5
lk_cmd cache 8000
supp() { dmesg | grep -q "oomtrace: 8 threshold warnings suppressed"; }
run_ok "the next window reports the 8 suppressed warnings (bounded wait)" wait_until 5 supp
lk_cmd free
dmesg | grep "oomtrace: " | sed 's/^/#   /'

run_ok "reset keeps thresholds" sh -c "printf 'reset\n' > $C"
is "$(ot_status thresholds)" 16 "status: thresholds 16 after reset"
run_ok "rmmod leaker" rmmod leaker
run_ok "rmmod oomtrace" rmmod oomtrace
