#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# layers.sh - tools/ calls downward only. The layers are docs/design.md's
# "layers tools" block; scripts/check-layers.sh checks every #include
# against them (run by make test, and by make check for module/ too).
# A copy of tools/ without the repository around it (the Debian source
# package's build runs make test) has neither: the check is the
# repository's, and says it did not run.
check=$(dirname "$0")/../../scripts/check-layers.sh
if [ ! -x "$check" ]; then
	echo "layers.sh: not run: no scripts/check-layers.sh beside tools/ (not a checkout)"
	exit 0
fi
exec "$check" tools
