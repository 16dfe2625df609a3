#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The oomtrace QEMU lab: boot Debian's own 6.1 kernel with a busybox
# initramfs, run one scenario script per boot inside the guest, and judge it.
#
#   tests/lab/lab.sh [--shell] [SCRIPT...]
#
# Every SCRIPT boots its own VM. With --shell the guest loads oomtrace.ko and
# leaker.ko (if built), runs SCRIPT (if given) and then gives an interactive
# busybox shell on the serial console (`exit` or Ctrl-D powers off; Ctrl-A X
# kills QEMU).
#
# Environment knobs (defaults in brackets):
#   ACCEL    tcg|kvm|any -accel value [tcg = tcg,thread=single]
#            KVM hangs at boot on the project's machines; tcg,thread=multi
#            loses code patches under load (see "TCG" below)
#   KERNEL   path to a vmlinuz        [/boot/vmlinuz-VER, VER matching KDIR]
#   KVER     kernel release of KERNEL  [from KDIR, or from the vmlinuz-VER name]
#   MODROOT  root holding lib/modules/KVER [/]
#   KO_DIR   where oomtrace.ko and tests/modules/*/*.ko were built [the
#            checkout]: the debug lane builds them against its own kernel
#            in build/debug/src, away from the checkout's Debian build
#   MEM      guest MiB [512]   SMP  vCPUs [2]   TIMEOUT  seconds per boot [180]
#   TIMEOUT_SCALE  integer factor on every boot's timeout [1] (KASAN under
#            TCG is several times slower), and on the guest's own time
#            bounds (LAB_SCALE in lib.sh)
#   MEM_EXTRA  MiB added to every guest's memory, the header's too [0]: a
#            debug kernel's KASAN shadow, kmemleak and lockdep take ~110 MiB
#            that the scenarios' memory budgets (expect=oom) do not count
#   CMDLINE  extra kernel arguments    NET  0|1 [0] (1: virtio-net, user mode, 10.0.2.15)
#   FILES    "hostpath:guestpath ..." extra files copied into the guest
#   LAB_QUIET=1  print only the guest's TAP lines, not all of its output
#   GUEST_ENV "NAME=VALUE ..." exported to the scenario (e.g. BENCH_LOOPS=1600)
#
# A scenario may declare its needs in header lines (they win over MEM, SMP,
# NET; TIMEOUT takes the larger; cmdline, modules and files add up):
#   # lab: mem=256 smp=2 timeout=240 cmdline="slab_nomerge" modules="drbd brd"
#   # lab: net=0 expect=panic|oom needs="oomtrace tool" files="host:guest ..."
# expect=panic: pass iff the kernel panicked. expect=oom: the OOM killer must
# have run ("Call Trace" from its report is then allowed). needs=oomtrace
# (tool): the scenario is skipped, not failed, while oomtrace.ko
# (tools/oomtrace) is not built.
#   # lab: expect=panic dump=1 modules="qemu_fw_cfg"
# dump=1 (post-mortem): boot with panic=0 nokaslr and -device vmcoreinfo
# (the guest must load qemu_fw_cfg), wait for the panic, take the guest's
# memory with the monitor's dump-guest-memory -z, extract its kernel log with
# makedumpfile into build/lab/NAME.dmesg and run scenarios/NAME.host.sh
# DMESG on the host, if present: its TAP lines count like the guest's.
# Without dump=1, scenarios/NAME.host.sh (if present) runs after the boot with
# the guest's serial log (build/lab/NAME.clean.log), for checks that need
# host tools (python3). Each TAP stream prints its own plan; the plans must
# add up to the results.
#
# Guest layout: /opt/oomtrace/{oomtrace.ko,leaker.ko,lib.sh,scenario.sh},
# /usr/sbin/oomtrace (if built), /usr/bin/{hog,labtool} (every
# tests/lab/guest/*.c, built static), real kmod, requested in-tree
# modules (depmod'ed), drbdsetup-84 + drbdmeta.
#
# Verdict: pass only if the guest printed "OOMTRACE-LAB-EXIT 0", no "not ok"
# line and no kernel problem (WARNING:, BUG:, Oops, Call Trace, panic, KASAN,
# lockdep, RCU and might_sleep splats, ...).
#
# kmemleak (kernels built with it, i.e. the debug lane; a no-op elsewhere):
# after the scenario the guest unloads oomtrace if loaded, scans twice
# (the first takes checksums; objects under 5 s old are not reported) and
# prints /sys/kernel/debug/kmemleak. Every reported object fails the boot, except
# those allocated by a module unloaded with leak_on_unload=Y (a deliberate
# leak) and those matching tests/lab/kmemleak.allow (each with its reason).
# Frames in unloaded modules are bare addresses in the report: the guest's
# rmmod records each module's addresses first, and the host names the module
# (and the function, from the .ko) in build/lab/NAME.kmemleak.
# A timeout, a lost VM or a missing marker is a failure. Output: the guest's
# scenario output, then "lab: NAME pass|fail|skip (reason) N.Ns" and
# "lab-result NAME ok=N notok=N skip=N verdict=pass|fail|skip secs=N.N".
# Exit status: 0 pass, 1 fail, 77 skip. Logs: build/lab/NAME.log.

set -eu

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
LAB=$ROOT/build/lab
GUEST=$ROOT/tests/lab/guest
KO_DIR=${KO_DIR:-$ROOT}
TIMEOUT_SCALE=${TIMEOUT_SCALE:-1}
MEM_EXTRA=${MEM_EXTRA:-0}

