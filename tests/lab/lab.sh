#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The oomtrace QEMU lab: boot Debian's own kernel with a busybox initramfs,
# run one scenario script per boot inside the guest, and judge it.
#
#   tests/lab/lab.sh [--shell] [SCRIPT...]
#   tests/lab/lab.sh --prepare        build the cached base archive only
#
# Every SCRIPT boots its own VM. With --shell the guest loads oomtrace.ko and
# leaker.ko (if built), runs SCRIPT (if given) and then gives an interactive
# busybox shell on the serial console (`exit` or Ctrl-D powers off; Ctrl-A X
# kills QEMU).
#
# Environment knobs (defaults in brackets):
#   ACCEL    tcg|kvm|any -accel value [tcg = tcg,thread=single]
#            KVM hangs at boot on the project's machines; tcg,thread=multi
#            loses code patches under load (see host/boot.sh)
#   KERNEL   path to a vmlinuz        [/boot/vmlinuz-VER, VER matching KDIR]
#   KVER     kernel release of KERNEL  [from KDIR, or from the vmlinuz-VER name]
#   MODROOT  root holding lib/modules/KVER [/]
#   KO_DIR   where oomtrace.ko and tests/modules/*/*.ko were built [the
#            checkout]: the debug lane builds them against its own kernel
#            in build/debug/src, away from the checkout's Debian build
#   OT_KO    the oomtrace.ko put in the guest [KO_DIR/oomtrace.ko];
#            tests/run --stub gives tests/modules/stub/oomtrace.ko
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
#   ICOUNT=1 instructions, not time: -icount shift=0,sleep=off and one vCPU
#            (the guest's clock advances one ns per instruction executed)
#   LAB_BAIL=1   the guest stops the scenario at its first failed test
#            (tests/run --stub: the question is only whether it fails)
#   GUEST_ENV "NAME=VALUE ..." exported to the scenario (e.g. BENCH_LOOPS=1600)
#
# A scenario declares its needs in header lines (they win over MEM, SMP,
# NET; TIMEOUT takes the larger; cmdline, modules and files add up):
#   # lab: mem=256 smp=2 timeout=240 cmdline="slab_nomerge" modules="drbd brd"
#   # lab: net=0 expect=panic|oom needs="oomtrace tool" files="host:guest ..."
#   # lab: allow="REGEX"
# allow=: a kernel splat the scenario provokes on purpose (a WARN of the
# kernel's own): from a line matching the extended REGEX to the next
# "---[ end trace" line, the log is not judged (host/judge.sh).
# expect=panic: pass iff the kernel panicked. expect=oom: the OOM killer must
# have run. In both, the OOM killer's report (and the panic_on_oom panic)
# may print a call trace; any other one, or an allocation failure, fails
# (host/judge.sh). needs=oomtrace (tool): the scenario loads oomtrace.ko
# (runs tools/oomtrace); it is skipped, not failed, while that is not built.
#   # lab: expect=panic dump=1 modules="qemu_fw_cfg"
#   # lab: icount=1 bins="/usr/bin/perf"
# icount=1: the boot is ICOUNT=1's (one vCPU, the guest clock counts
# instructions; smp= is ignored). bins=: host executables copied to the same
# path in the guest with their shared libraries (ldd); a missing one fails
# the boot (scripts/deps.sh installs them).
# dump=1 (post-mortem): boot with panic=0 nokaslr and -device vmcoreinfo
# (the guest must load qemu_fw_cfg), wait for the panic, take the guest's
# memory with the monitor's dump-guest-memory -z, extract its kernel log with
# makedumpfile into build/lab/NAME.dmesg and run scenarios/NAME.host.sh
# DMESG on the host, if present: its TAP lines count like the guest's.
# Without dump=1, scenarios/NAME.host.sh (if present) runs after the boot with
# the guest's serial log (build/lab/NAME.clean.log), for checks that need
# host tools (python3). Each TAP stream declares its own plan; the plans
# must add up to the results, and a host side must exit 0.
#
# Guest layout: /init and /etc/lab-env.sh (tests/lab/guest/),
# /opt/oomtrace/{oomtrace.ko,leaker.ko,...,lib.sh,scenario.sh},
# /usr/sbin/oomtrace (if built), /usr/bin/{hog,labtool} (every
# tests/lab/guest/*.c, built static), real kmod, requested in-tree
# modules (depmod'ed), drbdsetup-84 + drbdmeta (host/initramfs.sh).
#
# Verdict (host/judge.sh): pass only if the guest printed
# "OOMTRACE-LAB-EXIT 0", every TAP stream's plan matches its results, no
# "not ok" line and no kernel problem (WARNING:, BUG:, Oops, Call Trace,
# panic, allocation failures, KASAN, lockdep, RCU and might_sleep splats,
# ...). A timeout, a lost VM or a missing marker is a failure.
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
#
# Output: the guest's scenario output, then "lab: NAME pass|fail|skip
# (reason) N.Ns" and "lab-result NAME ok=N notok=N skip=N verdict=pass|fail|skip
# stub=0|1 secs=N.N" (stub=1: the stub oomtrace.ko was loaded in this boot).
# Exit status: 0 pass, 1 fail, 77 skip. Logs: build/lab/NAME.log
# (LAB_OUT=DIR: in DIR instead; tests/run gives each lab kernel its own).

