#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Host side of tool.sh, run by tests/lab/lab.sh with the guest's serial log:
# every JSON document the reader printed in the guest (between OT-JSON-BEGIN
# and OT-JSON-END lines) parses, and holds what the guest saw. Prints TAP.
log=$1
echo "1..17"
command -v python3 >/dev/null 2>&1 || {
	echo "not ok 1 - host: python3 is needed to check the JSON documents"
	exit 1
}
LAB_KVER=${LAB_KVER:-} python3 - "$log" <<'PY'
import json, os, re, sys

text = open(sys.argv[1], encoding="utf-8", errors="replace").read()
docs, rcs = {}, {}
for m in re.finditer(r"^OT-JSON-BEGIN (\S+)\n(.*?)^OT-JSON-END \1 rc=(\d+)$", text, re.M | re.S):
    docs[m.group(1)] = m.group(2)
    rcs[m.group(1)] = int(m.group(3))
want = re.search(r"^# json: leaker live_bytes=(\d+)$", text, re.M)
want = int(want.group(1)) if want else None

n = 0
def t(cond, desc, why=""):
    global n
    n += 1
    print(("ok" if cond else "not ok") + " %d - host: %s" % (n, desc))
    if not cond and why:
        print("#   " + why)

parsed = {}
for name in ("modules", "slabs-leaker", "callsites", "status", "events", "report", "diff"):
    err = ""
    try:
        parsed[name] = json.loads(docs[name])
    except KeyError:
        err = "no document in the log"
    except ValueError as e:
        err = "%s: %.300r" % (e, docs[name][:300])
    t(not err and rcs.get(name) == 0, "%s --json: one valid JSON document, exit 0" % name, err)

def rows(name):
    d = parsed.get(name) or {}
    return d.get("rows") or []

def row(name, key, val):
    return next((r for r in rows(name) if r.get(key) == val), None)

lk = row("modules", "module", "leaker")
t(lk is not None and lk["state"] == "live" and lk["live_bytes"] == want and lk["vmalloc_bytes"] == 0,
  "modules: leaker live, live_bytes as the text table (%s), vmalloc_bytes 0" % want, "row: %r" % (lk,))
bad = [r for r in rows("modules")
       if any(not isinstance(r[k], int) or r[k] < 0 for k in
              ("allocs", "frees", "live", "live_bytes", "slab_bytes", "page_bytes", "peak_bytes"))
       or r["slab_bytes"] + r["page_bytes"] != r["live_bytes"]]
t(rows("modules") and not bad, "modules: integers, slab_bytes + page_bytes == live_bytes on every row",
  "bad rows: %r" % bad[:3])
k = row("slabs-leaker", "cache", "kmalloc-256")
t(k is not None and k["module"] == "leaker" and k["live"] == 1000 and k["live_bytes"] == 256000,
  "slabs -m leaker: kmalloc-256, 1000 objects, 256000 B", "row: %r" % (k,))
cs = [r for r in rows("callsites") if r.get("module") == "leaker" and r.get("live") == 1000]
t(len(cs) == 1 and re.match(r"^leaker_cmd\+0x[0-9a-f]+/0x[0-9a-f]+$", cs[0]["callsite"]),
  "callsites: leaker_cmd+0x.../0x... with 1000 live objects", "rows: %r" % cs)
t(all(re.match(r"^\S+$", r.get("callsite", "")) and "0xffff" not in r["callsite"] for r in rows("callsites")),
  "callsites: names, never a raw kernel address")
st = (parsed.get("status") or {}).get("status") or {}
kver = os.environ.get("LAB_KVER") or "?"
t(st.get("format") == 1 and st.get("mode") == "exact" and st.get("kernel") == kver,
  "status: format 1, mode exact, kernel %s (the one booted)" % kver, "status: %r" % st)
t((parsed.get("events") or {}).get("events") == [], "events: none recorded")
c = (parsed.get("report") or {}).get("culprit") or {}
t(c.get("module") == "leaker" and c.get("reason") == "live_bytes" and c.get("live_bytes") == want,
  "report: culprit leaker, by live bytes (%s)" % want, "culprit: %r" % c)
d = parsed.get("diff") or {}
top = (d.get("modules") or [{}])[0]
t(top.get("module") == "leaker" and top.get("growth_bytes") == 10240000 and top.get("growth_objects") == 10000,
  "diff: leaker grew by 10240000 B and 10000 objects", "first row: %r" % top)
t(str(d.get("verdict", "")).startswith("top grower is module leaker "), "diff: verdict names leaker",
  "verdict: %r" % d.get("verdict"))
PY