usage() {
	sed -n '4,/^set -eu/{/^#/p}' "$0" | sed 's/^# \{0,1\}//'
	exit "${1:-0}"
}

die() {
	echo "lab: $*" >&2
	exit "${DIE_RC:-1}"
}

SHELL_MODE=0
while [ $# -gt 0 ]; do
	case $1 in
	--shell) SHELL_MODE=1 ;;
	-h | --help) usage 0 ;;
	--) shift; break ;;
	-*) echo "lab: unknown option $1" >&2; usage 2 ;;
	*) break ;;
	esac
	shift
done
[ $# -gt 0 ] || [ $SHELL_MODE = 1 ] || usage 2
case $TIMEOUT_SCALE in
[1-9] | [1-9][0-9]) ;;
*) die "TIMEOUT_SCALE must be an integer from 1 to 99" ;;
esac
case $MEM_EXTRA in
[0-9] | [1-9][0-9] | [1-9][0-9][0-9] | [1-9][0-9][0-9][0-9]) ;;
*) die "MEM_EXTRA must be a number of MiB" ;;
esac

mkdir -p "$LAB"

# ---- kernel -----------------------------------------------------------------

# The release whose /lib/modules/VER/build is KDIR (newest first), else the
# newest 6.1.0-*-amd64 with a vmlinuz.
find_kver() {
	local d v want=""
	[ -n "${KDIR:-}" ] && want=$(realpath -e "$KDIR" 2>/dev/null || true)
	for d in $(printf '%s\n' "${MODROOT:-}"/lib/modules/6.1.0-*-amd64 | sort -rV); do
		[ -d "$d" ] || continue
		v=${d##*/}
		[ -e "/boot/vmlinuz-$v" ] || continue
		if [ -z "$want" ] || [ "$(realpath -e "$d/build" 2>/dev/null || true)" = "$want" ]; then
			echo "$v"
			return 0
		fi
	done
	return 1
}

if [ -n "${KERNEL:-}" ]; then
	VMLINUZ=$KERNEL
	[ -r "$VMLINUZ" ] || die "KERNEL=$KERNEL not readable"
	if [ -z "${KVER:-}" ]; then
		case ${VMLINUZ##*/} in
		vmlinuz-*) KVER=${VMLINUZ##*/vmlinuz-} ;;
		*) KVER=$(find_kver) || die "cannot tell the release of $KERNEL: set KVER" ;;
		esac
	fi
else
	[ -n "${KVER:-}" ] || KVER=$(find_kver) ||
		die "no /boot/vmlinuz-6.1.0-*-amd64 matching KDIR=${KDIR:-} (run scripts/deps.sh)"
	VMLINUZ=/boot/vmlinuz-$KVER
	[ -r "$VMLINUZ" ] || die "$VMLINUZ missing"
fi
MODDIR=${MODROOT:-}/lib/modules/$KVER

# ---- initramfs pieces ---------------------------------------------------------
# The initrd is a concatenation of three newc cpio archives (the kernel
# unpacks them in order): base (busybox, kmod, init; cached), modules (per
# module set; cached) and the per-run overlay (/opt/oomtrace).

mkcpio() { # mkcpio DIR OUT
	(cd "$1" && find . -mindepth 1 -print0 | LC_ALL=C sort -z |
		cpio --null -o -H newc --owner=0:0 --quiet) >"$2.tmp.$$"
	mv "$2.tmp.$$" "$2"
}

libs_of() { # shared libraries of an ELF file (none for static ones)
	ldd "$1" 2>/dev/null | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }' || true
}

copy_bin() { # copy_bin SRC GUESTPATH DESTROOT: the file plus its libraries
	local lib
	mkdir -p "$3/$(dirname "$2")"
	cp -L "$1" "$3/$2"
	for lib in $(libs_of "$1"); do
		mkdir -p "$3/$(dirname "$lib")"
		[ -e "$3/$lib" ] || cp -L "$lib" "$3/$lib"
	done
}

HOST_BINS="/bin/busybox /usr/bin/kmod /lib/drbd/drbdsetup-84 /usr/sbin/drbdmeta"