set -eu

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
LAB=${LAB_OUT:-$ROOT/build/lab}
GUEST=$ROOT/tests/lab/guest
KO_DIR=${KO_DIR:-$ROOT}
OT_KO=${OT_KO:-$KO_DIR/oomtrace.ko}
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

# shellcheck source=tests/lab/host/initramfs.sh
. "$ROOT/tests/lab/host/initramfs.sh"
# shellcheck source=tests/lab/host/boot.sh
. "$ROOT/tests/lab/host/boot.sh"
# shellcheck source=tests/lab/host/judge.sh
. "$ROOT/tests/lab/host/judge.sh"

SHELL_MODE=0
PREPARE=0
while [ $# -gt 0 ]; do
	case $1 in
	--shell) SHELL_MODE=1 ;;
	--prepare) PREPARE=1 ;;
	-h | --help) usage 0 ;;
	--) shift; break ;;
	-*) echo "lab: unknown option $1" >&2; usage 2 ;;
	*) break ;;
	esac
	shift
done
[ $# -gt 0 ] || [ $SHELL_MODE = 1 ] || [ $PREPARE = 1 ] || usage 2
case $TIMEOUT_SCALE in
[1-9] | [1-9][0-9]) ;;
*) die "TIMEOUT_SCALE must be an integer from 1 to 99" ;;
esac
case $MEM_EXTRA in
[0-9] | [1-9][0-9] | [1-9][0-9][0-9] | [1-9][0-9][0-9][0-9]) ;;
*) die "MEM_EXTRA must be a number of MiB" ;;
esac

mkdir -p "$LAB"
if [ $PREPARE = 1 ]; then
	build_base >/dev/null
	exit 0
fi

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

# ---- one scenario -------------------------------------------------------------

# Header knobs of a scenario: every "# lab: key=value key="v a l" ..." line.
parse_header() {
	local line rest k v re='^[[:space:]]*([a-z_]+)=("([^"]*)"|([^[:space:]"]*))(.*)$'
	H_MEM="" H_SMP="" H_TIMEOUT="" H_NET="" H_EXPECT="" H_CMDLINE="" H_MODULES="" H_FILES="" H_NEEDS="" H_DUMP="" H_ALLOW="" H_ICOUNT="" H_BINS=""
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
			allow) H_ALLOW=$v ;;
			icount) H_ICOUNT=$v ;;
			bins) H_BINS="$H_BINS $v" ;;
			*) die "$1: unknown header key '$k'" ;;
			esac
		done
		[[ $rest =~ ^[[:space:]]*$ ]] || die "$1: cannot parse header '$line'"
	done < <(grep '^# lab:' "$1" || true)
}

now() { date +%s%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", (b - a) / 1e9 }'; }

result() { # result NAME VERDICT REASON OK NOTOK SKIP T0 [STUB]
	local t
	t=$(secs "$7" "$(now)")
	echo "lab: $1 $2${3:+ ($3)} ${t}s"
	echo "lab-result $1 ok=$4 notok=$5 skip=$6 verdict=$2 stub=${8:-0} secs=$t"
}

# skip_unbuilt NAME T0: a skip result when something the scenario needs is
# not built (returns 1 then).
skip_unbuilt() {
	local n
	for n in $H_NEEDS; do
		case $n in
		oomtrace) [ -e "$OT_KO" ] || {
			result "$1" skip "oomtrace.ko not built" 0 0 0 "$2"
			return 1
		} ;;
		tool) [ -x "$ROOT/tools/oomtrace" ] || {
			result "$1" skip "tools/oomtrace not built" 0 0 0 "$2"
			return 1
		} ;;
		*) die "unknown need '$n'" ;;
		esac
	done
}

