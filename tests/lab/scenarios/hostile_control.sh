# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=dash
#
# /proc/oomtrace/control under hostile input: every malformed command, random
# bytes of many sizes (0 .. 1 MiB), commands split over several writes,
# mutated valid commands, and concurrent writers. Malformed input must get
# EINVAL (a full threshold table ENOSPC), never change the state (the stable
# status keys and the threshold list), and never upset the kernel.
#
# Split writes: control takes one command per write(2) and never reassembles
# pieces (docs/format.md). `dd bs=1` of a valid command is therefore refused
# byte by byte and changes nothing; a split whose first piece happens to be a
# whole command ("reset" + "\n") runs that command and refuses the rest.
# lab: timeout=300 needs=oomtrace

# shellcheck source=tests/lab/guest/lib.sh
. /opt/oomtrace/lib.sh

plan 127

C=$OT_PROC/control
LT=/usr/bin/labtool
FUZZ_BYTES=0

# The state hostile writes must not change: the stable status keys plus the
# thresholds as control lists them.
snap() {
	grep -E '^(version|format|kernel|mode|epoch|capacity|callsites_capacity|slab_merge|walk_depth|walk_all|bulk_probes|peak_ms|events|thresholds): ' \
		$OT_PROC/status | tr '\n' ' '
	grep -v '^#' $C | tr '\n' ';'
}

# Every line of control is a comment or a well-formed threshold, and their
# number is status' thresholds.
control_sane() {
	local n bad
	bad=$(grep -v '^#' $C | grep -cvE '^threshold (growth )?(module|cache) [^[:space:][:cntrl:]]+ [1-9][0-9]* (armed|crossed)$')
	n=$(grep -vc '^#' $C)
	[ "$bad" = 0 ] && [ "$n" = "$(ot_status thresholds)" ] && [ "$n" -le 16 ] && return 0
	# Say why (ok() hides the condition's output): control_ok prints it.
	{
		echo "control_sane: bad=$bad lines=$n status=$(ot_status thresholds)"
		grep -v '^#' $C | grep -vE '^threshold (growth )?(module|cache) [^[:space:][:cntrl:]]+ [1-9][0-9]* (armed|crossed)$' |
			od -c | head -n 8
	} >/tmp/control_sane.why
	return 1
}

# control_ok DESC: control_sane as a test, with its reason on failure.
control_ok() {
	rm -f /tmp/control_sane.why
	ok control_sane "$1" || sed "s/^/  /" /tmp/control_sane.why | while IFS= read -r l; do diag "$l"; done
}

run_ok "insmod oomtrace" insmod $OT_DIR/oomtrace.ko
run_ok "insmod leaker" insmod $OT_DIR/leaker.ko
is "$($LT write $C 'threshold module leaker 64M\n' 'threshold growth cache kmalloc-64 1G')" \
	"ok
ok" "baseline: two thresholds set"
before=$(snap)
diag "state: $before"

