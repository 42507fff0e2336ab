#!/usr/bin/env python3
"""Cut our tree into a bisectable patch series against the pristine base.

    series.py BASE TOP OUT

BASE is the pristine base tree, TOP the repository (its linux/ holds our
files, its series/ the commit messages), OUT the directory for the
git format-patch files.

Each step adds some of our files in their final form.  Files that later
steps still change are written in a "stage" form, derived here from the
final file so that they cannot drift from it:

  - headers of kernel/livepatch/ whose .c is not in yet become static
    inline stubs;
  - include/linux/livepatch.h keeps the !CONFIG_LIVEPATCH stubs for the
    kernel's call sites whose implementation is not in yet;
  - kernel/livepatch/Makefile lists the objects whose sources are in.

The last step must reproduce linux/ exactly, beside the base's own
kselftests, which stay; the script checks that, and that every file of
linux/ belongs to one step.
"""
import fnmatch
import os
import re
import shutil
import subprocess
import sys

OWNED = ["kernel/livepatch", "include/linux/livepatch.h",
         "include/linux/livepatch_sched.h", "arch/x86/include/asm/livepatch.h",
         "arch/powerpc/include/asm/livepatch.h", "samples/livepatch",
         "tools/testing/selftests/livepatch", "Documentation/livepatch",
         "Documentation/ABI/testing/sysfs-kernel-livepatch",
         "scripts/livepatch", "include/linux/livepatch_hooks.h"]

# Upstream's kselftests stay: ours are added beside them, and the series
# may leave base files there that linux/ does not carry.
KEPT = "tools/testing/selftests/livepatch/"

KLP = "kernel/livepatch/"

# (message file, final files added by the step, removals from the base)
# First the core, which behaves like upstream's implementation: every
# build option of kernel/livepatch/Kconfig is left out (OPTIONS, below).
# Then one step per improvement, with its code, tests and document.
ST = "tools/testing/selftests/livepatch/"
DOC = "Documentation/livepatch/"
STEPS = [
    ("01-remove", [KLP + "Kconfig"],
     ["kernel/livepatch", "samples/livepatch", "Documentation/livepatch"]),
    ("02-core", [KLP + f for f in ("core.c", "core.h", "sysfs.c",
                                   "symbols.c", "sync.c")], []),
    ("03-patch", [KLP + "patch.c", KLP + "patch.h"], []),
    ("04-transition", [KLP + "transition.c", KLP + "transition.h",
                       KLP + "kick.h", KLP + "sleep.h",
                       KLP + "ranges.c", KLP + "ranges.h",
                       KLP + "trace.h",
                       "include/linux/livepatch_sched.h"], []),
    ("05-module", [KLP + f for f in ("module.c", "reloc.c", "reloc.h")], []),
    ("06-replace", [KLP + f for f in ("replace.c", "replace.h",
                                      "callbacks.c", "callbacks.h",
                                      "shadow.c", "state.c", "state.h")], []),
    ("07-x86", ["arch/x86/include/asm/livepatch.h",
                "include/linux/livepatch.h"], []),
    ("08-powerpc", ["arch/powerpc/include/asm/livepatch.h"], []),
    ("09-samples", ["samples/livepatch/*"], []),
    ("10-selftests", [ST + "*"], []),
    ("11-docs", [DOC + "*",
                 "Documentation/ABI/testing/sysfs-kernel-livepatch"], []),
    ("12-transition-info", [KLP + "trace.c", ST + "test-events.sh",
                            ST + "test-blocked.sh"], []),
    ("13-event-completion", [KLP + "kick.c", ST + "test-kick-hold.sh",
                             ST + "test_modules/klp_test_walkhold.c",
                             ST + "test-kick-race.sh",
                             ST + "test_modules/klp_test_kickrace*"], []),
    ("14-sleep-switch", [KLP + "sleep.c", ST + "test-sleep-memo.sh"], []),
    ("15-stack-scan", [ST + "test-stack-scan.sh",
                       ST + "test_modules/klp_test_parked.c"], []),
    ("16-direct", [KLP + "direct.c", KLP + "direct.h",
                   KLP + "direct_x86_64.S", DOC + "direct-calls.rst",
                   ST + "test-dispatch-preempt.sh",
                   ST + "test_modules/klp_test_dispatch_hold.c"], []),
    ("17-lifecycle", [KLP + "lifecycle.c", KLP + "lifecycle.h",
                      "samples/livepatch/livepatch-lifecycle.c",
                      ST + "test-lifecycle.sh",
                      ST + "test_modules/klp_test_lifecycle.c",
                      DOC + "lifecycle.rst"], []),
    ("18-klp-build", ["scripts/livepatch/*",
                      "include/linux/livepatch_hooks.h",
                      ST + "klp-build/*",
                      DOC + "klp-build.rst"], []),
]

