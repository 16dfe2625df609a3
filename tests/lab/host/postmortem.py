# SPDX-License-Identifier: GPL-2.0
#
# postmortem.py DMESG SERIAL: the host side of a scenario that ends in an
# OOM panic (oom_panic.sh, oom_storm.sh). DMESG is the kernel log that
# makedumpfile extracted from the halted guest's memory, SERIAL the serial
# console's capture. Before the panic the guest printed what it knows:
#
#   # postmortem: module=leaker live_bytes=N cache=kmalloc-4k objects=N cache_bytes=N
#   # postmortem: kills=PID,PID,... step=BYTES
#
# `oomtrace report --dmesg` ($OOMTRACE) must rebuild the same answer from
# either log: the panic's dump, complete; the module as the likely culprit,
# with its exact live bytes and objects; the OOM timeline with every kill in
# order (and, with step=, the module's exact growth from one kill to the
# next); then the final OOM of the panic, which killed nobody. Prints TAP,
# and as diagnostics the dump's size and the time it took.
import json, os, re, subprocess, sys

TOOL = os.environ.get("OOMTRACE", "oomtrace")
DUMP_LINE = re.compile(r"oomtrace: dump (\d+) (\S+)(?: (.*))?$")

n = 0
fails = 0


def t(cond, desc, why=""):
    global n, fails
    n += 1
    fails += not cond
    print(("ok" if cond else "not ok") + " %d - host: %s" % (n, desc))
    if not cond and why:
        print("#   " + str(why)[:400])


def read(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        return f.read()


def expectations(serial):
    want = {}
    for m in re.finditer(r"^# postmortem: (.*)$", serial, re.M):
        for kv in m.group(1).split():
            k, _, v = kv.partition("=")
            want[k] = v
    return want


def dump_size(text, seq):
    """Lines and bytes of dump SEQ in a kernel log: the messages as printk
    stores them, without the reader's prefixes, each with its newline."""
    lines = size = 0
    for line in text.splitlines():
        m = DUMP_LINE.search(line)
        if m and int(m.group(1)) == seq:
            lines += 1
            size += len(line) - m.start() + 1
    return lines, size


def report(path, *args):
    p = subprocess.run([TOOL, "report", "--dmesg", path] + list(args),
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       universal_newlines=True, timeout=60)
    return p.returncode, p.stdout, p.stderr


def kills_of(events):
    return [e for e in events if e["pid"] is not None]


def module_at(event, name):
    for m in event["modules"]:
        if m["name"] == name:
            return m
    return None


def check_growth(events, name, step):
    """The module's live bytes at each kill, and the deltas in between: one
    step from one kill to the next, exactly."""
    bad, at, acc = [], [], 0
    for e in events:
        m = module_at(e, name)
        if m is None:
            if e["pid"] is not None:
                bad.append("event %d: %s not in its top modules" % (e["seq"], name))
            continue
        acc += m["delta_bytes"]
        if e["pid"] is not None:
            at.append((e["seq"], m["live_bytes"], acc))
            acc = 0
    for (_, prev, _), (seq, live, delta) in zip(at, at[1:]):
        if live - prev != step or delta != step:
            bad.append("event %d: %s live %d (+%d since the previous kill), deltas %d"
                       % (seq, name, live, live - prev, delta))
    return bad


def check_source(label, path, want):
    mod = want["module"]
    rc, out, err = report(path, "--json")
    try:
        doc = json.loads(out)
    except ValueError as e:
        doc = None
        err = "%s: %s" % (e, err)
    t(rc == 0 and doc is not None, "%s: report --dmesg --json: a JSON document, exit 0" % label,
      "exit %d: %s" % (rc, err.strip()))
    if doc is None:
        return
    d = doc["dump"]
    t(d["reason"] == "panic" and d["complete"] and not d["events_busy"] and d["ns"] is not None,
      "%s: the report is of the panic's dump, complete, with the time it took" % label,
      json.dumps(d)[:300])
    c = doc["culprit"]
    t(c["module"] == mod and c["reason"] == "oom_event_growth",
      "%s: the likely culprit is %s, by its growth at the OOMs" % (label, mod), json.dumps(c))
    live = [m["live_bytes"] for m in doc["modules"] if m["module"] == mod]
    t([str(v) for v in live] == [want["live_bytes"]],
      "%s: %s's live_bytes as the guest saw them before the panic: %s"
      % (label, mod, want["live_bytes"]), "report: %s" % live)
    line = "cache %s: %s in %s objects" % (want["cache"], want["cache_bytes"], want["objects"])
    t(line in c["evidence"], "%s: the evidence names %s" % (label, line), c["evidence"])

    ev = doc["events"]
    pids = [str(e["pid"]) for e in kills_of(ev)]
    kills = [p for p in want.get("kills", "").split(",") if p]
    t(pids == kills, "%s: the OOM timeline lists the %d kills, in order" % (label, len(kills)),
      "report: %s" % ",".join(pids))
    t(ev and ev[-1]["kind"] == "global" and ev[-1]["pid"] is None
      and module_at(ev[-1], mod) is not None,
      "%s: the timeline ends with the panic's OOM, which killed nobody, %s in its top"
      % (label, mod), json.dumps(ev[-1:])[:300])
    if "step" in want:
        bad = check_growth(ev, mod, int(want["step"]))
        t(not bad, "%s: %s grew by exactly %s bytes from one kill to the next"
          % (label, mod, want["step"]), "; ".join(bad))

    rc, out, err = report(path)
    sec = out.split("LIKELY CULPRIT\n", 1)
    t(rc == 0 and len(sec) == 2 and sec[1].startswith("  module %s " % mod),
      "%s: report --dmesg (text) names %s under LIKELY CULPRIT" % (label, mod),
      "exit %d: %s" % (rc, (err or out[-300:]).strip()))
    src = re.search(r"^source: .*$", out, re.M)
    print("# %s: %s" % (label, src.group(0) if src else "no source line"))
    lines, size = dump_size(read(path), d["seq"])
    print("# %s: dump %d: %d lines, %d bytes, %d events, written in %.1f ms"
          % (label, d["seq"], lines, size, len(ev), (d["ns"] or 0) / 1e6))


def main():
    dmesg, serial = sys.argv[1], sys.argv[2]
    want = expectations(read(serial))
    print("1..%d" % (3 + 2 * (8 + ("step" in want))))
    keys = ("module", "live_bytes", "cache", "objects", "cache_bytes", "kills")
    t(set(keys) <= set(want), "the guest said what it knew before the panic", want)
    for k in keys:
        want.setdefault(k, "?")
    log = read(dmesg) if os.path.exists(dmesg) else ""
    t("Kernel panic - not syncing: Out of memory" in log,
      "the kernel log of the guest's memory ends in the OOM panic")
    summary = re.search(r"oomtrace: OOM #\d+ at [0-9.]*: top modules: %s " % want["module"], log)
    panic = log.find("Kernel panic - not syncing")
    t(summary is not None and 0 <= summary.start() < panic,
      "an oomtrace OOM summary naming %s precedes the panic" % want["module"])
    check_source("memory dump", dmesg, want)
    check_source("serial console", serial, want)
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
