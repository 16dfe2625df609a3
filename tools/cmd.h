/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cmd.h - the commands: the options they get from the command line, their
 * exit codes, and loading the source the options name. Each command only
 * loads, calls the logic and hands the result to a renderer.
 */
#ifndef OOMTRACE_CMD_H
#define OOMTRACE_CMD_H

#include <stdio.h>

#include "snap.h"

/* Exit codes */
#define EX_OK 0
#define EX_ERR 1
#define EX_USAGE 2

struct opts {
	const char *cmd;
	const char *from;	/* --from DIR */
	const char *dmesg;	/* --dmesg FILE (report) */
	int bytes;		/* --bytes */
	int json, prom;		/* --json, --prom */
	long limit;		/* -n: rows (listings) or iterations (top); 0: unset */
	const char *sort;	/* --sort COLUMN */
	const char *module;	/* --module NAME */
	double interval;	/* -d SECONDS (top) */
	long rows;		/* --rows N (top) */
	const char *outdir;	/* -o DIR (snapshot) */
	char **args;		/* operands after the command */
	int nargs;
};

/* The source the options name: --from DIR, else the live system. */
void opts_source(const struct opts *o, struct source *src);
/* Load from --from DIR or the live /proc; prints the error. EX_OK or EX_ERR. */
int load_snap(const struct opts *o, struct snap *s, unsigned what);
/* Load the last complete dump of the kernel log --dmesg names; prints the error. */
int load_dump(const struct opts *o, struct snap *s);

int cmd_slabs(const struct opts *o, FILE *out);
int cmd_modules(const struct opts *o, FILE *out);
int cmd_callsites(const struct opts *o, FILE *out);
int cmd_events(const struct opts *o, FILE *out);
int cmd_status(const struct opts *o, FILE *out);
int cmd_top(const struct opts *o, FILE *out);
int cmd_snapshot(const struct opts *o, FILE *out);
int cmd_diff(const struct opts *o, FILE *out);
int cmd_report(const struct opts *o, FILE *out);

#endif
