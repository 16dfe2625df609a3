// SPDX-License-Identifier: GPL-2.0
/*
 * oomtrace.c - main(): see cli.c for the command line, oomtrace(8) for use.
 */
#include <stdio.h>

#include "cli.h"
#include "cmd.h"

int main(int argc, char **argv)
{
	int r = oomtrace_run(argc, argv, stdout);

	if (fflush(stdout) || ferror(stdout)) {
		perror("oomtrace: write error");
		return EX_ERR;
	}
	return r;
}
