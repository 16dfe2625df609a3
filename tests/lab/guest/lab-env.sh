# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=dash
#
# /etc/lab-env.sh in the lab guest (tests/lab/guest/init sources it, so do
# the scenario shells). busybox ash runs its own applets before PATH: shell
# functions send the module tools to the real kmod instead.
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
