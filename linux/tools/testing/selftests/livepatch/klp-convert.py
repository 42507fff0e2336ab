#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""klp-convert: turn a built live patch module's placeholder symbols into
klp relocations, rewriting the .ko in place.

    klp-convert.py MODULE.ko...

Why: a live patch often needs symbols it cannot link to, such as static
functions and data of vmlinux or of the module it patches.  The kernel
(kernel/livepatch/reloc.c) resolves those itself, through kallsyms, from
relocations kept in a special form:

  - each such symbol is named ".klp.sym.<object>.<symbol>,<sympos>" and has
    st_shndx SHN_LIVEPATCH (0xff20); <object> is "vmlinux" or a module
    name, <sympos> the symbol's position among the object's symbols of that
    name (counting from 1 in kallsyms order), 0 when the name is unique;
  - the relocations against them live in sections named
    ".klp.rela.<object>.<section>" (e.g. ".klp.rela.vmlinux..text") of type
    SHT_RELA, flagged SHF_RELA_LIVEPATCH (0x00100000) and SHF_ALLOC, with
    sh_info the section they patch and sh_link the symbol table.  SHF_ALLOC
    keeps them in memory after the load, because those against a module are
    applied only when that module loads, and again on every reload.  One
    section holds the relocations of one object only: those against vmlinux
    are applied as the patch module loads.

C cannot spell those names, so the source declares placeholders instead
(test_modules/klp_test_reloc.h has the macro):

    KLP_SYM__<object>__<symbol>__<sympos>

an undefined symbol, declared weak so that modpost does not report it as
missing.  Its relocations go to the sections of <object>.  To test what
the kernel makes of a section that reaches another object's symbols,

    KLP_SYM_IN__<section object>__<object>__<symbol>__<sympos>

puts them in the sections of <section object> instead.  <object> runs to the first "__" after the prefix, <sympos> (decimal
digits) follows the last "__", and <symbol> is everything in between, so
symbols may start or end with underscores or hold "__" themselves; object
names must not hold "__" or end in "_".  Symbols with dots in their names
(foo.constprop.0) cannot be declared from C and are out of reach of this
convention.

For each placeholder this tool renames the symbol, moves it to SHN_LIVEPATCH
(binding global), and moves every relocation against it out of its
".rela<sec>" section into ".klp.rela.<object>.<sec>"; the other relocations
stay where they were, and so do those of sections that are not loaded
(debug information), which the kernel never applies.  Init sections may
refer to vmlinux symbols only: a module's relocations are applied whenever
it loads, when the patch's init sections are long gone.  The tool does not
interpret relocation types, so it serves every ELF64 architecture (x86_64
and ppc64le are the ones tested).

