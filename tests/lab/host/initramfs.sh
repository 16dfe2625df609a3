# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# The lab's initramfs, sourced by tests/lab/lab.sh. The initrd is a
# concatenation of three newc cpio archives (the kernel unpacks them in
# order): base (busybox, kmod, drbd-utils, the static guest helpers, /init;
# cached by content), modules (the in-tree modules a scenario asks for, with
# their dependencies, per kernel and module set; cached) and the per-run
# overlay (/opt/oomtrace: the modules under test, lib.sh, the scenario).
#
# Uses from lab.sh: LAB (build/lab), GUEST (tests/lab/guest), ROOT, KO_DIR,
# OT_KO, KVER, MODDIR, MODROOT, die.

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

HOST_BINS="/bin/busybox /usr/bin/kmod /lib/drbd/drbdsetup-84 /usr/sbin/drbdmeta /bin/ip"

# build_base: prints the path of the base archive, building it if its inputs
# (this file, the guest files, the host binaries) changed.
build_base() {
	local key f dir out
	key=$( {
		cat "${BASH_SOURCE[0]}" "$GUEST"/*.c "$GUEST/init" "$GUEST/lab-env.sh"
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
	# iproute2's ip (veth pairs, network namespaces: busybox's ip has
	# neither), beside busybox's: $IPROUTE2 in lib.sh.
	[ -x /bin/ip ] || die "/bin/ip missing (iproute2)"
	copy_bin /bin/ip /usr/bin/iproute2-ip "$dir"
	# Static guest helpers: tests/lab/guest/NAME.c -> /usr/bin/NAME.
	for f in "$GUEST"/*.c; do
		gcc -static -O2 -Wall -Wextra -o "$dir/usr/bin/$(basename "$f" .c)" "$f" ||
			die "cannot build the static $(basename "$f" .c) (gcc, libc6-dev)"
	done
	install -m 644 "$GUEST/lab-env.sh" "$dir/etc/lab-env.sh"
	install -m 755 "$GUEST/init" "$dir/init"
	# Older bases go (tests/lab/suite.sh builds the base once, before
	# VMs start side by side).
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

# build_overlay NAME SCRIPT MODE NET FILES BINS: the per-run archive; prints
# its path. MODE is run or shell; FILES "host:guest ..."; BINS "path ...",
# host executables put at the same path with their libraries.
build_overlay() {
	local name=$1 script=$2 mode=$3 net=$4 files=$5 bins=$6 ov n src out
	ov=$LAB/run-$name.$$
	out=$LAB/$name.overlay.$$
	rm -rf "$ov"
	mkdir -p "$ov/opt/oomtrace" "$ov/usr/sbin"
	cp "$GUEST/lib.sh" "$ov/opt/oomtrace/lib.sh"
	[ -n "$script" ] && cp "$script" "$ov/opt/oomtrace/scenario.sh"
	[ -e "$OT_KO" ] && cp "$OT_KO" "$ov/opt/oomtrace/oomtrace.ko"
	# Every test module (leaker, otbench, ...) that is built; the stub
	# oomtrace.ko goes in only as OT_KO (tests/run --stub).
	for n in "$KO_DIR"/tests/modules/*/*.ko; do
		case $n in */stub/*) continue ;; esac
		[ -e "$n" ] && cp "$n" "$ov/opt/oomtrace/"
	done
	# Debug info is most of a .ko's size (otbench: 5 MiB of 5.3): not needed.
	strip --strip-debug "$ov"/opt/oomtrace/*.ko 2>/dev/null || true
	[ -x "$ROOT/tools/oomtrace" ] && copy_bin "$ROOT/tools/oomtrace" /usr/sbin/oomtrace "$ov"
	for n in $files; do
		src=${n%%:*}
		case $src in /*) ;; *) src=$ROOT/$src ;; esac
		[ -e "$src" ] || die "FILES: $src missing"
		mkdir -p "$ov/$(dirname "${n#*:}")"
		cp -L "$src" "$ov/${n#*:}"
	done
	for n in $bins; do
		[ -x "$n" ] || die "bins: $n missing (scripts/deps.sh installs it)"
		copy_bin "$n" "$n" "$ov"
	done
	{
		printf 'LAB_MODE=%s\nLAB_NET=%s\nLAB_NAME=%s\nexport LAB_BAIL=%s\n' \
			"$mode" "$net" "$name" "${LAB_BAIL:-0}"
		for n in ${GUEST_ENV:-}; do
			case $n in
			[A-Za-z_]*=*) printf 'export %s\n' "$n" ;;
			*) die "GUEST_ENV: '$n' is not NAME=VALUE" ;;
			esac
		done
	} >"$ov/opt/oomtrace/lab.env"
	mkcpio "$ov" "$out"
	rm -rf "$ov"
	echo "$out"
}