# ---- every malformed command ---------------------------------------------------
mark "every malformed command"
# "EXPECTED COMMAND" per line; COMMAND in labtool's escapes (\n \t \0 \xHH).
long55=$(printf '%055d' 0 | tr 0 m)
long56=${long55}m
long48=$(printf '%048d' 0 | tr 0 c)
bad_cmds() {
	cat <<EOF
EINVAL
EINVAL \n
EINVAL \n\n
EINVAL \x20\t\r\n
EINVAL \0
EINVAL \0\0\0\0
EINVAL RESET
EINVAL Reset
EINVAL rese
EINVAL resett
EINVAL reset extra
EINVAL reset reset
EINVAL reset 0
EINVAL reset;
EINVAL reset\nreset
EINVAL reset\nthreshold clear
EINVAL reset\0
EINVAL reset\0junk
EINVAL \0reset
EINVAL reset\x01
EINVAL resetreset
EINVAL clear
EINVAL help
EINVAL thresholds clear
EINVAL thresholdclear
EINVAL threshold
EINVAL threshold\n
EINVAL threshold\0clear
EINVAL threshold clear extra
EINVAL threshold clear 5
EINVAL threshold clearx
EINVAL threshold CLEAR
EINVAL threshold growth
EINVAL threshold growth clear
EINVAL threshold module
EINVAL threshold module leaker
EINVAL threshold module leaker 0
EINVAL threshold module leaker 00
EINVAL threshold module leaker 0K
EINVAL threshold module leaker -1
EINVAL threshold module leaker -0
EINVAL threshold module leaker -64M
EINVAL threshold module leaker +5
EINVAL threshold module leaker 0x10
EINVAL threshold module leaker 1e6
EINVAL threshold module leaker 1.5M
EINVAL threshold module leaker 1KB
EINVAL threshold module leaker 1KK
EINVAL threshold module leaker K
EINVAL threshold module leaker M
EINVAL threshold module leaker 1T
EINVAL threshold module leaker 1P
EINVAL threshold module leaker 64\x20M
EINVAL threshold module leaker 9223372036854775808
EINVAL threshold module leaker 18446744073709551615
EINVAL threshold module leaker 18446744073709551616
EINVAL threshold module leaker 99999999999999999999999999999999
EINVAL threshold module leaker 9007199254740992K
EINVAL threshold module leaker 8796093022208M
EINVAL threshold module leaker 8589934592G
EINVAL threshold module leaker 10 extra
EINVAL threshold module leaker 10 10
EINVAL threshold modules leaker 10
EINVAL threshold Module leaker 10
EINVAL threshold slab kmalloc-64 10
EINVAL threshold page leaker 10
EINVAL threshold leaker 10
EINVAL threshold growth growth module leaker 10
EINVAL threshold module growth leaker 10
EINVAL threshold growth module leaker
EINVAL threshold growth module leaker 0
EINVAL threshold growth cache kmalloc-64 -5
EINVAL threshold growth clear module leaker 10
EINVAL threshold module $long56 10
EINVAL threshold cache $long48 10
EINVAL threshold module leaker 10\0junk
EINVAL threshold module leaker 10\nK
EINVAL threshold module leaker\0 10
EINVAL threshold module lea\nker 10
EINVAL threshold module leaker\n 10
EINVAL threshold cache kmalloc\r-64 10
EINVAL threshold module lea\x1bker 10
EINVAL threshold module lea\x7fker 10
EINVAL threshold\x0bmodule leaker 10
EOF
}
n_bad=0
while IFS= read -r line; do
	exp=${line%% *}
	case $line in *' '*) cmd=${line#* } ;; *) cmd= ;; esac
	got=$($LT write $C "$cmd")
	is "$got" "$exp" "refused: '$cmd'"
	n_bad=$((n_bad + 1))
	FUZZ_BYTES=$((FUZZ_BYTES + ${#cmd}))
done <<EOF
$(bad_cmds)
EOF
is "$(snap)" "$before" "state unchanged after $n_bad malformed commands"
control_ok "control still lists only well-formed thresholds"

# Back to the baseline if some malformed command got through (reported
# above), so that the sections below judge only themselves.
baseline() {
	$LT write $C 'threshold clear' 'threshold module leaker 64M\n' \
		'threshold growth cache kmalloc-64 1G' >/dev/null
	before=$(snap)
}
baseline

# Over-long commands: a valid command padded beyond the 127-byte buffer.
pad=$(printf '%200s' '')
is "$($LT write $C "reset$pad" "threshold module leaker 10$pad\n" "$pad")" \
	"EINVAL
EINVAL
EINVAL" "valid commands padded to > 127 bytes: EINVAL"
FUZZ_BYTES=$((FUZZ_BYTES + 3 * 200 + 32))
is "$(snap)" "$before" "state unchanged after over-long commands"
baseline

# ---- commands split over several writes ------------------------------------------------
mark "commands split"
is "$($LT write -s 1 $C 'reset\n')" "EINVAL EINVAL EINVAL EINVAL EINVAL EINVAL" \
	"'reset\\n' one byte per write: every byte refused on its own"
is "$($LT write -s 7 $C 'threshold module leaker 1M\n')" "EINVAL EINVAL EINVAL EINVAL" \
	"'threshold module leaker 1M\\n' in 7-byte writes: every piece refused"
run_fails "dd bs=1 of 'threshold clear' fails" \
	sh -c "printf 'threshold clear\n' | dd of=$C bs=1 2>/dev/null"
run_fails "dd bs=3 of 'reset' fails" sh -c "printf 'reset\n' | dd of=$C bs=3 2>/dev/null"
is "$(snap)" "$before" "state unchanged: pieces are never reassembled"
baseline
epoch=$(ot_status epoch)
is "$($LT write -s 5 $C 'reset\n')" "ok EINVAL" \
	"'reset' + '\\n' in two writes: the first is a whole command, the lone newline is refused"
is "$(ot_status epoch)" $((epoch + 1)) "that split ran reset once"
before=$(snap)

# ---- random bytes, 0 .. 1 MiB per write --------------------------------------------------
mark "random bytes"
# SIZE:COUNT; every size from 1 to 127 bytes reaches the parser.
fuzz_plan="0:20 1:400 2:300 3:300 5:300 8:300 9:300 15:300 16:300 31:300 32:200 63:200 64:200
100:200 126:200 127:400 128:200 129:100 255:100 1024:50 4095:40 4096:40 4097:40 65535:10
65536:10 65537:10 1048576:4 4194304:2"
fz_writes=0 fz_bad=""
for sc in $fuzz_plan; do
	sz=${sc%:*}
	cnt=${sc#*:}
	out=$($LT fuzz $C "$sz" "$cnt")
	b=$(printf "%s\n" "$out" | sed -n 's/^writes=[0-9]* bytes=//p')
	FUZZ_BYTES=$((FUZZ_BYTES + ${b:-0}))
	fz_writes=$((fz_writes + cnt))
	# Only "EINVAL=COUNT" is right: a random byte string is never a command.
	[ "$(printf "%s\n" "$out" | grep -v '^writes=')" = "EINVAL=$cnt" ] ||
		fz_bad="$fz_bad [$sz bytes: $(printf "%s\n" "$out" | tr '\n' ' ')]"
done
is "$fz_bad" "" "$fz_writes writes of random bytes (0 B .. 4 MiB): all EINVAL"
is "$(snap)" "$before" "state unchanged after random bytes"
baseline

# ---- table full: ENOSPC, and the name-length limits ---------------------------------------
mark "table full"
# 2 set; 14 more fill the 16 slots, the last two at the longest names allowed.
i=3
while [ $i -le 14 ]; do
	$LT write $C "threshold module m$i ${i}M"
	i=$((i + 1))
done >/tmp/fill.out
$LT write $C "threshold module $long55 1G" "threshold cache ${long48%c} 1G" >>/tmp/fill.out
is "$(tr '\n' ' ' </tmp/fill.out)" "ok ok ok ok ok ok ok ok ok ok ok ok ok ok " \
	"14 more thresholds accepted (55-byte module and 47-byte cache names included)"
is "$(ot_status thresholds)" 16 "status: thresholds 16"
full=$(snap)
is "$($LT write $C 'threshold module m17 17M' 'threshold growth cache kmalloc-1k 1')" \
	"ENOSPC
ENOSPC" "17th threshold: ENOSPC"
is "$($LT write $C 'threshold module m3 3M')" ok "setting an existing threshold again works when full"
is "$($LT write $C 'threshold module m3 x')" EINVAL "bad arguments when full: still EINVAL"
is "$(snap)" "$full" "state unchanged by the refused 17th threshold"
control_ok "control well formed with 16 thresholds"
is "$($LT write $C 'threshold clear\n')" ok "threshold clear"
is "$(ot_status thresholds)" 0 "status: thresholds 0 after clear"
baseline

# ---- mutated valid commands, sequential ------------------------------------------------
mark "mutated valid"
seed=$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')
diag "mutation seed $seed (labtool mutate /proc/oomtrace/control N $seed ... reproduces it)"
CMDS="reset\n|threshold clear|threshold module leaker 64M\n|threshold cache kmalloc-64 4096|threshold growth module leaker 1G|threshold growth cache kmalloc-4k 16K\n"
mutate() { # mutate COUNT SEED
	local IFS='|'
	# shellcheck disable=SC2086
	$LT mutate $C "$1" "$2" $CMDS
}
out=$(mutate 2000 "$seed")
b=$(printf "%s\n" "$out" | sed -n 's/^writes=[0-9]* bytes=//p')
FUZZ_BYTES=$((FUZZ_BYTES + ${b:-0}))
diag "mutants: $(printf "%s\n" "$out" | grep -v '^accepted: \|^writes=' | tr '\n' ' ')"
printf "%s\n" "$out" | grep '^accepted: ' | sort | uniq -c | sort -rn | head -n 12 | sed 's/^/#   /'
other=$(printf "%s\n" "$out" | grep -vE '^(accepted: |writes=|ok=|EINVAL=|ENOSPC=)')
is "$other" "" "2000 mutated commands: each either taken or refused with EINVAL/ENOSPC"
control_ok "control well formed after the mutants"
# A mutant the module took must be one of the valid forms.
# strim() takes white space off both ends, space and tab separate words;
# any other byte outside ! .. ~ (printed as \xHH) left inside is wrong.
bad_acc=$(printf "%s\n" "$out" | sed -n 's/^accepted: //p' |
	sed -E -e 's/\\x(20|09)/ /g' -e 's/^( |\\x0[a-d])+//' -e 's/( |\\x0[a-d])+$//' -e 's/  +/ /g' |
	grep -vE '^(reset|threshold clear|threshold (growth )?(module|cache) ([!-[]|[]-~]|\\\\)+ 0*[1-9][0-9]*[KMGkmg]?)$' |
	sort -u | head -n 5)
is "$bad_acc" "" "every accepted mutant is a valid command"

# ---- concurrent writers -----------------------------------------------------------------
mark "concurrent writers"
$LT write $C 'threshold clear' >/dev/null
rm -f /tmp/cw.*
i=0 pids=""
while [ $i -lt 4 ]; do
	mutate 300 $((seed + i + 1)) >/tmp/cw.mut$i 2>&1 &
	pids="$pids $!"
	i=$((i + 1))
done
(
	j=0
	while [ $j -lt 25 ]; do
		$LT write $C "threshold module w$((j % 20)) $((j + 1))K" 'reset' 'threshold clear' \
			"threshold growth cache kmalloc-$((8 << (j % 8))) 1M"
		j=$((j + 1))
	done
) >/tmp/cw.valid 2>&1 &
pids="$pids $!"
(
	j=0
	while [ $j -lt 25 ]; do
		cat $C $OT_PROC/status $OT_PROC/slabs >/dev/null || echo "read failed"
		j=$((j + 1))
	done
) >/tmp/cw.read 2>&1 &
pids="$pids $!"
t0=$(date +%s)
# shellcheck disable=SC2086
run_ok "4 mutators, a valid-command writer and a reader finish (bounded)" \
	wait_until 120 pids_done $pids
wait
diag "concurrent writers took $(($(date +%s) - t0)) s"
for f in /tmp/cw.mut*; do
	b=$(sed -n 's/^writes=[0-9]* bytes=//p' "$f")
	FUZZ_BYTES=$((FUZZ_BYTES + ${b:-0}))
done
other=$(cat /tmp/cw.mut* | grep -vE '^(accepted: |writes=|ok=|EINVAL=|ENOSPC=)')
is "$other" "" "concurrent mutants: each taken or refused with EINVAL/ENOSPC"
is "$(grep -vE '^(ok|EINVAL|ENOSPC)$' /tmp/cw.valid | sort -u | tr '\n' ' ')" "" \
	"concurrent valid commands: ok (or EINVAL/ENOSPC), never another error"
is "$(cat /tmp/cw.read)" "" "concurrent reads of control, status, slabs succeed"
control_ok "control well formed after the concurrent writers"

# ---- still fully working -----------------------------------------------------------------
mark "still fully"
is "$($LT write $C 'threshold clear' 'threshold module leaker 64M')" "ok
ok" "valid commands still work"
epoch=$(ot_status epoch)
is "$($LT write $C 'reset\n')" ok "reset still works"
is "$(ot_status epoch)" $((epoch + 1)) "reset: epoch + 1"
lk_cmd kmalloc 100 64
is "$(awk '$1 == "leaker" && $2 == "kmalloc-64" { print $3 }' $OT_PROC/module_slabs)" 100 \
	"tracking still works after the fuzzing: leaker's 100 x 64 B live in kmalloc-64, exactly"
lk_cmd free
ot_invariants "after the fuzzing"
mark "end"
diag "fuzz bytes tried: $FUZZ_BYTES"
run_ok "rmmod leaker" rmmod leaker
run_ok "rmmod oomtrace" rmmod oomtrace