build_base() {
	local key f dir out
	key=$( {
		cat "$0" "$GUEST"/*.c
		for f in $HOST_BINS; do
			if [ -e "$f" ]; then
				# shellcheck disable=SC2046
				stat -L -c '%n %s %Y' "$f" $(libs_of "$f")
			fi
		done
	} | sha256sum | cut -c1-16)
	out=$LAB/base-$key.cpio
	if [ -s "$out" ]; then
		echo "$out"
		return 0
	fi
	[ -x /bin/busybox ] || die "/bin/busybox missing (busybox-static)"
	[ -x /usr/bin/kmod ] || die "/usr/bin/kmod missing (kmod)"
	dir=$LAB/base.d.$$
	rm -rf "$dir"
	mkdir -p "$dir"/{bin,sbin,usr/bin,usr/sbin,etc,proc,sys,dev,tmp,run,root,var/lock,var/lib/drbd,opt/oomtrace}
	cp /bin/busybox "$dir/bin/busybox"
	copy_bin /usr/bin/kmod /usr/bin/kmod "$dir"
	for f in /lib/drbd/drbdsetup-84 /usr/sbin/drbdmeta; do
		if [ -x "$f" ]; then
			copy_bin "$f" "$f" "$dir"
		fi
	done
	# Static guest helpers: tests/lab/guest/NAME.c -> /usr/bin/NAME.
	for f in "$GUEST"/*.c; do
		gcc -static -O2 -Wall -Wextra -o "$dir/usr/bin/$(basename "$f" .c)" "$f" ||
			die "cannot build the static $(basename "$f" .c) (gcc, libc6-dev)"
	done

	cat >"$dir/etc/lab-env.sh" <<'EOF'
# Generated by tests/lab/lab.sh. busybox ash runs its own applets before
# PATH: shell functions send the module tools to the real kmod instead.
for _t in insmod lsmod modinfo depmod; do
	eval "$_t() { /sbin/$_t \"\$@\"; }"
done
unset _t
# With kmemleak, a leak's frames in a module that is gone by the time of
# the scan are bare addresses: remember where each module lived, whether it
# was asked to leak, and when it went (jiffies, to tell apart instances
# loaded at the same address), one line per module in /tmp/lab-modules,
# printed after the scan for the host to resolve.
_lab_modrec() {
	local _m _n _sz _rc _dp _st _base _rest
	[ -e /sys/kernel/debug/kmemleak ] || return 0
	for _m in "$@"; do
		case $_m in -*) continue ;; esac
		_m=${_m##*/}
		_m=$(echo "${_m%.ko}" | tr - _)
		read -r _n _sz _rc _dp _st _base _rest <<EOT
$(grep "^$_m " /proc/modules)
EOT
		[ -n "$_n" ] || continue
		echo "OOMTRACE-LAB-MOD $_m $_base $_sz" \
			"$(cat "/sys/module/$_m/sections/.text" 2>/dev/null || echo -)" \
			"$(cat "/sys/module/$_m/parameters/leak_on_unload" 2>/dev/null || echo -)" \
			"$(awk '$1 == "jiffies:" { print $2; exit }' /proc/timer_list 2>/dev/null)" \
			>>/tmp/lab-modules
	done
}
rmmod() { _lab_modrec "$@"; /sbin/rmmod "$@"; }
modprobe() {
	case " $* " in *" -r "* | *" --remove "*) _lab_modrec "$@" ;; esac
	/sbin/modprobe "$@"
}
EOF

	cat >"$dir/init" <<'EOF'
#!/bin/busybox sh
# Generated by tests/lab/lab.sh: the lab guest's /init.
/bin/busybox --install -s
export PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t tmpfs tmpfs /tmp
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
mount -t cgroup2 cgroup2 /sys/fs/cgroup 2>/dev/null
mkdir -p /run/drbd
for t in insmod rmmod modprobe lsmod modinfo depmod; do
	ln -sf /usr/bin/kmod /sbin/$t
done
. /etc/lab-env.sh
. /opt/oomtrace/lab.env
hostname oomtrace-lab
ip link set lo up
# Boot quietly, then let warnings and stack dumps (default level) reach the
# console: a splat is in the log even if the VM dies before the dmesg dump.
dmesg -n 5
if [ "$LAB_NET" = 1 ]; then
	modprobe virtio_pci && modprobe virtio_net &&
	ip link set eth0 up && ip addr add 10.0.2.15/24 dev eth0 &&
	ip route add default via 10.0.2.2 || echo "lab: network setup failed"
fi
cd /opt/oomtrace
if [ "$LAB_MODE" = shell ]; then
	for m in oomtrace leaker; do
		[ -e /opt/oomtrace/$m.ko ] && insmod /opt/oomtrace/$m.ko && echo "lab: loaded $m.ko"
	done
	[ -e /opt/oomtrace/scenario.sh ] && sh -c '. /etc/lab-env.sh; . /opt/oomtrace/scenario.sh'
	echo "lab: oomtrace lab shell ($(uname -r)); files in /opt/oomtrace; exit powers off"
	ENV=/etc/lab-env.sh setsid cttyhack sh -i
	poweroff -f
fi
# On its own line: the firmware's "Booting from ROM.." has no newline.
echo
echo OOMTRACE-LAB-START
sh -c '. /etc/lab-env.sh; . /opt/oomtrace/scenario.sh' </dev/null 2>&1
rc=$?
if [ -e /sys/kernel/debug/kmemleak ]; then
	# A kmemleak kernel (debug lane). What oomtrace fails to free becomes
	# unreferenced only once it is unloaded. Two scans: kmemleak reports an
	# object only if its contents did not change since the previous scan
	# (the first one just takes checksums) and it is over 5 s old when the
	# reporting scan starts. Under TCG one scan takes ~20 s, so the wait
	# only matters on a fast host. RCU-deferred frees (up to ~5 s) land
	# meanwhile: the report lists only objects still allocated.
	echo OOMTRACE-LAB-KMEMLEAK-BEGIN
	if grep -q '^oomtrace ' /proc/modules; then
		rmmod oomtrace || echo "lab: rmmod oomtrace failed"
	fi
	kl=ok
	t0=$(cut -d. -f1 /proc/uptime)
	echo scan >/sys/kernel/debug/kmemleak || kl=failed
	t=$(($(cut -d. -f1 /proc/uptime) - t0))
	[ "$t" -ge 6 ] || sleep $((6 - t))
	echo scan >/sys/kernel/debug/kmemleak || kl=failed
	echo "OOMTRACE-LAB-KMEMLEAK-SCAN $kl"
	cat /sys/kernel/debug/kmemleak
	cat /tmp/lab-modules 2>/dev/null
	echo OOMTRACE-LAB-KMEMLEAK-END
fi
echo OOMTRACE-LAB-DMESG-BEGIN
dmesg -r | grep '^<[0-4]>'
echo OOMTRACE-LAB-DMESG-END
echo "OOMTRACE-LAB-EXIT $rc"
poweroff -f
EOF
	chmod 755 "$dir/init"
	rm -f "$LAB"/base-*.cpio
	mkcpio "$dir" "$out"
	rm -rf "$dir"
	echo "$out"
}

