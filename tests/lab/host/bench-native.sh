#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# make bench-native: otbench's allocation loops at native speed. QEMU's
# icount (make bench) counts instructions exactly but sees no cache miss and
# no pipeline; here the kernel is User-Mode Linux (scripts/uml-kernel.sh):
# Debian's 6.1 source built as an ordinary host process, so kernel code runs
# on the host CPU and otbench's nanoseconds are real ones. The host is
# shared: rounds rotate the configurations (base, floor, exact, sampled as
# in make bench) and each figure is the median over the rounds, with its
# spread (max - min) / median.
# UML has tracepoints and modules, but it is not Debian's x86 kernel: no
# kprobes (oomtrace's bulk-free probes stay off: status says so), no x86
# unwinder (stack walks use the generic stack_trace_save(), which scans the
# stack: exact mode's page figures are not the x86 kernel's), and per-CPU
# operations are irq-save sequences (asm-generic/percpu.h), not one
# instruction each: sampled mode, made of them, costs nearly what exact does
# here. The slab figures are an upper bound of x86's at native speed.
# One line per pattern for machines:
#   bench-native: PATTERN base=N floor=N exact=N sampled=N unit=ns
# Knobs: NATIVE_LOOPS (2000000 alloc+free per pattern: with 200000 the spread
#   was 40-120%, UML's timer signals; 4-14% now), NATIVE_REPS (7),
#   NATIVE_TIMEOUT (900 s for the whole boot), OUT [build/native].

set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../../.." && pwd)
LOOPS=${NATIVE_LOOPS:-2000000}
REPS=${NATIVE_REPS:-7}
OUT=${OUT:-$ROOT/build/native}

SAY=bench-native
# shellcheck source=scripts/cache-lib.sh
. "$ROOT/scripts/cache-lib.sh"

eval "$("$ROOT/scripts/uml-kernel.sh")"
[ -x "$UML_TREE/linux" ] || die "no UML kernel"

