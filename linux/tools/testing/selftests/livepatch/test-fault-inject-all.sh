#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Both fault-injection sweeps: a vmlinux patch, and a registered patch with
# a module object (longer; make check runs only the first).
FI_ALL=1 exec bash "$(dirname "$0")/test-fault-inject.sh"
