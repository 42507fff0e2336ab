#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Checks the ELF form of a module made by klp-build, without booting:
#
#   check-module.sh MODULE.ko [OBJ:FUNC[,SYMPOS]]... [--klp-sym OBJ.SYM,POS]...
#
# - modinfo says livepatch=Y;
# - every OBJ:FUNC is named in the module's strings (klp_func.old_name);
# - no placeholder symbol (__klp_ph$...) is left;
# - every .klp.sym.* symbol is in SHN_LIVEPATCH and every relocation in a
#   .klp.rela.<obj>.* section uses .klp.sym.<obj>.* symbols only;
# - every .klp.rela section is SHT_RELA with SHF_ALLOC and
#   SHF_RELA_LIVEPATCH (0x00100000), linked to the symbol table;
# - each --klp-sym is present.
# Prints what it found; exits non-zero on the first class of error.

set -u
ko=$1
shift
fail=0
err() { echo "FAIL: $*"; fail=1; }

[ -f "$ko" ] || { echo "usage: $0 MODULE.ko [OBJ:FUNC]... [--klp-sym NAME]..."; exit 2; }
echo "== $ko"

li=$(modinfo -F livepatch "$ko" 2>/dev/null)
[ "$li" = Y ] && echo "ok: modinfo livepatch=Y" || err "modinfo livepatch is '$li'"

symtab=$(readelf -W -s "$ko")
secs=$(readelf -W -S "$ko")
relas=$(readelf -W -r "$ko")

grep -qF '__klp_ph$' <<<"$symtab" && err "placeholder symbols left"

# Symbols: .klp.sym.* must be in section 0xff20 (readelf: LOOS+0 or 65312)
# (readelf prints the index as "OS [0xff20]", two fields)
while read -r line; do
	name=$(awk '{ print $NF }' <<<"$line")
	case "$line" in
	*0xff20*|*LOOS*) echo "ok: symbol $name in SHN_LIVEPATCH" ;;
	*) err "symbol $name is not in SHN_LIVEPATCH: $line" ;;
	esac
done < <(awk '$NF ~ /^\.klp\.sym\./' <<<"$symtab")

symidx=$(awk '$2 == ".symtab" { gsub(/[\[\]]/, "", $1); print $1 }' \
	<<<"$(sed 's/^ *\[ */[/' <<<"$secs")")

# Sections: flags via the raw header, since readelf shows 0x100000 as "o"
while read -r line; do
	name=$(awk '{ print $2 }' <<<"$line")
	type=$(awk '{ print $3 }' <<<"$line")
	flags=$(awk '{ print $8 }' <<<"$line")
	link=$(awk '{ print $9 }' <<<"$line")
	[ "$type" = RELA ] || err "$name is $type"
	case "$flags" in *A*) ;; *) err "$name lacks SHF_ALLOC ($flags)" ;; esac
	case "$flags" in *o*) ;; *) err "$name lacks SHF_RELA_LIVEPATCH ($flags)" ;; esac
	[ "$link" = "$symidx" ] || err "$name sh_link $link, symtab is $symidx"
	echo "ok: section $name ($type, flags $flags, link $link)"
done < <(sed 's/^ *\[ */[/' <<<"$secs" | awk '$2 ~ /^\.klp\.rela\./')

# Relocations in each .klp.rela.<obj>.* name .klp.sym.<obj>.* only
awk '
	/^Relocation section/ { sec = $3; gsub(/\047/, "", sec); next }
	sec ~ /^\.klp\.rela\./ && NF >= 5 && $1 ~ /^[0-9a-f]+$/ {
		split(sec, p, "."); obj = p[4]
		if (index($5, ".klp.sym." obj ".") != 1)
			printf "FAIL: %s: relocation against %s\n", sec, $5
		else
			printf "ok: %s: %s %s\n", sec, $3, $5
	}
	sec !~ /^\.klp\.rela\./ && $5 ~ /^\.klp\.sym\./ {
		printf "FAIL: %s: klp symbol %s in an ordinary relocation section\n", sec, $5
	}' <<<"$relas" | tee /tmp/klp-check.$$ | grep -v '^ok' >/dev/null && fail=1
cat /tmp/klp-check.$$
rm -f /tmp/klp-check.$$

strs=$(strings -a "$ko")
while [ $# -gt 0 ]; do
	case "$1" in
	--klp-sym)
		grep -qxF -- "$2" <<<"$(awk '{ print $NF }' <<<"$symtab")" &&
			echo "ok: klp symbol $2" || err "no klp symbol $2"
		shift 2 ;;
	*:*)
		f=${1#*:}
		f=${f%,*}
		grep -qx -- "$f" <<<"$strs" && echo "ok: klp_func old_name $f" ||
			err "old_name $f not in the module"
		shift ;;
	*) echo "bad argument $1"; exit 2 ;;
	esac
done
[ $fail = 0 ] && echo "PASS: $ko" || echo "FAILED: $ko"
exit $fail
