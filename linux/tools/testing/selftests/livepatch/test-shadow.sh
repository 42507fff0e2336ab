#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Shadow variable lifetime and concurrency, checked by klp_test_shadow's
# init (see test_modules/klp_test_shadow.c): it loads only if all pass.
. "$(dirname "$0")/klp-lib.sh"

test_start "shadow variables: lifetime, constructors, destructors, races"
mark
insmod test_modules/klp_test_shadow.ko ||
	fail "shadow checks failed: $(log_since klp_test_shadow | tail -n 3)"
log_since klp_test_shadow | sed 's/^/  /'
remove_module klp_test_shadow
exit 0