# The build options of kernel/livepatch/Kconfig, and the step that adds
# each.  Before it, the option's Kconfig entry, its Makefile lines and its
# #ifdef blocks are left out of every file (scripts/unifdef of the base).
OPTIONS = {
    "LIVEPATCH_TRANSITION_INFO": "12-transition-info",
    "LIVEPATCH_EVENT_COMPLETION": "13-event-completion",
    "LIVEPATCH_SLEEP_SWITCH": "14-sleep-switch",
    "LIVEPATCH_STACK_SCAN": "15-stack-scan",
    "LIVEPATCH_DIRECT_CALLS": "16-direct",
    "LIVEPATCH_LIFECYCLE_API": "17-lifecycle",
    "LIVEPATCH_SYSFS_ADDRS": "17-lifecycle",
}

# Files that every step writes in the form it needs (stage_tree()).
IMPLICIT = (KLP + "Makefile", "samples/livepatch/Makefile")

# Which implementation file brings the functions a header declares.
HEADER_SOURCE = {KLP + h + ".h": KLP + h + ".c" for h in
                 ("patch", "transition", "ranges", "reloc", "callbacks",
                  "replace", "state", "lifecycle", "direct")}

# Kernel call sites in livepatch.h: the source that implements them.
CONTRACT = {
    "klp_update_patch_state": KLP + "transition.c",
    "klp_copy_process": KLP + "transition.c",
    "klp_module_coming": KLP + "module.c",
    "klp_module_going": KLP + "module.c",
    "klp_apply_section_relocs": KLP + "module.c",
}

STUB_NOTE = "/* Stubs until the implementation is added later in this series. */\n"


def identity(top):
    """Who signs the patches: the repository's git identity, if any."""
    def get(key, default):
        r = subprocess.run(["git", "config", key], cwd=top,
                           capture_output=True, text=True)
        return r.stdout.strip() or default
    return ["-c", "user.name=" + get("user.name", "klp developers"),
            "-c", "user.email=" + get("user.email", "klp@localhost")]


def die(msg):
    sys.exit("series: " + msg)


def run(*cmd, cwd=None):
    subprocess.run(cmd, cwd=cwd, check=True)


def final_files(top):
    """Our files: what git tracks under linux/."""
    r = subprocess.run(["git", "ls-files", "linux"], cwd=top, check=True,
                       capture_output=True, text=True)
    return sorted(f[len("linux/"):] for f in r.stdout.split())


def split_decls(text):
    """Yield (start, end, name, ret, args) for each top-level prototype."""
    pat = re.compile(r"^((?:const )?(?:struct \w+ \*|\w+ \*?|\w+ \w+ \*?))"
                     r"(\w+)\(([^;{]*?)\);\n", re.M)
    for m in pat.finditer(text):
        yield m.start(), m.end(), m.group(2), m.group(1).strip(), m.group(3)


def stub_body(ret):
    if ret == "void":
        return None
    if ret == "bool":
        return "false"
    if ret.endswith("*"):
        return "NULL"
    return "-EOPNOTSUPP"