# prepare NAME SCRIPT: the header knobs into MEMSZ SMPN NETON TMO EXPECT
# CMDL, the initrd into INITRD (removed at exit).
prepare() {
	local base modcpio ov mods
	MEMSZ=$((${H_MEM:-${MEM:-512}} + MEM_EXTRA))
	SMPN=${H_SMP:-${SMP:-2}}
	ICOUNT=${H_ICOUNT:-${ICOUNT:-0}}
	[ "$ICOUNT" = 0 ] || SMPN=1
	NETON=${H_NET:-${NET:-0}}
	TMO=${TIMEOUT:-180}
	[ -n "$H_TIMEOUT" ] && [ "$H_TIMEOUT" -gt "$TMO" ] && TMO=$H_TIMEOUT
	TMO=$((TMO * TIMEOUT_SCALE))
	[ $SHELL_MODE = 1 ] && TMO=${TIMEOUT:-86400}
	EXPECT=$H_EXPECT
	CMDL="${H_CMDLINE# } ${CMDLINE:-}"
	mods=$H_MODULES
	[ "$NETON" = 1 ] && mods="$mods virtio_pci virtio_net"

	base=$(build_base)
	# shellcheck disable=SC2046
	modcpio=$(build_modules $(tr ' ' '\n' <<<"$mods" | sort -u))
	ov=$(build_overlay "$1" "$2" "$([ $SHELL_MODE = 1 ] && echo shell || echo run)" \
		"$NETON" "$H_FILES ${FILES:-}" "$H_BINS")
	INITRD=$LAB/$1.initrd.$$
	cat "$base" "$modcpio" "$ov" >"$INITRD"
	rm -f "$ov"
	# shellcheck disable=SC2064
	trap "rm -f '$INITRD'" EXIT
}

# judge NAME SCRIPT LOG QEMU_RC T0: the host side, the scenario's output,
# the verdict and the result lines. Returns 0 on a pass.
judge() {
	local name=$1 script=$2 log=$3 rc=$4 t0=$5 clean hostsh reason stub=0
	clean=$LAB/$name.clean.log
	# Drop carriage returns and the firmware's terminal escapes.
	tr -d '\r' <"$log" | sed -E 's/\x1b(\[[0-9;?]*[a-zA-Z]|c)//g' >"$clean"
	# The scenario's own output (a guest that panicked has no end marker).
	if [ "${LAB_QUIET:-0}" = 1 ]; then
		sed -n '/^OOMTRACE-LAB-START$/,/^OOMTRACE-LAB-\(DMESG\|KMEMLEAK\)-BEGIN$/p' "$clean" |
			grep -E '^(ok|not ok|#|1\.\.|Bail out!)' || true
	else
		sed -n '/^OOMTRACE-LAB-START$/,/^OOMTRACE-LAB-\(DMESG\|KMEMLEAK\)-BEGIN$/p' "$clean" |
			grep -v '^OOMTRACE-LAB-' || true
	fi
	# The host-side checks join the TAP: of the kernel log extracted from the
	# dump (dump=1), else of the guest's serial log (once the guest finished).
	hostsh=${script%.sh}.host.sh
	rm -f "$LAB/$name.host.log"
	if [ "${H_DUMP:-}" = 1 ]; then
		[ "$(cat "$LAB/$name.dump")" != ok ] ||
			host_check "$script" "$hostsh" "$name" "$LAB/$name.dmesg" "$clean"
	elif grep -q '^OOMTRACE-LAB-EXIT ' "$clean"; then
		host_check "$script" "$hostsh" "$name" "$clean" "$clean"
	fi
	if [ -e "$LAB/$name.host.log" ]; then
		grep -E '^(ok|not ok|#|1\.\.|Bail out!)' "$LAB/$name.host.log" || true
	fi

	read -r OKN NOTOK SKIPN _ < <(tap_counts "$clean")
	grep -q 'oomtrace: test stub loaded' "$clean" && stub=1
	reason=$(verdict "$name" "$clean" "$rc" "$TMO" "$EXPECT" "${H_DUMP:-}" \
		"$([ -n "$script" ] && echo "$hostsh")" "${H_ALLOW:-}")
	if [ -n "$reason" ]; then
		result "$name" fail "$reason" "$OKN" "$NOTOK" "$SKIPN" "$t0" "$stub"
		echo "lab: log: $log"
		return 1
	fi
	result "$name" pass "" "$OKN" "$NOTOK" "$SKIPN" "$t0" "$stub"
}

run_one() { # run_one SCRIPT (empty in plain --shell mode)
	local script=${1:-} name t0 log rc=0
	t0=$(now)
	name=shell
	if [ -n "$script" ]; then
		[ -r "$script" ] || die "no such scenario: $script"
		name=$(basename "$script" .sh)
	fi
	parse_header "$script"
	skip_unbuilt "$name" "$t0" || return 77
	prepare "$name" "$script"
	qemu_cmd "$INITRD" "$MEMSZ" "$SMPN" "$NETON" "$CMDL" "${H_DUMP:-}" "$name"
	if [ $SHELL_MODE = 1 ]; then
		echo "lab: shell on $KVER (${MEMSZ} MiB, $SMPN CPUs); Ctrl-A X kills QEMU"
		timeout --foreground "$TMO" "${QEMU[@]}"
		return 0
	fi
	log=$LAB/$name.log
	boot "$name" "$TMO" "$log" "${H_DUMP:-}" || rc=$?
	judge "$name" "$script" "$log" "$rc" "$t0"
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
		echo "lab-result $n ok=0 notok=0 skip=0 verdict=fail stub=0 secs=0.0"
		status=1
		;;
	esac
done
exit $status
