/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cli.h - the command line: the whole program but main().
 */
#ifndef OOMTRACE_CLI_H
#define OOMTRACE_CLI_H

#include <stdio.h>

/*
 * Parse argv (as main() gets it), run the command with its output on out
 * (messages on stderr). Returns the exit status: 0 ok, 1 error, 2 usage.
 * main() calls it, and so do the tests.
 */
int oomtrace_run(int argc, char **argv, FILE *out);

#endif