def format_stub(ret, name, args):
    args = " ".join(args.split())
    head = "static inline %s%s%s(" % (ret, "" if ret.endswith("*") else " ",
                                      name)
    lines, cur = [], head
    for i, a in enumerate(args.split(", ")):
        piece = a + (", " if i < len(args.split(", ")) - 1 else "")
        if len(cur) + len(piece.rstrip()) > 80 and cur.strip() != head.strip():
            lines.append(cur.rstrip())
            cur = "\t" * (len(head) // 8) + " " * (len(head) % 8) + piece
        else:
            cur += piece
    lines.append(cur + ")")
    body = stub_body(ret)
    return "\n".join(lines) + ("\n{\n\treturn %s;\n}\n" % body
                               if body else "\n{\n}\n")


def stub_header(text):
    """Every prototype becomes an inline stub; extern data becomes static."""
    out, pos = [], 0
    for start, end, name, ret, args in split_decls(text):
        out.append(text[pos:start])
        out.append(format_stub(ret, name, args))
        if not text.startswith("\n", end):
            out.append("\n")
        pos = end
    out.append(text[pos:])
    text = "".join(out)
    last = text.rindex("#include ")
    last = text.index("\n", last) + 1
    text = text[:last] + "\n" + STUB_NOTE + text[last:]
    text = re.sub(r"^extern (.*?)(\w+);", r"static \1\2 __maybe_unused;",
                  text, flags=re.M)
    return text


def livepatch_h(text, present):
    """The public header with stubs for call sites not implemented yet."""
    cfg = "#if IS_ENABLED(CONFIG_LIVEPATCH)\n"
    els = "#else /* !CONFIG_LIVEPATCH */\n"
    end = "#endif /* CONFIG_LIVEPATCH */\n"
    i, j, k = text.index(cfg), text.index(els), text.index(end)
    on, off = text[i:j], text[j:k]
    if not any(src in present for src in CONTRACT.values()) and \
            KLP + "core.c" not in present:
        # Nothing of klp yet: only the stubs, whatever the config.
        return (text[:i] + off[len(els):].strip("\n") + "\n" +
                text[k + len(end):])
    noted = False
    for name, src in CONTRACT.items():
        if src in present:
            continue
        decl = re.search(r"^\w+ %s\([^;]*\);\n" % name, on, re.M)
        stub = re.search(r"^static inline \w+ %s\([^)]*\)"
                         r"(?: \{\}\n|\n\{\n(?:\t.*\n)*\}\n)" % name, off,
                         re.M)
        if not decl or not stub:
            die("livepatch.h: cannot stage %s" % name)
        rep = ("" if noted else STUB_NOTE) + stub.group(0)
        if not on.startswith("\n", decl.end()):
            rep += "\n"
        noted = True
        on = on[:decl.start()] + rep + on[decl.end():]
    return text[:i] + on + text[j:]


def livepatch_sched_h(text):
    """Before the engine: only the !CONFIG_LIVEPATCH no-ops."""
    m = re.search(r"#if !defined\(CONFIG_LIVEPATCH\)\n(.*?)#else\n.*?"
                  r"#endif /\* CONFIG_LIVEPATCH \*/\n", text, re.S)
    if not m:
        die("livepatch_sched.h: unexpected layout")
    return text[:m.start()] + m.group(1) + text[m.end():]


def makefile(text, present):
    # Optional objects ("livepatch-$(CONFIG_...) += x.o") come with x.c.
    text = re.sub(r"^livepatch-\$\(CONFIG_\w+\) \+= (\w+)\.o\n",
                  lambda m: m.group(0) if KLP + m.group(1) + ".c" in present
                  else "", text, flags=re.M)
    objs = re.search(r"livepatch-objs := (.*?)\n(?!\t)", text, re.S)
    names = objs.group(1).replace("\\", " ").split()
    have = [o for o in names if KLP + o[:-2] + ".c" in present]
    if have == names:
        return text
    if not have:
        return text[:text.index("obj-$(")].rstrip("\n") + \
            "\n# The implementation is added later in this series.\n"
    lines, cur = [], "livepatch-objs := "
    for o in have:
        if len(cur) + len(o) + 2 > 72:
            lines.append(cur + "\\")
            cur = "\t\t  "
        cur += o + " "
    lines.append(cur.rstrip())
    return text[:objs.start()] + "\n".join(lines) + "\n" + text[objs.end():]


def samples_makefile(text, present):
    if "samples/livepatch/livepatch-sample.c" in present:
        return text
    return text.split("\n")[0] + "\n# The samples are added later in this series.\n"


def unifdef_tool(base, where):
    """The base's scripts/unifdef, built for the host."""
    exe = os.path.join(where, "unifdef")
    src = os.path.join(base, "scripts", "unifdef.c")
    if not os.path.exists(exe) or \
            os.path.getmtime(exe) < os.path.getmtime(src):
        run("gcc", "-O2", "-w", "-o", exe, src)
    return exe


def drop_blocks(text, start, absent):
    """Drop the blocks (from a line matching START % option to the next
    such line of any name, or the end) of the options in ABSENT."""
    out, keep = [], True
    for line in text.splitlines(True):
        m = re.match(start % r"(\w+)", line)
        if m:
            keep = m.group(1) not in absent
        if keep:
            out.append(line)
    return "".join(out)


def without_options(path, text, absent, absent_files, unifdef):
    """PATH's TEXT before the options in ABSENT and the files in
    ABSENT_FILES are added."""
    staged = staged_text(path, text, absent, absent_files, unifdef)
    if staged == text or not staged.strip():
        return staged
    return staged.rstrip("\n") + "\n"


def staged_text(path, text, absent, absent_files, unifdef):
    """without_options(), before the end of the file is tidied."""
    if path.endswith((".c", ".h", ".S")):
        if not any("CONFIG_" + o in text for o in absent):
            return text
        r = subprocess.run([unifdef] + ["-UCONFIG_" + o for o in absent],
                           input=text, capture_output=True, text=True)
        if r.returncode not in (0, 1):
            die("unifdef %s: %s" % (path, r.stderr))
        # A block taken out between two blank lines leaves both.
        return re.sub(r"\n{3,}", "\n\n", r.stdout)
    name = os.path.basename(path)
    if path == KLP + "Kconfig":
        text = drop_blocks(text, r"^config %s\n", absent)
    elif path == KLP + "Makefile":
        text = "".join(l for l in text.splitlines(True) if not any(
            "$(CONFIG_%s)" % o in l for o in absent))
        if KLP + "trace.c" in absent_files:
            text = re.sub(r"\n# trace/define_trace.h.*\nCFLAGS_trace.o.*\n",
                          "", text)
    elif name == "Makefile":
        # ifdef blocks of absent options, with the comment above them.
        for o in absent:
            text = re.sub(r"(?:#.*\n)*ifdef CONFIG_%s\n(?:.*\n)*?endif\n" % o,
                          "", text)
        dirname = os.path.dirname(path)

        def gone(tok):
            stem = os.path.join(dirname, tok)
            return tok.endswith(".o") and stem[:-2] + ".c" in absent_files \
                or tok.endswith(".sh") and stem in absent_files
        lines = []
        for line in text.splitlines(True):
            toks = line.split()
            if any(gone(t) for t in toks):
                kept = [t for t in toks if not gone(t)]
                if kept == ["obj-m", "+="] or kept in ([], ["\\"]):
                    continue
                line = line[:len(line) - len(line.lstrip())] + \
                    " ".join(kept) + "\n"
            lines.append(line)
        text = "".join(lines)
    elif name.endswith(".list"):
        dirname = os.path.dirname(path)
        text = "".join(l for l in text.splitlines(True)
                       if os.path.join(dirname, l.strip()) not in absent_files)
    elif path == "Documentation/livepatch/index.rst":
        text = "".join(l for l in text.splitlines(True) if
                       "Documentation/livepatch/%s.rst" % l.strip()
                       not in absent_files)
    elif path.startswith("Documentation/ABI/"):
        blocks = re.split(r"(?m)^(?=What:)", text)
        text = "".join(b for b in blocks if not any(
            "CONFIG_" + o in b for o in absent))
    return text


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


def read(path):
    with open(path) as f:
        return f.read()


def stage_tree(work, top, present):
    """Write every file that is not final yet in the form it has now."""
    lin = os.path.join(top, "linux")
    for hdr, src in HEADER_SOURCE.items():
        if hdr in present or KLP + "core.c" not in present:
            continue
        text = read(os.path.join(lin, hdr))
        if src not in present:
            text = stub_header(text)
        write(os.path.join(work, hdr), text)
    hdr = "include/linux/livepatch.h"
    if hdr not in present:
        write(os.path.join(work, hdr),
              livepatch_h(read(os.path.join(lin, hdr)), present))
    hdr = "include/linux/livepatch_sched.h"
    if hdr not in present:
        write(os.path.join(work, hdr),
              livepatch_sched_h(read(os.path.join(lin, hdr))))
    mk = KLP + "Makefile"
    write(os.path.join(work, mk), makefile(read(os.path.join(lin, mk)),
                                           present))
    mk = "samples/livepatch/Makefile"
    if mk not in present:
        write(os.path.join(work, mk),
              samples_makefile(read(os.path.join(lin, mk)), present))


def main():
    base, top, out = sys.argv[1:4]
    work = os.path.join(os.path.dirname(os.path.abspath(out)), "series-work")
    lin = os.path.join(top, "linux")
    allfiles = final_files(top)

    # Which step brings which file: the longest pattern that matches it,
    # so that klp-build's tests and document go with klp-build.
    owner = {}
    plen = {}
    for n, (slug, pats, _) in enumerate(STEPS):
        for p in pats:
            hits = [f for f in allfiles if fnmatch.fnmatch(f, p)]
            if not hits:
                die("step %s: nothing matches %s" % (slug, p))
            for f in hits:
                if len(p) > plen.get(f, -1):
                    owner[f] = n
                    plen[f] = len(p)
    missing = [f for f in allfiles if f not in owner and f not in IMPLICIT]
    if missing:
        die("files in no step: " + " ".join(missing))

    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    who = identity(top)
    run("git", "init", "-q", work)
    for p in OWNED:
        src = os.path.join(base, p)
        dst = os.path.join(work, p)
        if os.path.isdir(src):
            shutil.copytree(src, dst, symlinks=True)
        elif os.path.exists(src):
            os.makedirs(os.path.dirname(dst), exist_ok=True)
            shutil.copy2(src, dst)
    run("git", "add", "-A", cwd=work)
    run("git", *who, "commit", "-qm", "base", cwd=work)

    slugs = [step[0] for step in STEPS]
    for o, slug in OPTIONS.items():
        if slug not in slugs:
            die("option %s: no step %s" % (o, slug))
    unifdef = unifdef_tool(base, os.path.dirname(os.path.abspath(out)))
    present = set()
    for n, (slug, _, removals) in enumerate(STEPS):
        for r in removals:
            shutil.rmtree(os.path.join(work, r), ignore_errors=True)
        for f in allfiles:
            if owner.get(f) == n:
                present.add(f)
                dst = os.path.join(work, f)
                os.makedirs(os.path.dirname(dst), exist_ok=True)
                shutil.copy2(os.path.join(lin, f), dst)
        stage_tree(work, top, present)
        # Every file of ours in the tree, as it is before the options and
        # files of the later steps: derived from its final form again at
        # each step, so that it ends as that.
        absent = sorted(o for o, s in OPTIONS.items() if slugs.index(s) > n)
        absent_files = set(allfiles) - present
        for f in allfiles + list(IMPLICIT):
            dst = os.path.join(work, f)
            if not os.path.exists(dst):
                continue
            text = read(os.path.join(lin, f)) if f in present else read(dst)
            staged = without_options(f, text, absent, absent_files, unifdef)
            if staged != read(dst):
                write(dst, staged)
        msg = read(os.path.join(top, "series", slug + ".txt"))
        run("git", "add", "-A", cwd=work)
        subprocess.run(["git", *who, "commit", "-q", "-s", "-F", "-"],
                       cwd=work, input=msg.encode(), check=True)

    # The series must end exactly at our tree.
    r = subprocess.run(["git", "ls-files"], cwd=work, check=True,
                       capture_output=True, text=True)
    ended = sorted(r.stdout.split())
    for f in list(ended):
        if f not in allfiles and f.startswith(KEPT):
            if read(os.path.join(work, f)) != read(os.path.join(base, f)):
                die("%s: a base file changed but is not in linux/" % f)
            ended.remove(f)
    if ended != allfiles:
        die("the last step has files %s, linux/ has %s" %
            (sorted(set(ended) - set(allfiles)),
             sorted(set(allfiles) - set(ended))))
    for f in allfiles:
        if read(os.path.join(work, f)) != read(os.path.join(lin, f)):
            die("after the last step %s differs from linux/" % f)

    shutil.rmtree(out, ignore_errors=True)
    run("git", "format-patch", "-q", "--no-signature", "--numbered",
        "--cover-letter", "-o", os.path.abspath(out), "HEAD~%d" % len(STEPS),
        cwd=work)
    cover_letter(os.path.join(out, "0000-cover-letter.patch"), top)
    # For make series-check: each patch's step and the build options it
    # adds (none for the core).
    with open(os.path.join(out, "steps.tsv"), "w") as f:
        for n, (slug, _, _) in enumerate(STEPS):
            opts = [o for o, s in OPTIONS.items() if s == slug]
            f.write("%d\t%s\t%s\n" % (n + 1, slug, " ".join(opts)))
    print("series: a cover letter and %d patches in %s" % (len(STEPS), out))


def goals_table(top):
    """The goals of the last complete make bench run (bench/goals.tsv)."""
    path = os.path.join(top, "bench", "goals.tsv")
    if not os.path.exists(path):
        return "  (no complete run yet: bench/goals.tsv is missing)\n"
    rows = [["arch", "metric", "ours", "upstream", "ratio", "goal", ""]]
    for line in read(path).splitlines():
        f = line.split("\t")
        if len(f) == 7 and f[0] != "arch":
            rows.append(f)
    width = [max(len(r[i]) for r in rows) for i in range(7)]
    return "".join("  " + "  ".join(c.ljust(w) for c, w in
                                    zip(r, width)).rstrip() + "\n"
                   for r in rows)


def cover_letter(path, top):
    """Fill format-patch's template from series/00-cover.txt."""
    text = read(path)
    msg = read(os.path.join(top, "series", "00-cover.txt"))
    subject, blurb = msg.split("\n", 1)
    run = re.search(r"^One `make bench` run, .*$",
                    read(os.path.join(top, "bench", "RESULTS.md")), re.M)
    goals = (run.group(0).replace("`", "") + "\n\n" if run else "") + \
        goals_table(top).rstrip()
    blurb = blurb.strip("\n").replace("@GOALS@", goals)
    for mark, value in (("*** SUBJECT HERE ***", subject),
                        ("*** BLURB HERE ***", blurb)):
        if mark not in text:
            die("cover letter: no '%s' in git's template" % mark)
        text = text.replace(mark, value)
    write(path, text)


if __name__ == "__main__":
    main()
