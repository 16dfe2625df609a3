# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=dash
#
# modinfo oomtrace.ko: license, description, vermagic for this kernel, and a
# description for every parameter ("parm: name:DESCRIPTION (type)"); every
# parameter visible in /sys/module/oomtrace/parameters is documented.
# lab: needs=oomtrace
# shellcheck disable=SC2016 # ok's COND is eval'ed in ok()

# shellcheck source=tests/lab/guest/lib.sh
. /opt/oomtrace/lib.sh

OT=/opt/oomtrace/oomtrace.ko

plan 8

modinfo $OT >/tmp/modinfo
sed 's/^/# /' /tmp/modinfo
ok 'grep -qE "^license: +(GPL|GPL v2|Dual [A-Za-z/]*GPL)$" /tmp/modinfo' "license is GPL"
ok 'grep -qE "^description: +[^ ]" /tmp/modinfo' "description present"
ok 'grep -qE "^vermagic: +$(uname -r) " /tmp/modinfo' "vermagic matches $(uname -r)"
cmp_ok "$(grep -c '^parm:' /tmp/modinfo)" -ge 1 "at least one parameter"
# "parm:  name:desc (type)": text between "name:" and " (type)".
undoc=$(awk '/^parm:/ { p = $2; sub(/:.*/, "", p); d = $0; sub(/^parm: +[^:]+:/, "", d);
	sub(/ *\([a-z]+\)$/, "", d); if (d !~ /[^ ]/) printf "%s ", p }' /tmp/modinfo)
is "$undoc" "" "every parm: line has a description"
notype=$(awk '/^parm:/ && $0 !~ /\((byte|short|ushort|int|uint|long|ulong|charp|bool|invbool|hexint|ullong)\)$/ { printf "%s ", $2 }' /tmp/modinfo)
is "$notype" "" "every parm: line ends with its type"

run_ok "insmod oomtrace.ko" insmod $OT
notlisted=""
for p in /sys/module/oomtrace/parameters/*; do
	[ -e "$p" ] || continue
	grep -q "^parm: *${p##*/}:" /tmp/modinfo || notlisted="$notlisted ${p##*/}"
done
is "$notlisted" "" "every sysfs parameter is documented by modinfo"
