#!/usr/bin/env python3
"""bench-report.py BENCH_BUILD_DIR GOALS_TSV ARCH...: the figures of one
make bench run.

Reads BENCH_BUILD_DIR/raw-ARCH-FLAVOR.txt ("BENCH metric rep value" lines
from the guests) and writes, in BENCH_BUILD_DIR:
  table-ARCH.md   every metric: min / median / max per side, the ratio of
                  the medians (ours / upstream), n, and a noise mark;
  goals.md        the goals table of the page;
  p2-ARCH.dat, p5-ARCH.dat   the curves' data, for gnuplot;
and GOALS_TSV: one line per goal and arch, tab-separated: arch, metric,
ours median, upstream median, ratio, goal, met or missed.  A goal whose
figures are missing on either side is "missed", with "n/a" figures."""
import os
import statistics
import sys

bdir, goals_tsv = sys.argv[1:3]
arches = sys.argv[3:]

# Metric, goal (ratio of medians, ours / upstream, at most).  Kernel-side
# timings where the metric has them (the T metrics).
GOALS = [
    ("P0T.enable", 0.02), ("P0T.disable", 0.02),
    ("P1T.enable", 0.05), ("P1T.disable", 0.05),
    ("P2.1000.enable", 0.1), ("P2.10000.enable", 0.1),
    ("P2.1000.disable", 0.01), ("P2.10000.disable", 0.01),
    ("P3.patched_ns", 0.5),
    ("P4.max_us", 1.0), ("P4.p99_us", 1.0),
    ("P5T.10000.enable", 0.5), ("P5T.10000.disable", 0.5),
    ("P7.pipe_pending_ns", 1.1), ("P7.kthread_pending_ns", 1.1),
]

# How each family is measured, for the table's "by" column.
BY = {"P0": "shell", "P0T": "kernel log", "P0F": "floor", "P1": "shell",
      "P1T": "kernel log", "P2": "shell", "P2T": "kernel log",
      "P2E": "module", "P2F": "floor",
      "P3": "module", "P4": "module", "P4F": "floor", "P5": "shell", "P5T": "kernel log",
      "P7": "program/module"}
ORDER = ["P0", "P0T", "P0F", "P1", "P1T", "P2", "P2T", "P2E", "P2F", "P3", "P4", "P4F", "P5",
         "P5T", "P7"]


def load(path):
    vals, notes = {}, []
    try:
        lines = open(path).read().splitlines()
    except OSError:
        lines = []
    for line in lines:
        f = line.split()
        if not f:
            continue
        if f[0] == "bench:":
            notes.append(" ".join(f[1:]))
            continue
        if len(f) < 4:
            continue
        try:
            vals.setdefault(f[1], []).append(float(f[3]))
        except ValueError:
            notes.append(" ".join(f[1:]))
    return vals, notes


def med(v):
    return statistics.median(v) if v else None


def ratio(u, o):
    mu, mo = med(u), med(o)
    if mu is None or mo is None or mu == 0:
        return None
    return mo / mu


def noise(u, o):
    """Why a row's ratio is not to be trusted, or "" if it is resolved:
    "overlap" when the two sides' min-max ranges overlap, "spread" when a
    side's range is more than half its median."""
    if not u or not o:
        return ""
    marks = []
    if not (max(o) < min(u) or max(u) < min(o)):
        marks.append("overlap")
    for v in (u, o):
        m = med(v)
        if m and (max(v) - min(v)) > 0.5 * abs(m):
            marks.append("spread")
            break
    return ", ".join(marks)


def fmt(x):
    if x is None:
        return "n/a"
    if abs(x) >= 100:
        return "%.0f" % x
    if abs(x) >= 10:
        return "%.1f" % x
    return "%.2f" % x


def cell(v):
    if not v:
        return "n/a"
    return "%s / **%s** / %s" % (fmt(min(v)), fmt(med(v)), fmt(max(v)))


def sort_key(k):
    fam = k.split(".")[0]
    parts = k.split(".")
    num = int(parts[1]) if len(parts) > 2 and parts[1].isdigit() else 0
    return (ORDER.index(fam) if fam in ORDER else 99, num, k)


data = {}
tsv = []
goal_rows = []
for arch in arches:
    up, up_notes = load(os.path.join(bdir, "raw-%s-upstream.txt" % arch))
    ours, ours_notes = load(os.path.join(bdir, "raw-%s-ours.txt" % arch))
    data[arch] = (up, ours)
    out = ["| metric | by | upstream min / **median** / max "
           "| ours min / **median** / max | ours / upstream | n up/ours "
           "| noise |", "|---|---|---|---|---|---|---|"]
    for k in sorted(set(up) | set(ours), key=sort_key):
        if k.endswith(".error"):
            continue
        u, o = up.get(k, []), ours.get(k, [])
        r = ratio(u, o)
        out.append("| %s | %s | %s | %s | %s | %d/%d | %s |" % (
            k, BY.get(k.split(".")[0], ""), cell(u), cell(o),
            "n/a" if r is None else "%.3g" % r, len(u), len(o), noise(u, o)))
    for side, notes, vals in (("upstream", up_notes, up),
                              ("ours", ours_notes, ours)):
        errs = [k for k in vals if k.endswith(".error")]
        for n in notes:
            out.append("- %s: %s" % (side, n))
        for k in errs:
            out.append("- %s: error in %s (%d times)" % (side, k,
                                                          len(vals[k])))
    with open(os.path.join(bdir, "table-%s.md" % arch), "w") as f:
        f.write("\n".join(out) + "\n")

    for metric, goal in GOALS:
        u, o = up.get(metric, []), ours.get(metric, [])
        r = ratio(u, o)
        met = r is not None and r <= goal
        tsv.append("\t".join([arch, metric, fmt(med(o)), fmt(med(u)),
                              "n/a" if r is None else "%.3g" % r,
                              "%g" % goal, "met" if met else "missed"]))
        goal_rows.append("| %s | %s | %s | %s | %s | ≤ %g | %s | %s |" % (
            arch, metric, fmt(med(o)), fmt(med(u)),
            "n/a" if r is None else "%.3g" % r, goal,
            "met" if met else "**missed**", noise(u, o)))

    # Curves: median, min, max per side and direction.
    for name, fam, sizes in (("p2", "P2", [1, 10, 100, 1000, 10000]),
                             ("p5", "P5T", [100, 1000, 10000, 30000])):
        rows = ["# n  then for upstream enable, upstream disable, ours "
                "enable, ours disable: median min max"]
        for n in sizes:
            cols = [str(n)]
            for vals in (up, ours):
                for d in ("enable", "disable"):
                    v = vals.get("%s.%d.%s" % (fam, n, d), [])
                    cols += ["%.3f" % x for x in (med(v), min(v), max(v))] \
                        if v else ["?"] * 3
            rows.append(" ".join(cols))
        with open(os.path.join(bdir, "%s-%s.dat" % (name, arch)), "w") as f:
            f.write("\n".join(rows) + "\n")

with open(goals_tsv, "w") as f:
    f.write("\n".join(tsv) + "\n")
with open(os.path.join(bdir, "goals.md"), "w") as f:
    f.write("| arch | metric | ours median | upstream median | ratio "
            "| goal | | noise |\n|---|---|---|---|---|---|---|---|\n")
    f.write("\n".join(goal_rows) + "\n")