# The modules, built against the UML tree in a copy of the sources.
src=$OUT/src
mkdir -p "$src"
rsync -a --delete --exclude='*.o' --exclude='*.ko' --exclude='*.mod' --exclude='*.mod.c' \
	--exclude='.*.cmd' --exclude=modules.order --exclude=Module.symvers \
	--include=/Makefile --include=/Kbuild --include=/VERSION --include=/scripts/ \
	--include=/scripts/kdir.sh --include=/module/ --include=/module/** \
	--exclude='*' "$ROOT/" "$src/"
# otbench alone of the test modules: leaker's kprobe detours need what UML lacks.
mkdir -p "$OUT/otbench"
cp "$ROOT/tests/modules/bench/otbench.c" "$OUT/otbench/"
echo 'obj-m += otbench.o' >"$OUT/otbench/Kbuild"
log=$OUT/build.log
: >"$log"
run make -C "$src" module KDIR="$UML_TREE" ARCH=um
run make -C "$UML_TREE" ARCH=um M="$OUT/otbench" modules

# The root: busybox-static, the modules, an init that runs the rounds.
root=$OUT/root
rm -rf "$root"
mkdir -p "$root"/{bin,proc,sys,tmp,dev,opt}
cp /bin/busybox "$root/bin/busybox"
for a in sh mount insmod rmmod cat echo grep sed poweroff sleep; do
	ln -s busybox "$root/bin/$a"
done
cp "$src/oomtrace.ko" "$OUT/otbench/otbench.ko" "$root/opt/"
cat >"$root/init" <<EOF
#!/bin/sh
mount -t proc proc /proc
mount -t sysfs sys /sys
echo NATIVE-START \$(grep -c ^processor /proc/cpuinfo) cpus
insmod /opt/otbench.ko || echo NATIVE-FAIL insmod otbench
echo "run 2000 -1" >/proc/otbench
run() { echo "run 20000 -1" >/proc/otbench && echo "run $LOOPS -1" >/proc/otbench && grep -v '^idle-us ' /proc/otbench | sed "s/^/NATIVE \$1 /"; }
conf() {
	case \$1 in
	base) run base ;;
	floor) echo probes on >/proc/otbench && run floor; echo probes off >/proc/otbench ;;
	*) insmod /opt/oomtrace.ko mode=\$1 || { echo NATIVE-FAIL insmod oomtrace mode=\$1; return; }
		[ \$1 = exact ] && sed 's/^/NATIVE-STATUS /' /proc/oomtrace/status | grep -E 'bulk_probes|slab_merge'
		run \$1; rmmod oomtrace ;;
	esac
}
set -- base floor exact sampled
r=0
while [ \$r -lt $REPS ]; do
	for c in "\$@"; do conf \$c; done
	set -- "\$2" "\$3" "\$4" "\$1"
	r=\$((r + 1))
done
echo NATIVE-END
poweroff -f
EOF
chmod +x "$root/init"

say "booting UML ($UML_TREE/linux), $REPS rounds of $LOOPS alloc+free per pattern"
log=$OUT/console.log
timeout "${NATIVE_TIMEOUT:-900}" "$UML_TREE/linux" mem=512M root=/dev/root rootfstype=hostfs \
	rootflags="$root" rw init=/init con=null con0=fd:0,fd:1 </dev/null >"$log" 2>&1 || true
grep -q '^NATIVE-END' "$log" || { tail -n 30 "$log" >&2; die "the UML run did not finish ($log)"; }
! grep '^NATIVE-FAIL' "$log" || die "a step failed ($log)"

awk -v reps="$REPS" -v loops="$LOOPS" '
	/^NATIVE-START / { cpus = $2 }
	/^NATIVE-STATUS / && !($2 in st) { st[$2] = 1; sub(/^NATIVE-STATUS /, ""); status = status "#   " $0 "\n" }
	/^NATIVE [a-z]+ [a-z_0-9-]+ [0-9]+$/ {
		k = $3 SUBSEP $2; v[k] = v[k] " " $4
		if (!($3 in seen)) { seen[$3] = 1; order[++np] = $3 }
	}
	function med(s,   a, n, i, j, t) {
		n = split(s, a, " ")
		for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++)
			if (a[j] + 0 < a[i] + 0) { t = a[i]; a[i] = a[j]; a[j] = t }
		lo = a[1]; hi = a[n]
		return a[int((n + 1) / 2)]
	}
	END {
		printf "# make bench-native: ns per alloc+free at native speed (User-Mode Linux 6.1, %d CPU),\n", cpus
		printf "# otbench, %d alloc+free per pattern, median of %d rounds, configurations rotated;\n", loops, reps
		printf "# spr = (max - min) / median; ratio = configuration / base. Not Debian'"'"'s x86 kernel:\n"
		printf "# per-CPU operations are irq-save sequences, stack walks scan the stack (exact\n"
		printf "# pages), no kprobes; the host is shared: compare within one run only\n"
		printf "%s", status
		printf "# %-16s %7s %5s %7s %5s %5s %7s %5s %5s %7s %5s %5s\n", "pattern", "base", "spr",
			"floor", "ratio", "spr", "exact", "ratio", "spr", "sampled", "ratio", "spr"
		for (i = 1; i <= np; i++) {
			p = order[i]; line = sprintf("# %-16s", p); m = ""
			split("base floor exact sampled", cf, " ")
			for (c = 1; c <= 4; c++) {
				x = med(v[p, cf[c]]); if (c == 1) b = x
				spr = x > 0 ? 100 * (hi - lo) / x : 0
				if (c == 1) line = line sprintf(" %7d %4.1f%%", x, spr)
				else line = line sprintf(" %7d %5.2f %4.1f%%", x, b > 0 ? x / b : 0, spr)
				m = m sprintf(" %s=%d", cf[c], x)
			}
			print line; ml[i] = "bench-native: " p m " unit=ns"
		}
		for (i = 1; i <= np; i++) print ml[i]
	}' <(tr -d '\r' <"$log") | tee "$OUT/bench-native.txt"
