// SPDX-License-Identifier: GPL-2.0
/*
 * cli.c - command line: options (getopt_long), per-command help, dispatch.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "banner.h"
#include "cli.h"
#include "cmd.h"

/* From ../VERSION, by tools/Makefile: the one place the version is written. */
#ifndef OOMTRACE_VERSION
#error "OOMTRACE_VERSION is not defined: build with tools/Makefile, which reads ../VERSION"
#endif

static const char usage_main[] =
	"usage: oomtrace [OPTIONS] COMMAND [ARGS]\n"
	"\n"
	"Read the oomtrace kernel module's memory accounting (/proc/oomtrace).\n"
	"\n"
	"Commands:\n"
	"  slabs       slab caches: live objects and bytes, top owning module\n"
	"  modules     memory owned by each kernel module (slab, pages, vmalloc)\n"
	"  callsites   allocating call sites\n"
	"  events      the OOM events with the growth between them\n"
	"  status      the module's status (mode, table use, drops)\n"
	"  top         live refreshing view of the growth per module and cache\n"
	"  snapshot    save every file to a directory (-o DIR)\n"
	"  diff        compare a baseline snapshot with a later one or the live system\n"
	"  report      one page for a bug report, with the likely culprit\n"
	"  help [CMD]  help on a command\n"
	"\n"
	"Options:\n"
	"  -f, --from DIR      read a snapshot directory instead of /proc\n"
	"      --dmesg FILE    report: read the dump in a kernel log (- for stdin)\n"
	"  -b, --bytes         raw byte counts instead of KiB/MiB/GiB\n"
	"  -n N                show the top N rows (top: N refreshes)\n"
	"  -s, --sort COLUMN   sort by a column (numbers largest first)\n"
	"  -m, --module NAME   only rows of that module\n"
	"  -j, --json          one JSON document\n"
	"  -p, --prom          Prometheus text exposition (textfile collector)\n"
	"  -h, --help          help (after a command: that command's help)\n"
	"  -V, --version       print the version\n"
	"\n"
	"When some numbers are not exact (allocations dropped, estimated, frees lost),\n"
	"every output says so: a 'partial:' line, a \"partial\" JSON object, the\n"
	"oomtrace_partial metrics. See oomtrace(8), PARTIAL NUMBERS.\n"
	"\n"
	"Environment: OOMTRACE_PROC replaces /proc, OOMTRACE_SYS /sys (tests).\n"
	"Exit status: 0 ok, 1 error, 2 usage. See oomtrace(8).\n";

struct cmdinfo {
	const char *name;
	int (*fn)(const struct opts *, FILE *);
	int min_args, max_args;
	int formats;	/* accepts --json/--prom */
	const char *help;
};

