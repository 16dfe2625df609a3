# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# One QEMU boot of the lab, sourced by tests/lab/lab.sh.
#
# TCG: one host thread runs every vCPU in turn. Multi-threaded TCG (QEMU
# 7.2) can keep executing a stale int3 after the kernel patched a static
# branch that another vCPU runs in a tight loop: the vCPU spins on the int3
# forever (soft lockup at the patched site). Reproduced with no oomtrace at
# all: toggling the mm_page_alloc event in tracefs under leaker's storm locks
# up in 2 of 2 runs multi-threaded, 0 of 2 single. The vCPUs still
# interleave, so races between CPUs are still exercised.
#
# Uses from lab.sh: LAB, VMLINUZ, TIMEOUT_SCALE, ACCEL, ICOUNT.

# qemu_cmd INITRD MEM SMP NET CMDLINE DUMP NAME: sets QEMU (an array).
qemu_cmd() {
	local accel=${ACCEL:-tcg} nic="-nic none" append
	[ "$accel" = tcg ] && accel=tcg,thread=single
	# icount needs single-threaded TCG, whatever ACCEL says (ICOUNT below).
	[ "${ICOUNT:-0}" = 1 ] && accel=tcg,thread=single
	[ "$4" = 1 ] && nic="-nic user,model=virtio-net-pci"
	# softlockup_panic: a stuck CPU fails the boot at once, with its stack,
	# instead of running into the timeout. lab_scale: the kernel hands a
	# key=value it does not know to init's environment; the guest's time
	# bounds (lib.sh) scale with the boot's. no_timer_check: a TCG guest on
	# a loaded host can miss the IO-APIC timer check and panic at boot
	# ("IO-APIC + timer doesn't work!", seen with 6.12); virtual machines
	# skip it (what KVM guests do by default).
	append="console=ttyS0 no_timer_check panic=-1 panic_on_warn=1 oops=panic softlockup_panic=1 quiet loglevel=4 lab_scale=$TIMEOUT_SCALE $5"
	# shellcheck disable=SC2206
	QEMU=(qemu-system-x86_64 -accel "$accel" -m "$2" -smp "$3" -nographic
		-bios qboot.rom -no-reboot -kernel "$VMLINUZ" -initrd "$1" -append "$append" $nic)
	[ "$accel" = kvm ] && QEMU+=(-cpu host)
	# ICOUNT=1: the guest clock counts instructions (one per ns; lab.sh
	# gives one vCPU: with more, every vCPU's instructions advance the one
	# clock): a ktime difference in the guest is an instruction count, the
	# same to 0.2% from run to run (../shared/LAB-NOTES.md). sleep=off: an
	# idle guest's clock jumps to its next timer at once: idle time is
	# clock time without instructions.
	[ "${ICOUNT:-0}" = 1 ] && QEMU+=(-icount "shift=0,sleep=off")
	# dump=1: stay halted after the panic (the last -append wins).
	if [ "$6" = 1 ]; then
		QEMU+=(-append "$append panic=0 nokaslr" -device vmcoreinfo
			-monitor "unix:$LAB/$7.mon,server,nowait")
	fi
	return 0
}

# boot NAME TIMEOUT LOG DUMP: run QEMU; its output in LOG. Returns QEMU's (or
# timeout's) exit status.
boot() {
	local rc=0
	if [ "$4" = 1 ]; then
		lab_dump "$1" "$2" "$3" "${QEMU[@]}" || rc=$?
	else
		timeout --kill-after=5 "$2" "${QEMU[@]}" </dev/null >"$3" 2>&1 || rc=$?
	fi
	return $rc
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
		python3 "$ROOT/tests/lab/host/dump.py" "$LAB/$name.mon" "$core.flat" >>"$log" 2>&1 &&
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
