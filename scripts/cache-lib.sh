# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Shared by the scripts that build a kernel tree once per machine and input,
# cached outside the checkout (debug-kernel.sh, kernel-src.sh,
# uml-kernel.sh): messages, a logged command, the lock of a cache key, the
# check that a config fragment stuck, and the pruning of old trees.
# The caller sets SAY (its name for messages) and log (run's log file).

say() { echo "$SAY: $*" >&2; }
die() {
	say "$*"
	exit 1
}

# run CMD...: logged in $log; the log's tail on failure
run() {
	echo "+ $*" >>"${log:?}"
	if ! "$@" >>"$log" 2>&1; then
		tail -n 30 "$log" >&2
		die "failed: $* (log: $log)"
	fi
}

# cache_lock DIR: hold DIR's lock (fd 9) until exit. Two runs on one machine
# (two worktrees, CI and a developer) share a build: the second waits.
cache_lock() {
	exec 9>"$1.lock"
	if ! flock -n 9; then
		say "waiting for another run on ${1##*/}"
		flock 9
	fi
}

# config_stuck CONFIG FRAG: die unless every setting of the fragment FRAG
# ("CONFIG_X=v" and "# CONFIG_X is not set") is in CONFIG. A line that did
# not stick (unmet dependency, typo, renamed symbol) would give a kernel
# without what we think we build.
config_stuck() {
	local line sym bad=""
	while IFS= read -r line; do
		case $line in
		CONFIG_*=*)
			grep -qxF -- "$line" "$1" ||
				bad="$bad\n  want '$line', have '$(grep -E "^(# )?${line%%=*}[= ]" "$1" || echo unset)'"
			;;
		"# CONFIG_"*" is not set")
			sym=${line#"# "}
			sym=${sym%% *}
			! grep -q "^$sym=" "$1" || bad="$bad\n  want '$line', have '$(grep "^$sym=" "$1")'"
			;;
		esac
	done <"$2"
	[ -z "$bad" ] || die "$(printf 'config fragment did not stick:%b' "$bad")"
}

# cache_prune KEEP: of the "MTIME DIR" lines on stdin (finished trees), keep
# the KEEP newest, remove the others; a tree another run holds the lock of
# is left alone.
cache_prune() {
	local d
	sort -rn | tail -n +$(($1 + 1)) | while read -r _ d; do
		(
			flock -n 8 || exit 0
			say "pruning old tree $d"
			rm -rf "$d"
			rmdir --ignore-fail-on-non-empty "${d%/*}"
		) 8>"$d.lock"
	done
}
