# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=dash
#
# leaker.ko alone (no oomtrace): every command changes /proc/leaker exactly,
# bad commands are rejected and change nothing, churn nets to zero, the
# storm starts and stops, and the module unloads cleanly (also with
# leak_on_unload=1 and with a storm running).
# lab: cmdline="slab_nomerge"

# shellcheck source=tests/lab/guest/lib.sh
. /opt/oomtrace/lib.sh

LK=/opt/oomtrace/leaker.ko

# counters: all /proc/leaker values but obj_size and the timings, on one line
counters() {
	awk '$1 != "obj_size" && $1 !~ /_ns$/ { printf "%s=%s ", $1, $2 }' "$LK_PROC"
}

slab_active() {
	awk -v c="$1" '$1 == c { print $2; f = 1 } END { if (!f) print 0 }' /proc/slabinfo
}

# vmalloc areas allocated by leaker (the caller is shown as "func+off/size [leaker]")
vmalloc_held() {
	stable awk '/\[leaker\] .*vmalloc/ { n++ } END { print n + 0 }' /proc/vmallocinfo
}

# vmalloc areas of SIZE bytes (with guard page) whose caller is gone (raw address)
vmalloc_orphans() {
	stable awk -v sz="$1" '$2 == sz && $3 ~ /^0x/ && / vmalloc/ { n++ } END { print n + 0 }' /proc/vmallocinfo
}

ZERO="kmalloc=0 kmalloc_bytes=0 kmalloc_alloc_bytes=0 cache=0 cache_bytes=0 mempool=0 mempool_bytes=0 pages=0 page_bytes=0 vmalloc=0 vmalloc_bytes=0 storm=0 exact=0 exact_bytes=0 bulk_calls=0 stall_hits=0 reuse=0 reused=0 busy=0 "

plan 44

run_ok "insmod leaker.ko" insmod "$LK"
is "$(stat -c '%a %u' "$LK_PROC")" "600 0" "/proc/leaker is 0600 root"
is "$(counters)" "$ZERO" "all counters start at zero"
is "$(lk_get obj_size)" 320 "obj_size defaults to 320"

run_ok "kmalloc 1000 200" lk_cmd kmalloc 1000 200
is "$(lk_get kmalloc)" 1000 "kmalloc count 1000"
is "$(lk_get kmalloc_bytes)" 200000 "kmalloc_bytes = 1000 x 200"
is "$(lk_get kmalloc_alloc_bytes)" 256000 "kmalloc_alloc_bytes = 1000 x 256 (kmalloc-256)"

run_ok "cache 500" lk_cmd cache 500
is "$(lk_get cache)" 500 "cache count 500"
is "$(lk_get cache_bytes)" 160000 "cache_bytes = 500 x 320"
cmp_ok "$(slab_active leaker_obj)" -ge 500 "slabinfo: leaker_obj has >= 500 active objects"

run_ok "mempool 10" lk_cmd mempool 10
is "$(lk_get mempool)" 10 "mempool count 10"
cmp_ok "$(slab_active leaker_pool)" -ge 14 "slabinfo: leaker_pool has >= 10 + 4 reserved objects"

run_ok "pages 64 2" lk_cmd pages 64 2
is "$(lk_get pages)" 64 "pages count 64"
is "$(lk_get page_bytes)" $((64 * 16384)) "page_bytes = 64 x 16 KiB"

run_ok "vmalloc 8 10000" lk_cmd vmalloc 8 10000
is "$(lk_get vmalloc)" 8 "vmalloc count 8"
is "$(lk_get vmalloc_bytes)" 80000 "vmalloc_bytes = 8 x 10000"
is "$(vmalloc_held)" 8 "vmallocinfo: 8 areas from [leaker]"

before=$(counters)
bad=0
for c in "" "kmalloc" "kmalloc 0 100" "kmalloc 10 8" "kmalloc 10 abc" "kmalloc 10 100 5" \
	"kmalloc -1 100" "kmalloc 10 99999999999999999999" "kmalloc 10 8388608" \
	"cache" "cache 0" "cache x" "mempool" "pages 1" "pages 1 11" "pages 1 -1" \
	"vmalloc 1 0" "vmalloc 1" "free now" "churn_rcu 10" "churn_bulk 0" \
	"churn_krealloc" "storm" "storm maybe" "bogus 1 2" "KMALLOC 1 100" "kmalloc 1 100 "; do
	if [ "$c" = "kmalloc 1 100 " ]; then
		continue	# trailing blank is allowed: not a bad command
	fi
	if lk_cmd "$c" 2>/dev/null; then
		diag "accepted: '$c'"
		bad=$((bad + 1))
	fi
done
is "$bad" 0 "26 malformed commands rejected with a write error"
is "$(counters)" "$before" "rejected commands changed nothing"

run_ok "churn_rcu 2000 128" lk_cmd churn_rcu 2000 128
run_ok "churn_bulk 1000" lk_cmd churn_bulk 1000
run_ok "churn_krealloc 200" lk_cmd churn_krealloc 200
is "$(counters)" "$before" "churn holds nothing"

run_ok "storm on" lk_cmd storm on
is "$(lk_get storm)" 1 "storm 1"
cmp_ok "$(grep -l leaker_storm /proc/[0-9]*/comm 2>/dev/null | wc -l)" -eq "$(nproc)" \
	"one storm thread per online CPU"
sleep 2
run_ok "storm off" lk_cmd storm off
is "$(lk_get storm)" 0 "storm 0"

run_ok "free" lk_cmd free
is "$(counters)" "$ZERO" "free returns every counter to zero"
is "$(vmalloc_held)" 0 "vmallocinfo: no leaker areas left"

lk_cmd kmalloc 10 100 && lk_cmd cache 10 && lk_cmd mempool 3 && lk_cmd pages 2 0 && lk_cmd vmalloc 2 5000
run_ok "rmmod with objects held (freed on unload)" rmmod leaker
run_ok "insmod leak_on_unload=1 obj_size=100" insmod "$LK" leak_on_unload=1 obj_size=100
is "$(lk_get obj_size)" 100 "obj_size=100 taken"
lk_cmd kmalloc 10 100 && lk_cmd cache 10 && lk_cmd mempool 3 && lk_cmd pages 2 0 && lk_cmd vmalloc 2 5000
run_ok "rmmod with leak_on_unload=1 (cache and mempool still freed)" rmmod leaker
is "$(vmalloc_orphans 12288)" 2 "vmallocinfo: the 2 leaked vmalloc areas remain"

run_ok "insmod again, storm on" sh -c "insmod $LK && printf 'storm on\n' > $LK_PROC"
run_ok "rmmod with the storm running" rmmod leaker
run_fails "insmod obj_size=8 refused" insmod "$LK" obj_size=8
