# SPDX-License-Identifier: GPL-2.0
#
# kmemleak.awk: judge the guest's kmemleak report (tests/lab/host/judge.sh,
# kmemleak_check). Input: the report lines. Variables: mods (the module
# records, one "name base end text leak ko gone" line each), allowfile
# (tests/lab/kmemleak.allow), out (the annotated report written here).
# Prints a failure line when an object is a leak.
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
}