static const struct cmdinfo cmds[] = {
	{ "slabs", cmd_slabs, 0, 0, 1,
	  "usage: oomtrace slabs [--from DIR] [--bytes] [-n N] [--sort COLUMN]\n"
	  "                      [--module NAME] [--json|--prom]\n"
	  "\n"
	  "Slab caches by live bytes: cache objsize allocs frees live live_bytes\n"
	  "peak_bytes top_module. With --module NAME, the module's objects and bytes\n"
	  "in each cache (module_slabs), like crash's 'kmem -S'.\n" },
	{ "modules", cmd_modules, 0, 0, 1,
	  "usage: oomtrace modules [--from DIR] [--bytes] [-n N] [--sort COLUMN]\n"
	  "                        [--module NAME] [--json|--prom]\n"
	  "\n"
	  "Memory owned by each module: module state allocs frees live live_bytes\n"
	  "slab_bytes page_bytes peak_bytes, and vmalloc_bytes folded from\n"
	  "/proc/vmallocinfo: the pages of the vmalloc areas the module allocated\n"
	  "(pages=, without the guard page; '-' when the file is not readable).\n"
	  "state 'gone' with live bytes is memory an unloaded module leaked.\n" },
	{ "callsites", cmd_callsites, 0, 0, 1,
	  "usage: oomtrace callsites [--from DIR] [--bytes] [-n N] [--sort COLUMN]\n"
	  "                          [--module NAME] [--json|--prom]\n"
	  "\n"
	  "Allocating call sites: callsite module allocs frees live live_bytes.\n" },
	{ "events", cmd_events, 0, 0, 1,
	  "usage: oomtrace events [--from DIR] [--bytes] [-n N] [--sort COLUMN]\n"
	  "                       [--module NAME] [--json|--prom]\n"
	  "\n"
	  "The OOM events: one line per event (free memory, slab, tracked bytes, top\n"
	  "grower), then each event's modules and caches with their growth since the\n"
	  "previous event. -n N: N entries per event; --sort delta_bytes (default),\n"
	  "live_bytes or name.\n" },
	{ "status", cmd_status, 0, 0, 1,
	  "usage: oomtrace status [--from DIR] [--bytes] [--json|--prom]\n"
	  "\n"
	  "The module's status: version, format, mode, tracked objects and table\n"
	  "capacity, dropped allocations, ... Then coverage_ lines: how much of the\n"
	  "box's unreclaimable slab (SUnreclaim), slab and kernel pages\n"
	  "(/proc/meminfo) oomtrace's live bytes explain.\n" },
	{ "top", cmd_top, 0, 0, 0,
	  "usage: oomtrace top [--from DIR] [-d SECONDS] [-n ITERATIONS] [--rows N]\n"
	  "                    [--sort COLUMN] [--bytes]\n"
	  "\n"
	  "A refreshing view like slabtop: modules and caches with their live bytes\n"
	  "and the growth over the last interval. -d: interval (default 2 s);\n"
	  "-n: stop after that many refreshes; --rows: rows per table; --sort\n"
	  "live_bytes (default), growth, live or name. Press q to quit. When the\n"
	  "output is not a terminal, prints plain successive tables.\n" },
	{ "snapshot", cmd_snapshot, 0, 1, 0,
	  "usage: oomtrace snapshot -o DIR\n"
	  "\n"
	  "Saves every /proc/oomtrace file (status slabs modules callsites\n"
	  "module_slabs events) and /proc/meminfo, /proc/slabinfo,\n"
	  "/proc/vmallocinfo, /proc/zoneinfo in DIR (created if needed), with\n"
	  "'slab_reclaim' (which caches are reclaimable, from /sys/kernel/slab)\n"
	  "and 'timestamp' files.\n"
	  "Every command reads such a directory with --from DIR.\n" },
	{ "diff", cmd_diff, 1, 2, 1,
	  "usage: oomtrace diff [--bytes] [-n N] [--sort COLUMN] [--json|--prom] BASE [NEW]\n"
	  "\n"
	  "Compares the baseline snapshot BASE (the healthy system) with the snapshot\n"
	  "NEW, or the live system (or --from DIR) when NEW is not given: growth of\n"
	  "live bytes and objects per module and per cache, largest first, and a\n"
	  "verdict line naming the top grower. When that is [kernel], a line before\n"
	  "the verdict names the caches and call sites it grew in. --sort growth\n"
	  "(default), live_bytes, objects or name.\n" },
	{ "report", cmd_report, 0, 0, 1,
	  "usage: oomtrace report [--from DIR] [--bytes] [-n N] [--json|--prom]\n"
	  "       oomtrace report --dmesg FILE [--bytes] [-n N] [--json]\n"
	  "\n"
	  "One page for a bug report: memory summary (like crash's 'kmem -i'), the\n"
	  "coverage (how much of SUnreclaim, slab and kernel pages oomtrace\n"
	  "explains), top modules, caches, /proc/slabinfo's caches with oomtrace's\n"
	  "share (like 'kmem -s') and call sites (-n, default 10), the OOM timeline with\n"
	  "growth, leaks left behind by unloaded modules, and the likely culprit with\n"
	  "the evidence: a module, or [kernel] (with its caches and call sites) when\n"
	  "the core kernel grew or holds more than every module.\n"
	  "\n"
	  "--dmesg FILE: the same from the last complete dump the module wrote into\n"
	  "the kernel log before the box went down, on any machine, as any user.\n"
	  "FILE (- for standard input): dmesg, journalctl -k, a serial console\n"
	  "capture, makedumpfile --dump-dmesg or crash's log output.\n" },
};

#define NCMDS (sizeof(cmds) / sizeof(cmds[0]))

static const struct cmdinfo *find_cmd(const char *name)
{
	size_t i;

	for (i = 0; i < NCMDS; i++)
		if (!strcmp(cmds[i].name, name))
			return &cmds[i];
	return NULL;
}

static int usage_error(const char *msg, const char *arg)
{
	fprintf(stderr, "oomtrace: %s%s%s\n", msg, arg ? ": " : "", arg ? arg : "");
	fprintf(stderr, "Try 'oomtrace --help'.\n");
	return EX_USAGE;
}

/* Long options without a short one. */
enum { OPT_DMESG = 256 };

static int parse_long(const char *s, long *out)
{
	char *end;
	long v;

	if (!s || !*s)
		return -1;
	v = strtol(s, &end, 10);
	if (*end || v <= 0)
		return -1;
	*out = v;
	return 0;
}

/* -d SECONDS: 0.1 to 86400. */
static int parse_interval(const char *s, double *out)
{
	char *end;

	*out = strtod(s, &end);
	return *end || end == s || !(*out >= 0.1 && *out <= 86400) ? -1 : 0;
}