The file is rewritten by appending: the grown string tables, the new
relocation sections and a new section header table go at the end, and the
ELF header points at the new table.  The old copies stay as unused bytes.
A module without placeholders is left untouched, so running the tool twice
is harmless.
"""

import os
import struct
import sys
import tempfile

PLACEHOLDER = "KLP_SYM__"
PLACEHOLDER_IN = "KLP_SYM_IN__"
SHT_SYMTAB, SHT_RELA, SHT_REL = 2, 4, 9
SHF_ALLOC, SHF_INFO_LINK, SHF_RELA_LIVEPATCH = 0x2, 0x40, 0x00100000
SHN_UNDEF, SHN_LORESERVE, SHN_LIVEPATCH = 0, 0xff00, 0xff20
STB_GLOBAL = 1

# ELF64 structures, as struct formats (the byte order is added per file).
EHDR = "16sHHIQQQIHHHHHH"
E_SHOFF, E_SHENTSIZE, E_SHNUM, E_SHSTRNDX = 6, 11, 12, 13
SHDR = "IIQQQQIIQQ"
SYM = "IBBHQQ"
REL = "QQ"
RELA = "QQq"


class ConvertError(Exception):
    pass


def parse_placeholder(name):
    """Split a placeholder into (section object, object, symbol, sympos)."""
    secobj = None
    rest = name[len(PLACEHOLDER):]
    if name.startswith(PLACEHOLDER_IN):
        secobj, sep, rest = name[len(PLACEHOLDER_IN):].partition("__")
        if not (secobj and sep):
            raise ConvertError(f"symbol '{name}' is not of the form "
                               f"{PLACEHOLDER_IN}<section object>__"
                               "<object>__<symbol>__<sympos>")
    obj, sep, rest = rest.partition("__")
    sym, sep2, pos = rest.rpartition("__")
    if not (obj and sep and sym and sep2 and pos.isdigit()):
        raise ConvertError(f"symbol '{name}' is not of the form "
                           f"{PLACEHOLDER}<object>__<symbol>__<sympos>")
    return secobj or obj, obj, sym, int(pos)


class Section:
    """One section header, its fields by their ELF names."""
    FIELDS = ("name", "type", "flags", "addr", "offset", "size", "link",
              "info", "addralign", "entsize")

    def __init__(self, *values):
        for field, value in zip(self.FIELDS, values):
            setattr(self, field, value)

    def values(self):
        return [getattr(self, field) for field in self.FIELDS]


class Elf:
    """The parts of an ELF64 relocatable file this tool reads and writes."""

    def __init__(self, data):
        if data[:4] != b"\x7fELF" or data[4] != 2:
            raise ConvertError("not an ELF64 file")
        self.order = {1: "<", 2: ">"}.get(data[5])
        if not self.order:
            raise ConvertError("unknown ELF byte order")
        self.data = data
        self.ehdr = list(self.unpack(EHDR, 0))
        shoff, shnum = self.ehdr[E_SHOFF], self.ehdr[E_SHNUM]
        shentsize = self.ehdr[E_SHENTSIZE]
        if shentsize != struct.calcsize(SHDR) or shnum == 0:
            raise ConvertError("unexpected section header table")
        self.sections = [Section(*self.unpack(SHDR, shoff + i * shentsize))
                         for i in range(shnum)]

    def unpack(self, fmt, offset):
        return struct.unpack_from(self.order + fmt, self.data, offset)

    def pack(self, fmt, *values):
        return struct.pack(self.order + fmt, *values)

    def entries(self, sec, fmt):
        """The fixed-size entries of a section (symbols, relocations)."""
        size = struct.calcsize(fmt)
        return [self.unpack(fmt, sec.offset + i * size)
                for i in range(sec.size // size)]

    def contents(self, sec):
        return bytes(self.data[sec.offset:sec.offset + sec.size])

    def string(self, strtab, offset):
        start = strtab.offset + offset
        end = self.data.index(b"\0", start, strtab.offset + strtab.size)
        return self.data[start:end].decode()

    def section_name(self, sec):
        return self.string(self.sections[self.ehdr[E_SHSTRNDX]], sec.name)

    def append(self, blob, align=8):
        """Adds blob at the end of the file; returns its offset."""
        self.data.extend(b"\0" * (-len(self.data) % align))
        offset = len(self.data)
        self.data.extend(blob)
        return offset


class StringTable:
    """A string table that grows: new names go at its end."""

    def __init__(self, contents):
        self.contents = bytearray(contents)
        self.grown = False

    def add(self, name):
        offset = len(self.contents)
        self.contents += name.encode() + b"\0"
        self.grown = True
        return offset


def convert_symbols(elf, symndx, strtabs):
    """Renames the placeholders; returns {symbol index: the object whose
    relocation sections take its relocations}."""
    symtab = elf.sections[symndx]
    strndx = symtab.link
    symsize = struct.calcsize(SYM)
    klp_syms = {}
    for i, sym in enumerate(elf.entries(symtab, SYM)):
        st_name, st_info, st_other, st_shndx, _, st_size = sym
        name = elf.string(elf.sections[strndx], st_name)
        if not name.startswith((PLACEHOLDER, PLACEHOLDER_IN)):
            continue
        if st_shndx != SHN_UNDEF:
            raise ConvertError(f"'{name}' is defined here; a placeholder "
                               "must stay undefined (declare it extern)")
        secobj, obj, sym_name, pos = parse_placeholder(name)
        if strndx not in strtabs:
            strtabs[strndx] = StringTable(elf.contents(elf.sections[strndx]))
        st_name = strtabs[strndx].add(f".klp.sym.{obj}.{sym_name},{pos}")
        st_info = (STB_GLOBAL << 4) | (st_info & 0xf)
        offset = symtab.offset + i * symsize
        elf.data[offset:offset + symsize] = elf.pack(
            SYM, st_name, st_info, st_other, SHN_LIVEPATCH, 0, st_size)
        klp_syms[i] = secobj
    return klp_syms


def split_relocations(elf, symndx, klp_syms):
    """Takes the relocations against placeholders out of their sections;
    returns [(new section name, target section index, entries)]."""
    new_secs = []
    for sec in elf.sections:
        if sec.link != symndx or sec.type not in (SHT_REL, SHT_RELA):
            continue
        if sec.type == SHT_REL:
            if any(r_info >> 32 in klp_syms
                   for _, r_info in elf.entries(sec, REL)):
                raise ConvertError(f"{elf.section_name(sec)}: SHT_REL "
                                   "relocations are not supported")
            continue
        # Relocations of sections that are not loaded (debug information)
        # are never applied: they can stay.
        target = elf.sections[sec.info]
        if not target.flags & SHF_ALLOC:
            continue
        keep, by_obj = [], {}
        for entry in elf.entries(sec, RELA):
            obj = klp_syms.get(entry[1] >> 32)
            if obj is None:
                keep.append(entry)
            else:
                by_obj.setdefault(obj, []).append(entry)
        if not by_obj:
            continue
        # The kept entries are rewritten where they were; the section shrinks.
        kept = b"".join(elf.pack(RELA, *entry) for entry in keep)
        elf.data[sec.offset:sec.offset + len(kept)] = kept
        sec.size = len(kept)
        target_name = elf.section_name(target)
        for obj, entries in sorted(by_obj.items()):
            # A module's relocations are applied whenever it loads, long
            # after the patch module's init sections are freed.
            if obj != "vmlinux" and target_name.startswith(".init"):
                raise ConvertError(f"{target_name} refers to {obj} symbols:"
                                   " init code can reach only vmlinux ones")
            new_secs.append((f".klp.rela.{obj}.{target_name}", sec.info,
                             entries))
    return new_secs


def convert(path):
    """Converts one module in place; returns a summary, or None if it has
    no placeholders."""
    with open(path, "rb") as f:
        elf = Elf(bytearray(f.read()))

    symtabs = [i for i, sec in enumerate(elf.sections)
               if sec.type == SHT_SYMTAB]
    if len(symtabs) != 1:
        raise ConvertError("expected exactly one symbol table")
    symndx = symtabs[0]
    strtabs = {}		# section index -> StringTable, as they grow
    klp_syms = convert_symbols(elf, symndx, strtabs)
    if not klp_syms:
        return None
    new_secs = split_relocations(elf, symndx, klp_syms)

    # Append the new sections, the grown string tables and a new section
    # header table.
    shstrndx = elf.ehdr[E_SHSTRNDX]
    if shstrndx not in strtabs:
        strtabs[shstrndx] = StringTable(elf.contents(elf.sections[shstrndx]))
    for name, target, entries in new_secs:
        blob = b"".join(elf.pack(RELA, *entry) for entry in entries)
        elf.sections.append(Section(
            strtabs[shstrndx].add(name), SHT_RELA,
            SHF_ALLOC | SHF_INFO_LINK | SHF_RELA_LIVEPATCH, 0,
            elf.append(blob), len(blob), symndx, target, 8,
            struct.calcsize(RELA)))
    for index, strtab in strtabs.items():
        if strtab.grown:
            elf.sections[index].offset = elf.append(bytes(strtab.contents), 1)
            elf.sections[index].size = len(strtab.contents)
    if len(elf.sections) >= SHN_LORESERVE:
        raise ConvertError("too many sections")
    elf.ehdr[E_SHOFF] = elf.append(b"".join(
        elf.pack(SHDR, *sec.values()) for sec in elf.sections))
    elf.ehdr[E_SHNUM] = len(elf.sections)
    elf.data[0:struct.calcsize(EHDR)] = elf.pack(EHDR, *elf.ehdr)

    # Replace the file whole, so that a failure cannot leave half a module.
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(os.path.abspath(path)))
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(elf.data)
        os.chmod(tmp, os.stat(path).st_mode & 0o7777)
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise
    moved = sum(len(entries) for _, _, entries in new_secs)
    names = ", ".join(name for name, _, _ in new_secs) or "no section"
    return f"{len(klp_syms)} symbols, {moved} relocations, in {names}"


def main(argv):
    if len(argv) < 2 or argv[1].startswith("-"):
        print("usage: klp-convert.py MODULE.ko...", file=sys.stderr)
        return 2
    status = 0
    for path in argv[1:]:
        try:
            summary = convert(path)
        except (ConvertError, OSError, ValueError, struct.error) as e:
            print(f"klp-convert: {path}: {e}", file=sys.stderr)
            status = 1
            continue
        if summary:
            print(f"klp-convert: {path}: {summary}")
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv))