# build_modules "MOD ...": the modules with their dependencies (resolved on
# the host), modules.order/builtin*, depmod'ed for KVER.
build_modules() {
	local key out dir m p ko
	key=$( {
		echo "$KVER $MODDIR $*"
		stat -c '%n %s %Y' "$MODDIR/modules.dep"
	} | sha256sum | cut -c1-16)
	out=$LAB/mods-$KVER-$key.cpio
	if [ -s "$out" ]; then
		echo "$out"
		return 0
	fi
	dir=$LAB/mods.d.$$
	rm -rf "$dir"
	mkdir -p "$dir/lib/modules/$KVER"
	for m in "$@"; do
		ko=$(modprobe -d "${MODROOT:-/}" -S "$KVER" --show-depends "$m" 2>&1) ||
			die "module $m: $ko"
		while read -r p; do
			p=${p#"${MODROOT:-}"}
			mkdir -p "$dir/$(dirname "$p")"
			cp "${MODROOT:-}$p" "$dir/$p"
		done < <(awk '$1 == "insmod" { print $2 }' <<<"$ko")
	done
	for p in modules.order modules.builtin modules.builtin.modinfo; do
		if [ -e "$MODDIR/$p" ]; then
			cp "$MODDIR/$p" "$dir/lib/modules/$KVER/"
		fi
	done
	depmod -b "$dir" "$KVER" || die "depmod failed"
	mkcpio "$dir" "$out"
	rm -rf "$dir"
	echo "$out"
}

# ---- one boot -----------------------------------------------------------------

# Header knobs of a scenario: every "# lab: key=value key="v a l" ..." line.
parse_header() {
	local line rest k v re='^[[:space:]]*([a-z_]+)=("([^"]*)"|([^[:space:]"]*))(.*)$'
	H_MEM="" H_SMP="" H_TIMEOUT="" H_NET="" H_EXPECT="" H_CMDLINE="" H_MODULES="" H_FILES="" H_NEEDS="" H_DUMP=""
	[ -n "${1:-}" ] || return 0
	while IFS= read -r line; do
		rest=${line#"# lab:"}
		while [[ $rest =~ $re ]]; do
			k=${BASH_REMATCH[1]}
			v=${BASH_REMATCH[3]}${BASH_REMATCH[4]}
			rest=${BASH_REMATCH[5]}
			case $k in
			mem) H_MEM=$v ;;
			smp) H_SMP=$v ;;
			timeout) H_TIMEOUT=$v ;;
			net) H_NET=$v ;;
			expect) H_EXPECT=$v ;;
			cmdline) H_CMDLINE="$H_CMDLINE $v" ;;
			modules) H_MODULES="$H_MODULES $v" ;;
			files) H_FILES="$H_FILES $v" ;;
			needs) H_NEEDS="$H_NEEDS $v" ;;
			dump) H_DUMP=$v ;;
			*) die "$1: unknown header key '$k'" ;;
			esac
		done
		[[ $rest =~ ^[[:space:]]*$ ]] || die "$1: cannot parse header '$line'"
	done < <(grep '^# lab:' "$1" || true)
}

