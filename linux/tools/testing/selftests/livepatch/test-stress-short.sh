#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The short stress run of make check: 5 cycles of stress-syscall.sh.  The
# full run is "make stress" (harness/stress.sh, 1000 cycles by default).
exec bash "$(dirname "$0")/stress-syscall.sh" 5
