#!/usr/bin/env python3
"""bench-report.py ARCH UPSTREAM_RAW OURS_RAW BASE CONFIG COMMIT: the
markdown table of make bench: min / median / max per side and the ratio of
the medians (ours / upstream; below 1 means ours is faster or smaller)."""
import statistics
import sys

arch, up_raw, ours_raw, base, config, commit = sys.argv[1:7]


def load(path):
    vals, notes = {}, []
    try:
        lines = open(path).read().splitlines()
    except OSError:
        lines = []
    for line in lines:
        f = line.split()
        if f[0] == "bench:":
            notes.append(line)
            continue
        if len(f) < 4:
            continue
        try:
            vals.setdefault(f[1], []).append(float(f[3]))
        except ValueError:
            notes.append(line)
    return vals, notes


up, up_notes = load(up_raw)
ours, ours_notes = load(ours_raw)


def cell(v):
    if not v:
        return "n/a"
    return "%.1f / **%.1f** / %.1f" % (min(v), statistics.median(v), max(v))


print("## make bench, %s\n" % arch)
print("base: Debian linux-source-6.12 %s; config %s; klp commit %s\n"
      % (base, config, commit))
print("| metric | upstream min / **median** / max | ours min / **median** / max "
      "| ours / upstream (medians) | n |")
print("|---|---|---|---|---|")
order = ["P0", "P1", "P2", "P3", "P4", "P5", "P7"]
keys = sorted(set(up) | set(ours),
              key=lambda k: (order.index(k[:2]) if k[:2] in order else 9, k))
for k in keys:
    u, o = up.get(k, []), ours.get(k, [])
    ratio = "n/a"
    if u and o and statistics.median(u):
        ratio = "%.2f" % (statistics.median(o) / statistics.median(u))
    print("| %s | %s | %s | %s | %d/%d |" % (k, cell(u), cell(o), ratio,
                                            len(u), len(o)))
print("\nTimes in ms unless the metric says _ns or _us.  P3 is ns per call "
      "of the patched function minus its unpatched twin.  P7 is ns per "
      "round trip (two context switches on one CPU), idle and while a "
      "1000-function patch waits for the tasks measured (kthread) or for "
      "others (pipe).")
for side, notes in (("upstream", up_notes), ("ours", ours_notes)):
    for n in notes:
        print("- %s: %s" % (side, n))