now() { date +%s%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", (b - a) / 1e9 }'; }

result() { # result NAME VERDICT REASON OK NOTOK SKIP T0
	local t
	t=$(secs "$7" "$(now)")
	echo "lab: $1 $2${3:+ ($3)} ${t}s"
	echo "lab-result $1 ok=$4 notok=$5 skip=$6 verdict=$2 secs=$t"
}

# lab_dump NAME TMO LOG QEMU...: run QEMU until the guest has panicked
# (panic=0 keeps it halted), save its memory over the monitor, quit QEMU and
# extract the kernel log into build/lab/NAME.dmesg. build/lab/NAME.dump says
# "ok" or what failed. Returns QEMU's exit status.
lab_dump() {
	local name=$1 tmo=$2 log=$3 st=$LAB/$1.dump core=$LAB/$1.vmcore pid i rc=0
	shift 3
	rm -f "$LAB/$name.mon" "$core" "$core.flat" "$LAB/$name.dmesg"
	echo "no kernel panic seen" >"$st"
	timeout --kill-after=5 "$tmo" "$@" </dev/null >"$log" 2>&1 &
	pid=$!
	for ((i = 0; i < tmo * 5; i++)); do
		grep -aq 'end Kernel panic' "$log" && break
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.2
	done
	if grep -aq 'end Kernel panic' "$log" && kill -0 "$pid" 2>/dev/null; then
		echo "dump-guest-memory failed" >"$st"
		# HMP: each command's output ends with the next "(qemu) " prompt.
		python3 - "$LAB/$name.mon" "$core.flat" <<'PY' >>"$log" 2>&1 &&
import socket, sys
s = socket.socket(socket.AF_UNIX)
s.settimeout(120)
s.connect(sys.argv[1])
def prompt():
    buf = b""
    while not buf.endswith(b"(qemu) "):
        d = s.recv(4096)
        if not d:
            sys.exit("monitor closed")
        buf += d
    return buf.decode(errors="replace")
prompt()
s.sendall(b"dump-guest-memory -z " + sys.argv[2].encode() + b"\n")
prompt()
print("lab-dump: dump-guest-memory done")
s.sendall(b"quit\n")
PY
			echo "makedumpfile failed" >"$st" &&
			makedumpfile -R "$core" <"$core.flat" >>"$log" 2>&1 &&
			makedumpfile --dump-dmesg "$core" "$LAB/$name.dmesg" >>"$log" 2>&1 &&
			echo ok >"$st"
		rm -f "$core.flat"
	fi
	kill "$pid" 2>/dev/null || true
	wait "$pid" || rc=$?
	return $rc
}

# Lines of the guest's kmemleak section that are the report itself (judged
# by kmemleak_check, not by the generic kernel-problem grep). Kernel
# messages printed meanwhile (a splat during the final rmmod) stay.
# (%pK prints "(____ptrval____)" until the kernel's pointer hash is seeded.)
KMEMLEAK_LINE='^(unreferenced object 0x[0-9a-f]+ \(size [0-9]+\):$|  comm "|  hex dump \(|    [0-9a-f][0-9a-f] |  backtrace:$|    \[<[^>]*>\] |OOMTRACE-LAB-MOD )'

# kmemleak_check NAME CLEAN: judge the guest's kmemleak report (see the
# header). Prints a failure reason or nothing; writes the report, each bare
# address resolved to the module (and function) it was in, to
# build/lab/NAME.kmemleak.
kmemleak_check() {
	local name=$1 clean=$2 out=$LAB/$1.kmemleak sec mods m base size text leak ko f
	local allow=$ROOT/tests/lab/kmemleak.allow
	rm -f "$out"
	# No section: not a kmemleak kernel. No end: the VM died meanwhile,
	# which the rest of the verdict reports.
	sec=$(sed -n '/^OOMTRACE-LAB-KMEMLEAK-BEGIN$/,/^OOMTRACE-LAB-KMEMLEAK-END$/p' "$clean")
	grep -q '^OOMTRACE-LAB-KMEMLEAK-END$' <<<"$sec" || return 0
	if ! grep -q '^OOMTRACE-LAB-KMEMLEAK-SCAN ok$' <<<"$sec"; then
		echo "kmemleak: scan failed (kmemleak disabled itself? see the log)"
		return 0
	fi
	# Module records, in unload order: "name base end text leak ko gone",
	# addresses as 16 hex digits (compared as strings: awk's numbers are
	# doubles), gone: jiffies at unload.
	mods=$(grep '^OOMTRACE-LAB-MOD ' <<<"$sec" | while read -r _ m base size text leak gone; do
		ko=-
		for f in "$KO_DIR/$m.ko" "$KO_DIR"/tests/modules/*/"$m.ko"; do
			[ -e "$f" ] && ko=$f && break
		done
		[ "$ko" != - ] || ko=$(modinfo -b "${MODROOT:-/}" -k "$KVER" -n "$m" 2>/dev/null || echo -)
		printf '%s %016x %016x %s %s %s %s\n' "$m" $((base)) $((base + size)) \
			"$([ "$text" = - ] && echo - || printf '%016x' "$text")" "$leak" "$ko" "${gone:--}"
	done)
	grep -E "$KMEMLEAK_LINE" <<<"$sec" | grep -v '^OOMTRACE-LAB-MOD ' |
		awk -v mods="$mods" -v allowfile="$allow" -v out="$out" '
		function hex(s,   i, n) { # hex digits (no 0x) to a number; < 2^53 only
			n = 0
			s = tolower(s)
			for (i = 1; i <= length(s); i++)
				n = n * 16 + index("0123456789abcdef", substr(s, i, 1)) - 1
			return n
		}
		# Lowest 12 hex digits: module addresses share their top 16 bits.
		function lo(a) { return hex(substr(a, 5)) }
		# The function containing offset off of .text in a .ko, or "".
		function ksym(ko, off,   cmd, l, f, idx, best, bv, v) {
			if (ko == "-") return ""
			cmd = "readelf -SW " ko
			while ((cmd | getline l) > 0)
				if (l ~ /\] \.text /) { sub(/^ *\[ */, "", l); split(l, f, /[] ]+/); idx = f[1] }
			close(cmd)
			if (idx == "") return ""
			cmd = "readelf -sW " ko
			bv = -1
			while ((cmd | getline l) > 0) {
				split(l, f, " ")
				if (f[4] != "FUNC" || f[7] != idx) continue
				v = hex(f[2])
				if (v <= off && off < v + f[3] && v > bv) { bv = v; best = f[8] "+0x" sprintf("%x", off - v) "/0x" sprintf("%x", f[3]) }
			}
			close(cmd)
			return best
		}
		# Describe a bare address in an object allocated at jiffies j; sets
		# res_mod (the module it was in) and res_leak ("Y": that module
		# leaked on purpose); "" if unknown. A module loaded again at the
		# same address: the instance is the first one unloaded after j;
		# without jiffies, every candidate (all must leak on purpose).
		function resolve(a, j,   i, r, s, desc, n, names, leaks, pick) {
			names = ""; leaks = "Y"; n = 0; pick = 0
			for (i = 1; i <= nmod && !pick; i++)
				if (a >= mbase[i] && a < mend[i] && j != "" && mgone[i] != "-" && mgone[i] + 0 >= j + 0)
					pick = i
			for (i = 1; i <= nmod; i++) {
				if (a < mbase[i] || a >= mend[i] || (pick && i != pick)) continue
				n++
				s = mname[i] "+0x" sprintf("%x", lo(a) - lo(mbase[i]))
				if (mtext[i] != "-" && a >= mtext[i]) {
					r = ksym(mko[i], lo(a) - lo(mtext[i]))
					if (r != "") s = r " [" mname[i] "]"
				}
				desc = desc (desc == "" ? "" : " or ") s
				if (index(names " ", " " mname[i] " ") == 0) names = names " " mname[i]
				if (mleak[i] != "Y") leaks = "N"
			}
			if (n == 0) return ""
			res_mod = substr(names, 2); res_leak = leaks
			return desc " (unloaded)"
		}
		function flush(   i, ok, why) {
			if (blk == "") return
			total++
			if (owner == "") owner = "no module frame"
			text = blk "  owner: " owner "\n"
			flat = text; gsub(/\n/, " | ", flat)
			why = ""
			if (owner_leak == "Y") { why = "deliberate: " owner " was unloaded with leak_on_unload=Y"; deliberate++ }
			else for (i = 1; i <= nallow; i++)
				if (flat ~ allowre[i]) { why = "allowed: " allowwhy[i]; allowed++; break }
			if (why == "") { bad++; if (first == "") first = head " from " owner }
			printf "%s  verdict: %s\n\n", text, (why == "" ? "LEAK" : why) > out
			blk = ""
		}
		BEGIN {
			nmod = split(mods, ml, "\n")
			for (i = 1; i <= nmod; i++) {
				split(ml[i], f, " ")
				mname[i] = f[1]; mbase[i] = f[2]; mend[i] = f[3]; mtext[i] = f[4]; mleak[i] = f[5]; mko[i] = f[6]; mgone[i] = f[7]
			}
			# Each pattern needs a "# reason" comment line right above it.
			while ((getline l < allowfile) > 0) {
				if (l ~ /^#/) { reason = substr(l, 2); sub(/^ +/, "", reason); continue }
				if (l ~ /^[ \t]*$/) { reason = ""; continue }
				if (reason == "") { print "kmemleak: " allowfile ": pattern without a # reason line: " l; exit 1 }
				nallow++; allowre[nallow] = l; allowwhy[nallow] = reason
			}
			printf "" > out
		}
		/^unreferenced object/ { flush(); blk = $0 "\n"; head = $0; sub(/:$/, "", head); owner = ""; owner_leak = "N"; jif = ""; next }
		/^  comm "/ && match($0, /jiffies [0-9]+/) { jif = substr($0, RSTART + 8, RLENGTH - 8) }
		/^    \[</ {
			sym = $0; sub(/^ *\[<[^>]*>\] /, "", sym)
			line = $0
			if (sym ~ /^0x[0-9a-f]+$/) {
				a = sprintf("%016s", substr(sym, 3)); gsub(/ /, "0", a)
				r = resolve(a, jif)
				line = line " = " (r == "" ? "? (not a recorded module)" : r)
				if (owner == "" && r == "") { owner = "an unrecorded unloaded module"; owner_leak = "N" }
				else if (owner == "") { owner = res_mod; owner_leak = res_leak }
			} else if (owner == "" && sym ~ / \[[A-Za-z0-9_]+\]$/) {
				owner = sym; sub(/^.* \[/, "", owner); sub(/\]$/, "", owner); owner_leak = "N"
			}
			blk = blk line "\n"
			next
		}
		{ if (blk != "") blk = blk $0 "\n" }
		END {
			flush()
			if (bad) printf "kmemleak: %d of %d unreferenced objects are leaks, first: %s (see %s)\n", bad, total, first, out
		}'
}

run_one() { # run_one SCRIPT (empty in plain --shell mode)
	local script=${1:-} name t0 mem smp tmo net expect cmdline mods files
	local base modcpio ov initrd log clean rc reason okn notok skipn line n
	t0=$(now)
	if [ -n "$script" ]; then
		[ -r "$script" ] || die "no such scenario: $script"
		name=$(basename "$script" .sh)
	else
		name=shell
	fi
	parse_header "$script"

	mem=$((${H_MEM:-${MEM:-512}} + MEM_EXTRA))
	smp=${H_SMP:-${SMP:-2}}
	net=${H_NET:-${NET:-0}}
	tmo=${TIMEOUT:-180}
	[ -n "$H_TIMEOUT" ] && [ "$H_TIMEOUT" -gt "$tmo" ] && tmo=$H_TIMEOUT
	tmo=$((tmo * TIMEOUT_SCALE))
	[ $SHELL_MODE = 1 ] && tmo=${TIMEOUT:-86400}
	expect=$H_EXPECT
	cmdline="${H_CMDLINE# } ${CMDLINE:-}"
	mods=$H_MODULES
	[ "$net" = 1 ] && mods="$mods virtio_pci virtio_net"
	files="$H_FILES ${FILES:-}"

	for n in $H_NEEDS; do
		case $n in
		oomtrace) [ -e "$KO_DIR/oomtrace.ko" ] || {
			result "$name" skip "oomtrace.ko not built" 0 0 0 "$t0"
			return 77
		} ;;
		tool) [ -x "$ROOT/tools/oomtrace" ] || {
			result "$name" skip "tools/oomtrace not built" 0 0 0 "$t0"
			return 77
		} ;;
		*) die "$script: unknown need '$n'" ;;
		esac
	done

	base=$(build_base)
	# shellcheck disable=SC2046
	modcpio=$(build_modules $(tr ' ' '\n' <<<"$mods" | sort -u))

	ov=$LAB/run-$name.$$
	rm -rf "$ov"
	mkdir -p "$ov/opt/oomtrace" "$ov/usr/sbin"
	cp "$GUEST/lib.sh" "$ov/opt/oomtrace/lib.sh"
	[ -n "$script" ] && cp "$script" "$ov/opt/oomtrace/scenario.sh"
	[ -e "$KO_DIR/oomtrace.ko" ] && cp "$KO_DIR/oomtrace.ko" "$ov/opt/oomtrace/"
	# Every test module (leaker, otbench, ...) that is built.
	for n in "$KO_DIR"/tests/modules/*/*.ko; do
		[ -e "$n" ] && cp "$n" "$ov/opt/oomtrace/"
	done
	# Debug info is most of a .ko's size (otbench: 5 MiB of 5.3): not needed.
	strip --strip-debug "$ov"/opt/oomtrace/*.ko 2>/dev/null || true
	[ -x "$ROOT/tools/oomtrace" ] && copy_bin "$ROOT/tools/oomtrace" /usr/sbin/oomtrace "$ov"
	for n in $files; do
		line=${n%%:*}
		case $line in /*) ;; *) line=$ROOT/$line ;; esac
		[ -e "$line" ] || die "FILES: $line missing"
		mkdir -p "$ov/$(dirname "${n#*:}")"
		cp -L "$line" "$ov/${n#*:}"
	done
	{
		printf 'LAB_MODE=%s\nLAB_NET=%s\nLAB_NAME=%s\n' \
			"$([ $SHELL_MODE = 1 ] && echo shell || echo run)" "$net" "$name"
		for n in ${GUEST_ENV:-}; do
			case $n in
			[A-Za-z_]*=*) printf 'export %s\n' "$n" ;;
			*) die "GUEST_ENV: '$n' is not NAME=VALUE" ;;
			esac
		done
	} >"$ov/opt/oomtrace/lab.env"
	initrd=$LAB/$name.initrd.$$
	mkcpio "$ov" "$initrd.overlay"
	cat "$base" "$modcpio" "$initrd.overlay" >"$initrd"
	rm -rf "$ov" "$initrd.overlay"
	# shellcheck disable=SC2064
	trap "rm -f '$initrd'" EXIT

	# TCG: one host thread runs every vCPU in turn. Multi-threaded TCG (QEMU
	# 7.2) can keep executing a stale int3 after the kernel patched a
	# static branch that another vCPU runs in a tight loop: the vCPU spins
	# on the int3 forever (soft lockup at the patched site). Reproduced with
	# no oomtrace at all: toggling the mm_page_alloc event in tracefs under
	# leaker's storm locks up in 2 of 2 runs multi-threaded, 0 of 2 single.
	# The vCPUs still interleave, so races between CPUs are still exercised.
	local accel=${ACCEL:-tcg} nic="-nic none"
	[ "$accel" = tcg ] && accel=tcg,thread=single
	[ "$net" = 1 ] && nic="-nic user,model=virtio-net-pci"
	# softlockup_panic: a stuck CPU fails the boot at once, with its stack,
	# instead of running into the timeout.
	# lab_scale: the kernel hands a key=value it does not know to init's
	# environment; the guest's time bounds (lib.sh) scale with the boot's.
	local append="console=ttyS0 panic=-1 panic_on_warn=1 oops=panic softlockup_panic=1 quiet loglevel=4 lab_scale=$TIMEOUT_SCALE $cmdline"
	# shellcheck disable=SC2206
	local qemu=(qemu-system-x86_64 -accel "$accel" -m "$mem" -smp "$smp" -nographic
		-no-reboot -kernel "$VMLINUZ" -initrd "$initrd" -append "$append" $nic)
	[ "$accel" = kvm ] && qemu+=(-cpu host)
	# dump=1: stay halted after the panic (the last -append wins).
	[ "${H_DUMP:-}" = 1 ] && qemu+=(-append "$append panic=0 nokaslr" -device vmcoreinfo
		-monitor "unix:$LAB/$name.mon,server,nowait")

	if [ $SHELL_MODE = 1 ]; then
		echo "lab: shell on $KVER (${mem} MiB, $smp CPUs); Ctrl-A X kills QEMU"
		timeout --foreground "$tmo" "${qemu[@]}"
		return 0
	fi

	log=$LAB/$name.log
	rc=0
	if [ "${H_DUMP:-}" = 1 ]; then
		lab_dump "$name" "$tmo" "$log" "${qemu[@]}" || rc=$?
	else
		timeout --kill-after=5 "$tmo" "${qemu[@]}" </dev/null >"$log" 2>&1 || rc=$?
	fi
	clean=$LAB/$name.clean.log
	# Drop carriage returns and the firmware's terminal escapes.
	tr -d '\r' <"$log" | sed -E 's/\x1b(\[[0-9;?]*[a-zA-Z]|c)//g' >"$clean"
	# The host-side checks join the TAP: of the kernel log extracted from the
	# dump (dump=1), else of the guest's serial log (once the guest finished).
	local hostsh=${script%.sh}.host.sh hostlog=$LAB/$name.host.log
	rm -f "$hostlog"
	if [ -n "$script" ] && [ -e "$hostsh" ]; then
		if [ "${H_DUMP:-}" = 1 ]; then
			[ "$(cat "$LAB/$name.dump")" != ok ] ||
				sh "$hostsh" "$LAB/$name.dmesg" >"$hostlog" 2>&1 || true
		elif grep -q '^OOMTRACE-LAB-EXIT ' "$clean"; then
			sh "$hostsh" "$clean" >"$hostlog" 2>&1 || true
		fi
		[ -e "$hostlog" ] && cat "$hostlog" >>"$clean"
	fi

	# The scenario's own output (and its host side's).
	if [ "${LAB_QUIET:-0}" = 1 ]; then
		sed -n '/^OOMTRACE-LAB-START$/,/^OOMTRACE-LAB-\(DMESG\|KMEMLEAK\)-BEGIN$/p' "$clean" |
			grep -E '^(ok|not ok|#|1\.\.|Bail out!)' || true
	else
		sed -n '/^OOMTRACE-LAB-START$/,/^OOMTRACE-LAB-\(DMESG\|KMEMLEAK\)-BEGIN$/p' "$clean" |
			grep -v '^OOMTRACE-LAB-' || true
	fi
	if [ -e "$hostlog" ]; then
		grep -E '^(ok|not ok|#|1\.\.|Bail out!)' "$hostlog" || true
	fi

	okn=$(grep -cE '^ok [0-9]+' "$clean" || true)
	skipn=$(grep -cE '^ok [0-9]+.*# *SKIP' "$clean" || true)
	okn=$((okn - skipn))
	notok=$(grep -cE '^not ok [0-9]+' "$clean" || true)

	reason=""
	line=$(grep -aE '^OOMTRACE-LAB-EXIT [0-9]+$' "$clean" | tail -n 1 || true)
	# Kernel problems, outside the scenario's own TAP and diag lines and
	# the kmemleak report (judged by kmemleak_check). The debug lane's
	# checkers: KASAN ("BUG: KASAN: ..."), lockdep ("WARNING: possible
	# circular locking ...", "inconsistent lock state", ...), PROVE_RCU
	# ("WARNING: suspicious RCU usage"), DEBUG_ATOMIC_SLEEP ("BUG: sleeping
	# function called from invalid context"), DEBUG_LIST ("list_add
	# corruption" with a BUG/WARNING), kmemleak ("unreferenced object").
	local bad='WARNING:|BUG:|Oops|Call Trace|Kernel panic|general protection|kmemleak: .*suspected memory leak|unreferenced object 0x|BUG: KASAN|possible circular locking|possible recursive locking|inconsistent lock state|suspicious RCU usage|sleeping function called from invalid context|INFO: lockdep|detected stalls on CPUs|blocked for more than [0-9]+ seconds'
	[ "$expect" = oom ] && bad=${bad/|Call Trace/}
	local problem leak
	# (The regex goes through the environment: awk -v would eat its \.)
	problem=$(KL_RE=$KMEMLEAK_LINE awk '
		/^OOMTRACE-LAB-KMEMLEAK-BEGIN$/ { k = 1 }
		/^OOMTRACE-LAB-KMEMLEAK-END$/ { k = 0 }
		k && $0 ~ ENVIRON["KL_RE"] { next }
		{ print }' "$clean" |
		grep -avE '^(ok |not ok |# |Bail out!)' | grep -aE -m1 "$bad" || true)
	leak=$(kmemleak_check "$name" "$clean")

	if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
		reason="timeout after ${tmo}s"
	elif [ "$expect" = panic ]; then
		grep -q 'Kernel panic' "$clean" || reason="expected a kernel panic, none seen"
		if [ -z "$reason" ] && [ "${H_DUMP:-}" = 1 ]; then
			if [ "$(cat "$LAB/$name.dump")" != ok ]; then
				reason="dump: $(cat "$LAB/$name.dump")"
			elif [ "$notok" -gt 0 ]; then
				reason="$notok not ok"
			fi
		fi
	elif [ -n "$problem" ]; then
		reason="kernel: $(sed -E 's/^(<[0-9]>)?\[ *[0-9.]+\] //' <<<"$problem")"
	elif [ -n "$leak" ]; then
		reason=$leak
	elif [ -z "$line" ] && grep -q 'terminating on signal' "$clean"; then
		reason="no exit marker: QEMU was killed from outside ($(grep -o 'signal [0-9]*' "$clean" | head -n 1))"
	elif [ -z "$line" ]; then
		reason="no exit marker: VM lost (qemu rc=$rc)"
	elif [ "${line##* }" != 0 ]; then
		reason="scenario exit status ${line##* }"
	fi
	if [ -z "$reason" ] && [ "$expect" != panic ]; then
		if [ "$notok" -gt 0 ]; then
			reason="$notok not ok"
		elif [ "$expect" = oom ] && ! grep -qE 'invoked oom-killer|Out of memory' "$clean"; then
			reason="expected the OOM killer, none seen"
		elif [ $((okn + notok + skipn)) = 0 ] && [ -n "$script" ]; then
			reason="no TAP results"
		else
			# One plan per TAP stream (the guest's, a host.sh's): their sum.
			n=$(awk '/^1\.\.[0-9]+$/ { s += substr($0, 4); p = 1 } END { if (p) print s }' "$clean")
			if [ -n "$n" ] && [ "$n" != $((okn + notok + skipn)) ]; then
				reason="plan 1..$n but $((okn + notok + skipn)) results"
			fi
		fi
	fi

	if [ -n "$reason" ]; then
		result "$name" fail "$reason" "$okn" "$notok" "$skipn" "$t0"
		echo "lab: log: $log"
		return 1
	fi
	result "$name" pass "" "$okn" "$notok" "$skipn" "$t0"
	return 0
}

if [ $SHELL_MODE = 1 ]; then
	run_one "${1:-}"
	exit 0
fi

# run_one runs in a subshell with set -e in force (it would be ignored in
# a `run_one || ...` context).
status=0
for s in "$@"; do
	set +e
	(
		set -e
		DIE_RC=3
		run_one "$s"
	)
	rc=$?
	set -e
	case $rc in
	0) ;;
	77) [ $# != 1 ] || [ $status != 0 ] || status=77 ;;
	1) status=1 ;;
	*)
		# The harness itself failed (message above): still a failure.
		n=$(basename "$s" .sh)
		echo "lab: $n fail (lab.sh error, status $rc) 0.0s"
		echo "lab-result $n ok=0 notok=0 skip=0 verdict=fail secs=0.0"
		status=1
		;;
	esac
done
exit $status
