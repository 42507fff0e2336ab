#!/usr/bin/env bash
# Configure and build one kernel: ARCH=x86_64|ppc64le, FLAVOR=ours|upstream.
# The config is tinyconfig plus the fragments in harness/config, merged with
# the kernel's own merge_config.sh; it is regenerated only when a fragment
# changes, so a warm build recompiles only what changed.
. "$(dirname "$0")/common.sh"

[ -n "${KLP_NO_OVERLAY:-}" ] || "$KLP_TOP/harness/base.sh" >/dev/null
frags=("$KLP_TOP/harness/config/common.config" "$KLP_TOP/harness/config/$ARCH.config")
# KCONFIG_VARIANT=a+b: the fragments a.config and b.config, in that order.
for v in ${KCONFIG_VARIANT:+${KCONFIG_VARIANT//+/ }}; do frags+=("$KLP_TOP/harness/config/$v.config"); done
# KCONFIG_EXTRA="FILE...": fragments from elsewhere, last (make series-check
# turns one option off with a fragment it writes).
for f in ${KCONFIG_EXTRA:-}; do frags+=("$f"); done
mkdir -p "$OBJ" "$LOGS"
stamp=$(cat "${frags[@]}" | sha256sum | cut -c1-16)

if [ "$(cat "$OBJ/.klp-config-stamp" 2>/dev/null)" != "$stamp" ] || [ ! -f "$OBJ/.config" ]; then
	say "configuring $FLAVOR kernel for $ARCH"
	kmake tinyconfig >/dev/null
	(cd "$OBJ" && ARCH=$KARCH CROSS_COMPILE=$CROSS \
		"$SRC/scripts/kconfig/merge_config.sh" -m -O "$OBJ" .config "${frags[@]}" >/dev/null)
	kmake olddefconfig >/dev/null
	# merge_config.sh only warns; a fragment line that did not stick
	# (a missing dependency) would silently test the wrong kernel.  A
	# later fragment overrides an earlier one: the last line of each
	# symbol counts.
	bad=0
	while IFS= read -r line; do
		case "$line" in
		CONFIG_*=n)	# off: absent or "is not set" both count
			! grep -q "^${line%=n}=" "$OBJ/.config" && continue ;;
		CONFIG_*)	grep -qxF "$line" "$OBJ/.config" && continue ;;
		*)		continue ;;
		esac
		echo "config: '$line' did not apply" >&2
		bad=1
	done < <(cat "${frags[@]}" | grep '^CONFIG_' | tac | awk -F= '!seen[$1]++' | tac)
	[ $bad = 0 ] || die "the kernel config for $ARCH does not hold the fragments"
	echo "$stamp" > "$OBJ/.klp-config-stamp"
fi

say "building $FLAVOR kernel for $ARCH in ${OBJ#"$KLP_TOP"/}"
start=$(date +%s)
if ! kmake all > "$LOGS/kernel-build-${KLP_BUILD_NAME:-$FLAVOR}.log" 2>&1; then
	grep -E 'error|Error' "$LOGS/kernel-build-${KLP_BUILD_NAME:-$FLAVOR}.log" | head -30 >&2
	die "kernel build failed; full log: $LOGS/kernel-build-${KLP_BUILD_NAME:-$FLAVOR}.log"
fi
grep -E 'warning:' "$LOGS/kernel-build-${KLP_BUILD_NAME:-$FLAVOR}.log" | grep -E 'livepatch' >&2 || true
echo "kernel: $(cat "$OBJ/include/config/kernel.release") built in $(( $(date +%s) - start )) s ($ARCH, $FLAVOR, config $stamp)"