/* One option into o. Returns -1 to go on, else the exit code (-V, a usage error). */
static int option(int c, struct opts *o, int *help, char **argv, FILE *out)
{
	switch (c) {
	case 'f':
		o->from = optarg;
		break;
	case OPT_DMESG:
		if (!*optarg)
			return usage_error("--dmesg needs a file (- for standard input)", NULL);
		o->dmesg = optarg;
		break;
	case 'b':
		o->bytes = 1;
		break;
	case 'n':
		if (parse_long(optarg, &o->limit))
			return usage_error("-n needs a positive number", optarg);
		break;
	case 's':
		o->sort = optarg;
		break;
	case 'm':
		o->module = optarg;
		break;
	case 'j':
		o->json = 1;
		break;
	case 'p':
		o->prom = 1;
		break;
	case 'd':
		if (parse_interval(optarg, &o->interval))
			return usage_error("-d needs a number of seconds (0.1 to 86400)", optarg);
		break;
	case 'r':
		if (parse_long(optarg, &o->rows))
			return usage_error("--rows needs a positive number", optarg);
		break;
	case 'o':
		o->outdir = optarg;
		break;
	case 'h':
		*help = 1;
		break;
	case 'V':
		fprintf(out, "oomtrace %s (file format %d)\n", OOMTRACE_VERSION, OT_FORMAT);
		return EX_OK;
	case ':':
		return usage_error("option needs an argument", argv[optind - 1]);
	default:
		return usage_error("unknown option", argv[optind - 1]);
	}
	return -1;
}

/* The options before and after the command. -1 to go on, else the exit code. */
static int parse_options(int argc, char **argv, FILE *out, struct opts *o, int *help)
{
	static const struct option lopts[] = {
		{ "from", required_argument, NULL, 'f' },
		{ "dmesg", required_argument, NULL, OPT_DMESG },
		{ "bytes", no_argument, NULL, 'b' },
		{ "sort", required_argument, NULL, 's' },
		{ "module", required_argument, NULL, 'm' },
		{ "json", no_argument, NULL, 'j' },
		{ "prom", no_argument, NULL, 'p' },
		{ "delay", required_argument, NULL, 'd' },
		{ "interval", required_argument, NULL, 'd' },
		{ "rows", required_argument, NULL, 'r' },
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	int c, r;

	memset(o, 0, sizeof(*o));
	o->interval = 2.0;
	optind = 0;	/* full re-initialisation (glibc and musl) */
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":f:bn:s:m:jpd:r:o:hV", lopts, NULL)) != -1)
		if ((r = option(c, o, help, argv, out)) >= 0)
			return r;
	return -1;
}

/* oomtrace help [COMMAND] */
static int help_command(const struct opts *o, FILE *out)
{
	const struct cmdinfo *ci;

	if (!o->nargs) {
		fputs(usage_main, out);
		return EX_OK;
	}
	ci = find_cmd(o->args[0]);
	if (!ci)
		return usage_error("unknown command", o->args[0]);
	fputs(ci->help, out);
	return EX_OK;
}

/* The operands and the options the command takes. -1 to go on, else EX_USAGE. */
static int check_usage(const struct cmdinfo *ci, struct opts *o)
{
	if (o->nargs < ci->min_args || o->nargs > ci->max_args) {
		fputs(ci->help, stderr);
		return EX_USAGE;
	}
	if (o->json && o->prom)
		return usage_error("--json and --prom exclude each other", NULL);
	if ((o->json || o->prom) && !ci->formats)
		return usage_error("--json/--prom do not apply to", ci->name);
	if (strcmp(ci->name, "snapshot"))
		return o->outdir ? usage_error("-o applies to snapshot only", NULL) : -1;
	if (o->nargs && o->outdir)
		return usage_error("snapshot takes one directory", NULL);
	if (o->nargs)
		o->outdir = o->args[0];
	if (!o->outdir) {
		fputs(ci->help, stderr);
		return EX_USAGE;
	}
	return -1;
}

/* --dmesg: report only, instead of --from, without --prom. -1 to go on, else EX_USAGE. */
static int check_dmesg(const struct cmdinfo *ci, const struct opts *o)
{
	if (!o->dmesg)
		return -1;
	if (strcmp(ci->name, "report"))
		return usage_error("--dmesg applies to report only", NULL);
	if (o->from)
		return usage_error("--dmesg and --from exclude each other", NULL);
	if (o->prom)
		return usage_error("--dmesg and --prom exclude each other", NULL);
	return -1;
}

int oomtrace_run(int argc, char **argv, FILE *out)
{
	struct opts o;
	const struct cmdinfo *ci;
	int help = 0, r;

	r = parse_options(argc, argv, out, &o, &help);
	if (r >= 0)
		return r;
	if (optind >= argc) {
		fputs(usage_main, help ? out : stderr);
		return help ? EX_OK : EX_USAGE;
	}
	o.cmd = argv[optind++];
	o.args = argv + optind;
	o.nargs = argc - optind;
	if (!strcmp(o.cmd, "help"))
		return help_command(&o, out);
	ci = find_cmd(o.cmd);
	if (!ci)
		return usage_error("unknown command", o.cmd);
	if (help) {
		fputs(ci->help, out);
		return EX_OK;
	}
	r = check_usage(ci, &o);
	if (r < 0)
		r = check_dmesg(ci, &o);
	return r >= 0 ? r : ci->fn(&o, out);
}
