// SPDX-License-Identifier: GPL-2.0
/*
 * test_cli.c - the commands end to end (in-process, through oomtrace_run)
 * on fixture snapshots: every listing in every output format, errors and
 * exit codes, diff, report, snapshot, top; report --dmesg on the kernel
 * logs of fixtures/dmesg/.
 */
#include <dirent.h>
#include <sys/stat.h>

#include "helpers.h"

static const char *const good_dirs[] = { FIX "healthy", FIX "leaking", FIX "oom", FIX "odd",
	FIX "minimal", FIX "emptytables", FIX "junkrows", FIX "truncated", FIX "dups", FIX "real",
	FIX "lab", FIX "partial", FIX "sampled" };
static const char *const listings[] = { "slabs", "modules", "callsites", "status", "events",
	"report" };

#define N(a) (sizeof(a) / sizeof((a)[0]))

static int has_events(const char *dir)
{
	char p[256];

	snprintf(p, sizeof(p), "%s/events", dir);
	return access(p, F_OK) == 0;
}

static void test_text_all(void **state)
{
	size_t d, c;

	(void)state;
	for (d = 0; d < N(good_dirs); d++)
		for (c = 0; c < N(listings); c++) {
			struct run r = run_cli(listings[c], "--from", good_dirs[d], NULL);
			int want = !strcmp(listings[c], "events") && !has_events(good_dirs[d]);

			if (r.rc != want)
				fail_msg("%s --from %s: rc %d, stderr: %s", listings[c], good_dirs[d],
					 r.rc, r.err);
			if (!want)
				assert_true(r.outlen > 0);
			run_free(&r);
		}
}

static void test_json_all(void **state)
{
	size_t d, c;
	struct batch b;

	(void)state;
	batch_init(&b);
	for (d = 0; d < N(good_dirs); d++)
		for (c = 0; c < N(listings); c++) {
			struct run r = run_cli(listings[c], "--from", good_dirs[d], "--json", NULL);

			if (!strcmp(listings[c], "events") && !has_events(good_dirs[d])) {
				assert_int_equal(r.rc, 1);
				run_free(&r);
				continue;
			}
			if (r.rc)
				fail_msg("%s --json --from %s: rc %d: %s", listings[c], good_dirs[d],
					 r.rc, r.err);
			batch_add(&b, r.out, r.outlen);
			run_free(&r);
		}
	batch_check(&b, 1);
}

static void test_prom_all(void **state)
{
	size_t d, c;
	struct batch b;

	(void)state;
	batch_init(&b);
	for (d = 0; d < N(good_dirs); d++)
		for (c = 0; c < N(listings); c++) {
			struct run r = run_cli(listings[c], "--from", good_dirs[d], "--prom", NULL);

			if (!strcmp(listings[c], "events") && !has_events(good_dirs[d])) {
				run_free(&r);
				continue;
			}
			assert_int_equal(r.rc, 0);
			if (prom_check(r.out, r.outlen))
				fail_msg("%s --prom --from %s: %s", listings[c], good_dirs[d],
					 prom_check(r.out, r.outlen));
			batch_add(&b, r.out, r.outlen);
			run_free(&r);
		}
	batch_check(&b, 0);
}

static void test_json_content(void **state)
{
	struct run r = run_cli("modules", "--from", FIX "odd", "--json", NULL);

	(void)state;
	assert_int_equal(r.rc, 0);
	assert_non_null(strstr(r.out, "\"module\":\"m\\\"od\""));
	assert_non_null(strstr(r.out, "\"module\":\"back\\\\slash\""));
	assert_non_null(strstr(r.out, "\"module\":\"ctl\\u0001\\u001b[31m\""));
	assert_non_null(strstr(r.out, "\"vmalloc_bytes\":16384"));
	assert_non_null(strstr(r.out, "\"mode\":\"sampled\""));
	run_free(&r);
	/* absent vmallocinfo: null, not a made-up 0 */
	r = run_cli("modules", "--from", FIX "minimal", "--json", NULL);
	assert_non_null(strstr(r.out, "\"vmalloc_bytes\":null"));
	run_free(&r);
	r = run_cli("status", "--from", FIX "healthy", "--json", NULL);
	assert_non_null(strstr(r.out, "\"capacity\":1048576"));
	assert_non_null(strstr(r.out, "\"kernel\":\"6.1.0-28-amd64\""));
	run_free(&r);
}

static void test_prom_content(void **state)
{
	struct run r = run_cli("modules", "--from", FIX "leaking", "--prom", NULL);

	(void)state;
	assert_non_null(strstr(r.out, "# TYPE oomtrace_module_live_bytes gauge\n"));
	assert_non_null(strstr(r.out, "oomtrace_module_live_bytes{module=\"leaker\"} 102410240\n"));
	assert_non_null(strstr(r.out, "# TYPE oomtrace_module_allocs_total counter\n"));
	assert_non_null(strstr(r.out, "oomtrace_module_vmalloc_bytes{module=\"drbd\"} 32768\n"));
	run_free(&r);
	r = run_cli("slabs", "--from", FIX "odd", "--prom", NULL);
	assert_non_null(strstr(r.out, "oomtrace_cache_live_objects{cache=\"my\\\"cache\\\\x\"} 10\n"));
	run_free(&r);
	r = run_cli("status", "--from", FIX "healthy", "--prom", NULL);
	assert_non_null(strstr(r.out, "oomtrace_tracked_objects 5120\n"));
	assert_non_null(strstr(r.out, "oomtrace_dropped_total 0\n"));
	run_free(&r);
	r = run_cli("events", "--from", FIX "oom", "--prom", NULL);
	assert_non_null(strstr(r.out, "oomtrace_oom_events_total 2\n"));
	assert_non_null(strstr(r.out, "oomtrace_oom_events_recorded{kind=\"global\"} 1\n"));
	run_free(&r);
	r = run_cli("events", "--from", FIX "real", "--prom", NULL);
	assert_non_null(strstr(r.out, "oomtrace_oom_events_total 5\n"));
	assert_non_null(strstr(r.out, "oomtrace_oom_events_dropped_total 2\n"));
	assert_non_null(strstr(r.out, "oomtrace_oom_events_recorded{kind=\"victim\"} 2\n"));
	run_free(&r);
	/* no events file: the totals come from status when it has them */
	r = run_cli("report", "--from", FIX "healthy", "--prom", NULL);
	assert_null(strstr(r.out, "oomtrace_oom_events_total"));
	run_free(&r);
	r = run_cli("status", "--from", FIX "real", "--prom", NULL);
	assert_non_null(strstr(r.out, "oomtrace_lost_frees_total 3\n"));
	run_free(&r);
	r = run_cli("callsites", "--from", FIX "oom", "--prom", NULL);
	assert_non_null(strstr(r.out,
		"oomtrace_callsite_live_bytes{callsite=\"leaker_grow+0x2f/0x90\",module=\"leaker\"} 204800000\n"));
	run_free(&r);
}

static void test_errors(void **state)
{
	static const struct {
		const char *dir, *msg;
	} cases[] = {
		{ FIX "badformat", "unsupported format '2'" },
		{ FIX "badheader", "unsupported modules format '7'" },
		{ FIX "garbage", "not an oomtrace status file" },
		{ FIX "empty", "empty" },
		{ FIX "nonexistent", "no such snapshot directory" },
		{ FIX "noproc", "not an oomtrace snapshot" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < N(cases); i++) {
		struct run r = run_cli("report", "--from", cases[i].dir, NULL);

		assert_int_equal(r.rc, 1);
		assert_int_equal(r.outlen, 0);
		if (strncmp(r.err, "oomtrace: ", 10) || !strstr(r.err, cases[i].msg))
			fail_msg("%s: stderr: %s", cases[i].dir, r.err);
		/* one line */
		assert_ptr_equal(strchr(r.err, '\n'), r.err + strlen(r.err) - 1);
		run_free(&r);
	}
	{
		struct run r = run_cli("events", "--from", FIX "badevents", NULL);

		assert_int_equal(r.rc, 1);
		assert_non_null(strstr(r.err, "unsupported events format '3'"));
		run_free(&r);
	}
	{
		/* the other files of badevents are fine */
		struct run r = run_cli("modules", "--from", FIX "badevents", NULL);

		assert_int_equal(r.rc, 0);
		run_free(&r);
	}
	{
		/* malformed rows: a warning on stderr, the rest shown */
		struct run r = run_cli("modules", "--from", FIX "junkrows", NULL);

		assert_int_equal(r.rc, 0);
		assert_non_null(strstr(r.err, "3 malformed lines skipped"));
		assert_non_null(strstr(r.out, "good2"));
		run_free(&r);
	}
}

static void test_not_loaded(void **state)
{
	struct run r;

	(void)state;
	setenv("OOMTRACE_PROC", FIX "noproc", 1);
	r = run_cli("slabs", NULL);
	unsetenv("OOMTRACE_PROC");
	assert_int_equal(r.rc, 1);
	assert_non_null(strstr(r.err, "module is not loaded"));
	assert_non_null(strstr(r.err, "modprobe oomtrace"));
	run_free(&r);
}

static void test_live_equals_snapshot(void **state)
{
	struct run a, b;

	(void)state;
	setenv("OOMTRACE_PROC", FIX "proc", 1);
	a = run_cli("report", NULL);
	unsetenv("OOMTRACE_PROC");
	assert_int_equal(a.rc, 0);
	assert_non_null(strstr(a.out, "(live)"));
	b = run_cli("modules", "--from", FIX "oom", NULL);
	assert_non_null(strstr(a.out, "oldmod"));
	run_free(&a);
	setenv("OOMTRACE_PROC", FIX "proc", 1);
	a = run_cli("modules", NULL);
	unsetenv("OOMTRACE_PROC");
	assert_string_equal(a.out, b.out);
	run_free(&a);
	run_free(&b);
}

static void test_usage(void **state)
{
	static const char *const bad[][6] = {
		{ NULL },
		{ "frobnicate", NULL },
		{ "slabs", "--json", "--prom", NULL },
		{ "slabs", "-n", "0", NULL },
		{ "slabs", "-n", "x", NULL },
		{ "slabs", "--sort", "nope", "--from", FIX "healthy", NULL },
		{ "slabs", "extra", NULL },
		{ "diff", NULL },
		{ "diff", "a", "b", "c", NULL },
		{ "top", "--json", NULL },
		{ "top", "-d", "0", NULL },
		{ "snapshot", NULL },
		{ "slabs", "--bogus", NULL },
		{ "slabs", "--from", NULL },
		{ "modules", "-o", "x", NULL },
	};
	size_t i;

	(void)state;
	for (i = 0; i < N(bad); i++) {
		struct run r = run_cli(bad[i][0], bad[i][1], bad[i][2], bad[i][3], bad[i][4], NULL);

		if (r.rc != 2)
			fail_msg("case %zu (%s %s): rc %d", i, bad[i][0], bad[i][1], r.rc);
		run_free(&r);
	}
}

static void test_help(void **state)
{
	static const char *const cmds[] = { "slabs", "modules", "callsites", "events", "status",
		"top", "snapshot", "diff", "report" };
	size_t i;
	struct run r;

	(void)state;
	for (i = 0; i < N(cmds); i++) {
		char want[64];

		snprintf(want, sizeof(want), "usage: oomtrace %s", cmds[i]);
		r = run_cli(cmds[i], "--help", NULL);
		assert_int_equal(r.rc, 0);
		assert_memory_equal(r.out, want, strlen(want));
		run_free(&r);
		r = run_cli("help", cmds[i], NULL);
		assert_int_equal(r.rc, 0);
		assert_memory_equal(r.out, want, strlen(want));
		run_free(&r);
	}
	r = run_cli("--help", NULL);
	assert_int_equal(r.rc, 0);
	assert_non_null(strstr(r.out, "Commands:"));
	run_free(&r);
	r = run_cli("--version", NULL);
	assert_int_equal(r.rc, 0);
	assert_non_null(strstr(r.out, "oomtrace 0.1.0"));
	run_free(&r);
}

static int count_lines(const char *s)
{
	int n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

static void test_listing_options(void **state)
{
	struct run r;

	(void)state;
	r = run_cli("slabs", "--from", FIX "healthy", "-n", "2", NULL);
	assert_int_equal(count_lines(r.out), 3);
	assert_non_null(strstr(r.out, "kmalloc-large"));
	assert_non_null(strstr(r.out, "1.2 MiB"));
	run_free(&r);
	r = run_cli("slabs", "--from", FIX "healthy", "--bytes", "--sort", "name", "-n", "1", NULL);
	assert_non_null(strstr(r.out, "drbd_req"));
	assert_non_null(strstr(r.out, "51200"));
	run_free(&r);
	/* options before the command work too */
	r = run_cli("--from", FIX "healthy", "--module", "drbd", "callsites", NULL);
	assert_int_equal(r.rc, 0);
	assert_int_equal(count_lines(r.out), 2);
	assert_non_null(strstr(r.out, "drbd_alloc_peer_req"));
	run_free(&r);
	/* slabs --module: the module's share of each cache (module_slabs) */
	r = run_cli("slabs", "--from", FIX "healthy", "--module", "drbd", NULL);
	assert_int_equal(r.rc, 0);
	assert_int_equal(count_lines(r.out), 3);
	assert_non_null(strstr(r.out, "drbd_req"));
	assert_non_null(strstr(r.out, "kmalloc-1k"));
	run_free(&r);
	/* without module_slabs: falls back to top_module, says so */
	r = run_cli("slabs", "--from", FIX "minimal", "--module", "drbd", NULL);
	assert_int_equal(r.rc, 0);
	assert_non_null(strstr(r.err, "module_slabs not available"));
	assert_non_null(strstr(r.out, "drbd_req"));
	run_free(&r);
	r = run_cli("modules", "--from", FIX "healthy", "--module", "nosuch", NULL);
	assert_int_equal(r.rc, 0);
	assert_non_null(strstr(r.err, "no modules rows for module 'nosuch'"));
	run_free(&r);
	r = run_cli("modules", "--from", FIX "minimal", NULL);
	assert_non_null(strstr(r.out, "VMALLOC_BYTES"));
	run_free(&r);
	r = run_cli("events", "--from", FIX "oom", "--module", "drbd", NULL);
	assert_int_equal(r.rc, 0);
	assert_non_null(strstr(r.out, "+400.0 KiB"));
	assert_null(strstr(r.out, "cache "));
	run_free(&r);
}

static void test_diff(void **state)
{
	struct run r;

	(void)state;
	r = run_cli("diff", FIX "healthy", FIX "leaking", NULL);
	assert_int_equal(r.rc, 0);
	assert_non_null(strstr(r.out,
		"\nverdict: top grower is module leaker (+97.7 MiB live, +100000 objects); cache kmalloc-1k (+97.7 MiB)\n"));
	assert_non_null(strstr(r.out, "(3 modules unchanged)"));
	assert_non_null(strstr(r.out, "\nCALLSITE "));
	assert_non_null(strstr(r.out, "leaker_grow+0x2f/0x90  10.0 KiB  97.7 MiB  +97.7 MiB  +100000\n"));
	run_free(&r);
	/* one: singular */
	r = run_cli("diff", FIX "healthy", FIX "oom", NULL);
	assert_non_null(strstr(r.out, "(1 cache unchanged)\n"));
	run_free(&r);
	r = run_cli("diff", "--json", FIX "healthy", FIX "leaking", NULL);
	assert_int_equal(r.rc, 0);
	assert_json_valid(r.out, r.outlen);
	assert_non_null(strstr(r.out, "\"growth_bytes\":102400000"));
	assert_non_null(strstr(r.out, "\"callsites\":[{\"callsite\":\"leaker_grow+0x2f/0x90\""));
	run_free(&r);
	r = run_cli("diff", "--prom", FIX "healthy", FIX "odd", NULL);
	assert_int_equal(r.rc, 0);
	assert_prom_valid(r.out, r.outlen);
	run_free(&r);
	/* a name repeated in a malformed file is counted once */
	r = run_cli("diff", "--prom", FIX "dups", FIX "odd", NULL);
	assert_int_equal(r.rc, 0);
	assert_prom_valid(r.out, r.outlen);
	assert_non_null(strstr(r.out, "oomtrace_diff_module_growth_bytes{module=\"twice\"} -8192\n"));
	run_free(&r);
	/* NEW defaults to the live system (or --from) */
	setenv("OOMTRACE_PROC", FIX "proc", 1);
	r = run_cli("diff", FIX "healthy", NULL);
	unsetenv("OOMTRACE_PROC");
	assert_int_equal(r.rc, 0);
	assert_non_null(strstr(r.out, "(live)"));
	assert_non_null(strstr(r.out, "verdict: top grower is module bigcache"));
	run_free(&r);
	r = run_cli("diff", FIX "leaking", "--from", FIX "healthy", NULL);
	assert_non_null(strstr(r.out, "verdict: no module or cache grew"));
	run_free(&r);
	r = run_cli("diff", FIX "healthy", FIX "badformat", NULL);
	assert_int_equal(r.rc, 1);
	run_free(&r);
}

static void test_report(void **state)
{
	struct run r;

	(void)state;
	r = run_cli("report", "--from", FIX "oom", NULL);
	assert_int_equal(r.rc, 0);
	assert_non_null(strstr(r.out, "MEMORY SUMMARY"));
	assert_non_null(strstr(r.out, "TOTAL MEM"));
	assert_non_null(strstr(r.out, "TRACKED BY OOMTRACE"));
	assert_non_null(strstr(r.out, "TOP MODULES"));
	assert_non_null(strstr(r.out, "TOP CACHES"));
	assert_non_null(strstr(r.out, "TOP CALL SITES"));
	assert_non_null(strstr(r.out, "OOM TIMELINE"));
	assert_non_null(strstr(r.out, "hog/123"));
	assert_non_null(strstr(r.out,
		"module oldmod was unloaded with 256.0 KiB still allocated (64 objects)"));
	assert_non_null(strstr(r.out,
		"LIKELY CULPRIT\n  module leaker (largest growth across the OOM events)\n"));
	assert_non_null(strstr(r.out, "call site leaker_grow+0x2f/0x90"));
	run_free(&r);
	r = run_cli("report", "--from", FIX "leaking", NULL);
	assert_non_null(strstr(r.out, "module leaker (largest live bytes"));
	assert_non_null(strstr(r.out, "OOM TIMELINE\n  not available"));
	run_free(&r);
	r = run_cli("report", "--from", FIX "oom", "--json", NULL);
	assert_json_valid(r.out, r.outlen);
	assert_non_null(strstr(r.out, "\"culprit\":{\"module\":\"leaker\",\"reason\":\"oom_event_growth\""));
	assert_non_null(strstr(r.out, "\"leaks_left_behind\":[{\"module\":\"oldmod\""));
	run_free(&r);
	r = run_cli("report", "--from", FIX "real", NULL);
	assert_non_null(strstr(r.out, "(5 OOM events in all; the 2 oldest were dropped from the buffer)"));
	assert_non_null(strstr(r.out, "stress-ng/4243         -          -          -  -"));
	run_free(&r);
	r = run_cli("events", "--from", FIX "real", "--json", NULL);
	assert_non_null(strstr(r.out, "\"seq\":3,\"time\":1201.004512,\"kind\":\"global\",\"pid\":null"));
	run_free(&r);
	r = run_cli("report", "--from", FIX "emptytables", NULL);
	assert_non_null(strstr(r.out, "none found"));
	run_free(&r);
}

#define PARTIAL_TEXT \
	"2.9% of 1.2M allocations dropped (table full), 40% estimated ([kernel] sampled), 0.1% frees lost\n"

/* The listings say it: text first, JSON object, Prometheus families with table=. */
static void test_partial_listings(void **state)
{
	static const char *const cmds[] = { "slabs", "modules", "callsites", "events" };
	char want[256];
	size_t i;

	(void)state;
	for (i = 0; i < N(cmds); i++) {
		struct run r = run_cli(cmds[i], "--from", FIX "partial", NULL);

		assert_int_equal(r.rc, 0);
		assert_memory_equal(r.out, "partial: " PARTIAL_TEXT, strlen("partial: " PARTIAL_TEXT));
		run_free(&r);
		r = run_cli(cmds[i], "--from", FIX "partial", "--json", NULL);
		assert_json_valid(r.out, r.outlen);
		/* the files' counts, larger than the status' read a moment before */
		assert_non_null(strstr(r.out,
			",\"partial\":{\"allocs\":1234567,\"dropped\":35802,\"estimated\":493827,\"lost_frees\":1234,\"kernel_sampled\":true,\"sampled_mode\":false,\"dropped_fraction\":0.0289996,\"estimated_fraction\":0.4,\"lost_frees_fraction\":0.000999541}"));
		run_free(&r);
		r = run_cli(cmds[i], "--from", FIX "partial", "--prom", NULL);
		assert_prom_valid(r.out, r.outlen);
		snprintf(want, sizeof(want), "oomtrace_partial{table=\"%s\"} 1\n", cmds[i]);
		assert_non_null(strstr(r.out, want));
		snprintf(want, sizeof(want), "oomtrace_allocs_estimated_total{table=\"%s\"} 493827\n",
			 cmds[i]);
		assert_non_null(strstr(r.out, want));
		run_free(&r);
		/* an older module's files, nothing dropped or lost: no word of it */
		r = run_cli(cmds[i], "--from", FIX "oom", NULL);
		assert_null(strstr(r.out, "partial"));
		run_free(&r);
		r = run_cli(cmds[i], "--from", FIX "oom", "--json", NULL);
		assert_null(strstr(r.out, "partial"));
		run_free(&r);
		r = run_cli(cmds[i], "--from", FIX "oom", "--prom", NULL);
		assert_null(strstr(r.out, "partial"));
		run_free(&r);
	}
	/* module_slabs (slabs -m) */
	{
		struct run r = run_cli("slabs", "-m", "leaker", "--from", FIX "partial", NULL);

		assert_memory_equal(r.out, "partial: " PARTIAL_TEXT, strlen("partial: " PARTIAL_TEXT));
		run_free(&r);
		r = run_cli("modules", "--from", FIX "sampled", NULL);
		assert_memory_equal(r.out, "partial: 98% of 33.7k allocations estimated (sampled mode)\nMODULE ", 65);
		run_free(&r);
	}
}

/* report, status, top, diff: where each says it. */
static void test_partial_commands(void **state)
{
	struct run r;

	(void)state;
	r = run_cli("report", "--from", FIX "partial", NULL);
	assert_non_null(strstr(r.out, "35800 allocations dropped\npartial:  " PARTIAL_TEXT "\nMEMORY"));
	assert_null(strstr(r.out, "warning:"));	/* one line says it, not two */
	run_free(&r);
	r = run_cli("report", "--from", FIX "partial", "--json", NULL);
	assert_json_valid(r.out, r.outlen);
	assert_non_null(strstr(r.out, ",\"partial\":{\"allocs\":1234567,"));
	run_free(&r);
	r = run_cli("report", "--from", FIX "partial", "--prom", NULL);
	assert_prom_valid(r.out, r.outlen);
	assert_non_null(strstr(r.out, "\noomtrace_partial 1\n"));
	assert_non_null(strstr(r.out, "\noomtrace_dropped_total 35802\n"));
	assert_non_null(strstr(r.out, "\noomtrace_kernel_sampled 1\n"));
	run_free(&r);
	r = run_cli("report", "--from", FIX "oom", "--prom", NULL);
	assert_non_null(strstr(r.out, "\noomtrace_partial 0\n"));
	assert_null(strstr(r.out, "oomtrace_allocs_seen_total"));	/* not in that status */
	run_free(&r);
	r = run_cli("report", "--from", FIX "oom", NULL);
	assert_null(strstr(r.out, "partial"));
	run_free(&r);
	/* the status alone, of a module older than the partial line */
	r = run_cli("status", "--from", FIX "real", "--json", NULL);
	assert_non_null(strstr(r.out, ",\"partial\":{\"allocs\":null,\"dropped\":0,\"estimated\":null,\"lost_frees\":3,"));
	run_free(&r);
	r = run_cli("top", "-n", "1", "--from", FIX "partial", NULL);
	assert_non_null(strstr(r.out, "dropped 35800\npartial: " PARTIAL_TEXT "\nMODULE"));
	run_free(&r);
	r = run_cli("top", "-n", "1", "--from", FIX "oom", NULL);
	assert_null(strstr(r.out, "partial"));
	run_free(&r);
	/* diff: partial when either side is, and which */
	r = run_cli("diff", FIX "healthy", FIX "partial", NULL);
	assert_non_null(strstr(r.out, ")\npartial: new: " PARTIAL_TEXT "note: "));
	assert_null(strstr(r.out, "partial: base"));
	run_free(&r);
	r = run_cli("diff", FIX "partial", FIX "sampled", NULL);
	assert_non_null(strstr(r.out, "partial: base: " PARTIAL_TEXT
				      "partial: new: 98% of 33.7k allocations estimated (sampled mode)\n"));
	run_free(&r);
	r = run_cli("diff", "--json", FIX "partial", FIX "healthy", NULL);
	assert_json_valid(r.out, r.outlen);
	assert_non_null(strstr(r.out, "\"epoch\":1,\"partial\":{\"allocs\":1234567,"));
	assert_non_null(strstr(r.out, "\"epoch\":0},\"modules\""));	/* new: exact */
	run_free(&r);
	r = run_cli("diff", "--prom", FIX "partial", FIX "healthy", NULL);
	assert_prom_valid(r.out, r.outlen);
	assert_non_null(strstr(r.out, "oomtrace_partial{side=\"base\"} 1\n"));
	assert_null(strstr(r.out, "side=\"new\""));
	run_free(&r);
	r = run_cli("diff", "--prom", FIX "healthy", FIX "oom", NULL);
	assert_null(strstr(r.out, "partial"));
	run_free(&r);
	/* the dump in a kernel log: the same line */
	r = run_cli("report", "--dmesg", FIX "dmesg/partial.log", NULL);
	assert_non_null(strstr(r.out, "\npartial:  " PARTIAL_TEXT));
	run_free(&r);
	r = run_cli("report", "--dmesg", FIX "dmesg/sampled.log", "--json", NULL);
	assert_non_null(strstr(r.out, "\"partial\":{\"allocs\":33679,\"dropped\":0,\"estimated\":33101,\"lost_frees\":0,\"kernel_sampled\":true,\"sampled_mode\":true,"));
	run_free(&r);
}

static void rm_rf(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char p[512];

	if (!d)
		return;
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		snprintf(p, sizeof(p), "%s/%s", dir, e->d_name);
		unlink(p);
	}
	closedir(d);
	rmdir(dir);
}

static void test_snapshot(void **state)
{
	char dir[] = "/tmp/oomtrace-snap-XXXXXX", sub[128], p[256];
	static const char *const files[] = { "status", "slabs", "modules", "callsites",
		"module_slabs", "events", "meminfo", "slabinfo", "vmallocinfo", "slab_reclaim",
		"timestamp" };
	struct run r, a;
	size_t i;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(sub, sizeof(sub), "%s/s1", dir);
	setenv("OOMTRACE_PROC", FIX "proc", 1);
	r = run_cli("snapshot", "-o", sub, NULL);
	a = run_cli("report", NULL);
	unsetenv("OOMTRACE_PROC");
	assert_int_equal(r.rc, 0);
	for (i = 0; i < N(files); i++) {
		snprintf(p, sizeof(p), "%s/%s", sub, files[i]);
		if (access(p, R_OK))
			fail_msg("snapshot has no %s", files[i]);
	}
	run_free(&r);
	/* the snapshot reads back like the live system */
	r = run_cli("report", "--from", sub, NULL);
	assert_int_equal(r.rc, 0);
	assert_string_equal(strstr(r.out, "MEMORY SUMMARY"), strstr(a.out, "MEMORY SUMMARY"));
	run_free(&r);
	run_free(&a);
	/* not loaded: nothing saved */
	setenv("OOMTRACE_PROC", FIX "noproc", 1);
	snprintf(p, sizeof(p), "%s/s2", dir);
	r = run_cli("snapshot", p, NULL);
	unsetenv("OOMTRACE_PROC");
	assert_int_equal(r.rc, 1);
	assert_int_equal(access(p, F_OK), -1);
	run_free(&r);
	rm_rf(sub);
	rmdir(dir);
}

/* status and report: what oomtrace explains of SUnreclaim, Slab and the kernel pages */
static void test_coverage_lines(void **state)
{
	struct run r;

	(void)state;
	r = run_cli("status", "--from", FIX "kernel", NULL);
	assert_int_equal(r.rc, 0);
	assert_non_null(strstr(r.out, "\nsnapshot_time:      2023-11-15T22:13:20Z\n"
			       "coverage_slab_unreclaimable: 3.8 GiB of 3.9 GiB (96.4%)\n"
			       "coverage_slab: 7.5 GiB of 7.8 GiB (95.8%)\n"
			       "coverage_kernel_pages: 20.7 MiB of 369.3 MiB (5.6%)\n"));
	run_free(&r);
	r = run_cli("status", "--bytes", "--from", FIX "kernel", NULL);
	assert_non_null(strstr(r.out, "coverage_slab_unreclaimable: 4032371232 of 4184354816 (96.4%)\n"));
	run_free(&r);
	r = run_cli("status", "--json", "--from", FIX "kernel", NULL);
	assert_non_null(strstr(r.out, ",\"coverage\":{\"slab_unreclaimable\":{\"box_bytes\":4184354816,"
			       "\"tracked_bytes\":4032371232},"));
	run_free(&r);
	/* without meminfo: no coverage lines, and status works as before */
	r = run_cli("status", "--from", FIX "minimal", NULL);
	assert_int_equal(r.rc, 0);
	assert_null(strstr(r.out, "coverage_"));
	run_free(&r);
	r = run_cli("status", "--from", FIX "badheader", NULL);
	assert_int_equal(r.rc, 0);
	assert_string_equal(r.err, "");	/* a slabs file that does not parse: no word about it */
	run_free(&r);
	/* live: reclaimability from $OOMTRACE_SYS/kernel/slab */
	setenv("OOMTRACE_PROC", FIX "proc", 1);
	r = run_cli("report", NULL);
	unsetenv("OOMTRACE_PROC");
	assert_non_null(strstr(r.out, "\nCOVERAGE\n"));
	assert_non_null(strstr(r.out, "  unreclaimable slab (SUnreclaim)  449.2 MiB  489.3 MiB     108.9%\n"));
	assert_non_null(strstr(r.out, "  kmalloc-1k     1024       500000    500020         10    488.3 MiB   "
			       "320.0 KiB      488.3 MiB              0 B  no\n"));
	run_free(&r);
}

static void test_top_plain(void **state)
{
	struct run r = run_cli("top", "-n", "2", "-d", "0.1", "--from", FIX "oom", NULL);
	const char *second;

	(void)state;
	assert_int_equal(r.rc, 0);
	assert_null(strchr(r.out, '\033'));	/* no escape codes when not a terminal */
	assert_memory_equal(r.out, "oomtrace top - ", 15);
	second = strstr(r.out + 1, "oomtrace top - ");
	assert_non_null(second);
	assert_null(strstr(second + 1, "oomtrace top - "));
	assert_non_null(strstr(r.out, "refresh 2"));
	assert_non_null(strstr(r.out, "MODULE"));
	assert_non_null(strstr(r.out, "CACHE"));
	/* second refresh: growth 0 over the interval */
	assert_non_null(strstr(second, "bigcache  live    293.0 MiB       0        0\n"));
	run_free(&r);
	r = run_cli("top", "-n", "1", "--rows", "1", "--sort", "name", "--from", FIX "oom", NULL);
	assert_int_equal(r.rc, 0);
	assert_non_null(strstr(r.out, "[kernel]"));
	assert_null(strstr(r.out, "bigcache"));
	run_free(&r);
	r = run_cli("top", "-n", "1", "--from", FIX "badformat", NULL);
	assert_int_equal(r.rc, 1);
	run_free(&r);
}

/* ---- report --dmesg ---- */

#define DM FIX "dmesg/"

static const char *const dmesg_logs[] = { "oom-dmesg", "oom-raw", "oom-journal", "oom-serial",
	"oom-makedumpfile", "oom-crash", "oom-caller", "leaking", "real", "lab", "odd",
	"interleaved", "twoboots", "newer-truncated", "cutoff", "busy", "longline", "partial",
	"sampled" };

/* The text after the line that starts with `from`. */
static const char *after(const char *s, const char *from)
{
	const char *p = strstr(s, from);

	assert_non_null(p);
	return p;
}

static void test_dmesg_styles(void **state)
{
	struct run ref, r, snap;
	size_t i;

	(void)state;
	ref = run_cli("report", "--dmesg", DM "oom-dmesg.log", NULL);
	assert_int_equal(ref.rc, 0);
	assert_string_equal(ref.err, "");
	assert_non_null(strstr(ref.out, "oomtrace report\nsource:   " DM "oom-dmesg.log "
		"(kernel log, lines 1-55: dump 1, reason panic, complete: 53 lines)\n"
		"rows:     modules 5 of 5, slabs 3 of 3, module_slabs 3 of 3, callsites 3 of 3 "
		"(the dump keeps 10 rows a table)\noomtrace: 0.1.0 on kernel 6.1.0-28-amd64"));
	/* vmalloc is unknown, as for a snapshot without vmallocinfo */
	assert_non_null(strstr(ref.out, "  bigcache  live   300000      0  300000   293.0 MiB   293.0 MiB         0 B   293.0 MiB              -\n"));
	assert_non_null(strstr(ref.out, "  SLAB                 478.5 MiB     24.3%\n"));
	assert_null(strstr(ref.out, "AVAILABLE"));
	/*
	 * from the caches on, the report of the snapshot the dump was made of,
	 * but for SLAB CACHES: a dump has no /proc/slabinfo
	 */
	snap = run_cli("report", "--from", FIX "oom", NULL);
	assert_true(strstr(ref.out, "\nSLAB CACHES") - strstr(ref.out, "\nTOP CACHES\n") ==
		    strstr(snap.out, "\nSLAB CACHES") - strstr(snap.out, "\nTOP CACHES\n"));
	assert_memory_equal(after(ref.out, "\nTOP CACHES\n"), after(snap.out, "\nTOP CACHES\n"),
			    strstr(ref.out, "\nSLAB CACHES") - strstr(ref.out, "\nTOP CACHES\n"));
	assert_non_null(strstr(ref.out, "\nSLAB CACHES (/proc/slabinfo, like crash's kmem -s: every object since boot)\n"
			       "  not available: a kernel log's dump has no /proc/slabinfo\n"));
	assert_string_equal(after(ref.out, "\nTOP CALL SITES\n"), after(snap.out, "\nTOP CALL SITES\n"));
	run_free(&snap);
	for (i = 1; i < 7; i++) {
		char path[128];

		snprintf(path, sizeof(path), DM "%s.log", dmesg_logs[i]);
		r = run_cli("report", "--dmesg", path, NULL);
		assert_int_equal(r.rc, 0);
		assert_string_equal(after(r.out, "\noomtrace: "), after(ref.out, "\noomtrace: "));
		run_free(&r);
	}
	run_free(&ref);
}

static void test_dmesg_all(void **state)
{
	static const char *const opts[][3] = { { NULL }, { "--json", NULL }, { "--bytes", NULL },
		{ "-n", "2", NULL }, { "-n", "1", "--json" } };
	size_t i, o;

	(void)state;
	for (i = 0; i < N(dmesg_logs); i++) {
		char path[128];

		snprintf(path, sizeof(path), DM "%s.log", dmesg_logs[i]);
		for (o = 0; o < N(opts); o++) {
			struct run r = run_cli("report", "--dmesg", path, opts[o][0], opts[o][1],
					       opts[o][2], NULL);

			if (r.rc || *r.err)
				fail_msg("%s %s: rc %d: %s", path, opts[o][0] ? opts[o][0] : "", r.rc,
					 r.err);
			if (o == 1 || o == 4) {
				assert_json_valid(r.out, r.outlen);
				assert_non_null(strstr(r.out, ",\"dump\":{\"seq\":"));
			} else {
				assert_non_null(strstr(r.out, "\nLIKELY CULPRIT\n"));
			}
			run_free(&r);
		}
	}
}

static void test_dmesg_content(void **state)
{
	struct run r;

	(void)state;
	r = run_cli("report", "--dmesg", DM "newer-truncated.log", NULL);
	assert_non_null(strstr(r.out, "\nnote:     dump 3 is truncated (45 of 53 lines): using dump 2\n"
		"note:     the log holds 2 complete dumps: this is the last\n"));
	run_free(&r);
	r = run_cli("report", "--dmesg", DM "real.log", NULL);
	assert_non_null(strstr(r.out, "\nrows:     modules 2 of 4, slabs 2 of 3, module_slabs 2 of 2, "
		"callsites 2 of 2 (the dump keeps 2 rows a table)\n"));
	assert_non_null(strstr(r.out, "  (tracked: the 2 modules the dump kept, of 4)\n"));
	run_free(&r);
	/* the dump's "# rows=" after the partial line: both read */
	r = run_cli("report", "--dmesg", DM "partial.log", NULL);
	assert_non_null(strstr(r.out, "\nrows:     modules 2 of 4, slabs 2 of 3, module_slabs 2 of 2, "
		"callsites 2 of 2 (the dump keeps 2 rows a table)\n"));
	run_free(&r);
	r = run_cli("report", "--dmesg", DM "busy.log", NULL);
	assert_non_null(strstr(r.out, "OOM TIMELINE\n  not available: dump 1 has no events: "
		"the event ring was busy when it was written ('# events busy')\n"));
	run_free(&r);
	r = run_cli("report", "--dmesg", DM "newer-truncated.log", "--json", NULL);
	assert_non_null(strstr(r.out, "{\"table\":\"report\",\"format\":1,\"source\":\"" DM
		"newer-truncated.log\",\"live\":false,\"timestamp\":\"\",\"dump\":{\"seq\":2,"
		"\"reason\":\"oom\",\"format\":1,\"rows\":10,\"complete\":true,\"lines\":53,\"ns\":null,"
		"\"log_lines\":{\"begin\":55,\"end\":109,\"total\":156},\"complete_dumps\":2,"
		"\"incomplete_dumps\":1,\"events_busy\":false,\"tables\":{\"modules\":{\"kept\":5,"
		"\"total\":5,\"cut\":false},"));
	assert_non_null(strstr(r.out, "\"newer_incomplete\":[{\"seq\":3,\"problem\":\"count\","
		"\"lines_seen\":45,\"lines\":53,\"text\":\"dump 3 is truncated (45 of 53 lines)\"}],"
		"\"newer_incomplete_more\":0},\"status\":{\"version\":\"0.1.0\""));
	assert_non_null(strstr(r.out, "\"vmalloc_bytes\":null"));
	run_free(&r);
	r = run_cli("report", "--dmesg", DM "lab.log", "--json", NULL);
	assert_non_null(strstr(r.out, "\"module_slabs\":null,"));
	run_free(&r);
	{
		/* a begin line with no reason= nor rows=, a dump with only its status */
		static const char log[] = "oomtrace: dump 4 begin format=1\n"
			"oomtrace: dump 4 status format: 1\noomtrace: dump 4 end lines=1\n";
		char path[64];

		write_tmp(path, sizeof(path), log, sizeof(log) - 1);
		r = run_cli("report", "--dmesg", path, NULL);
		unlink(path);
		assert_int_equal(r.rc, 0);
		assert_non_null(strstr(r.out, " (kernel log, lines 1-3: dump 4, reason ?, complete: 1 line)\n"
			"rows:     modules -, slabs -, module_slabs -, callsites -\noomtrace: ? on kernel ?"));
		assert_non_null(strstr(r.out, "TOP MODULES\n  not available\n"));
		assert_non_null(strstr(r.out, "OOM TIMELINE\n  not available: dump 4 has no events lines\n"));
		run_free(&r);
	}
}

static void test_dmesg_errors(void **state)
{
	static const struct {
		const char *log, *msg;
	} cases[] = {
		{ DM "only-truncated.log", ": no complete oomtrace dump: dump 2 is truncated" },
		{ DM "badformat.log", ": dump 1: unsupported dump format 2" },
		{ DM "garbage.log", ": no oomtrace dump (no 'oomtrace: dump N begin' line" },
		{ DM "empty.log", ": empty: no oomtrace dump" },
		{ DM "binary.bin", ": binary data, not a kernel log" },
		{ DM "nonexistent.log", ": No such file or directory" },
		{ DM, ": read error: Is a directory" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < N(cases); i++) {
		struct run r = run_cli("report", "--dmesg", cases[i].log, NULL);
		char want[256];

		snprintf(want, sizeof(want), "oomtrace: %s%s", cases[i].log, cases[i].msg);
		assert_int_equal(r.rc, 1);
		assert_int_equal(r.outlen, 0);
		if (strncmp(r.err, want, strlen(want)))
			fail_msg("%s: stderr: %s", cases[i].log, r.err);
		assert_ptr_equal(strchr(r.err, '\n'), r.err + strlen(r.err) - 1);
		run_free(&r);
		r = run_cli("report", "--dmesg", cases[i].log, "--json", NULL);
		assert_int_equal(r.rc, 1);
		assert_int_equal(r.outlen, 0);
		run_free(&r);
	}
}

/* Standard input, and no /proc at all. */
static void test_dmesg_stdin(void **state)
{
	int fd, saved;
	struct run r;

	(void)state;
	setenv("OOMTRACE_PROC", FIX "nonexistent", 1);
	fd = open(DM "cutoff.log", O_RDONLY);
	assert_true(fd >= 0);
	saved = dup(STDIN_FILENO);
	dup2(fd, STDIN_FILENO);
	close(fd);
	r = run_cli("report", "--dmesg", "-", NULL);
	dup2(saved, STDIN_FILENO);
	close(saved);
	clearerr(stdin);
	unsetenv("OOMTRACE_PROC");
	assert_int_equal(r.rc, 0);
	assert_non_null(strstr(r.out, "source:   (standard input) (kernel log, lines 4-58: dump 1, "
		"reason oom, complete: 53 lines)\n"));
	assert_non_null(strstr(r.out, "\nnote:     dump 2 is truncated (15 lines, no end line): using dump 1\n"));
	run_free(&r);
}

static void test_dmesg_usage(void **state)
{
	static const char *const bad[][6] = {
		{ "slabs", "--dmesg", DM "oom-dmesg.log", NULL },
		{ "diff", "--dmesg", DM "oom-dmesg.log", FIX "oom", NULL },
		{ "report", "--dmesg", DM "oom-dmesg.log", "--from", FIX "oom", NULL },
		{ "report", "--dmesg", DM "oom-dmesg.log", "--prom", NULL },
		{ "report", "--dmesg", NULL },
		{ "report", "--dmesg=", NULL },
		{ "report", "--dmesg", DM "oom-dmesg.log", "extra", NULL },
	};
	size_t i;
	struct run r;

	(void)state;
	for (i = 0; i < N(bad); i++) {
		r = run_cli(bad[i][0], bad[i][1], bad[i][2], bad[i][3], bad[i][4], NULL);
		if (r.rc != 2)
			fail_msg("case %zu: rc %d", i, r.rc);
		run_free(&r);
	}
	r = run_cli("help", "report", NULL);
	assert_non_null(strstr(r.out, "oomtrace report --dmesg FILE [--bytes] [-n N] [--json]\n"));
	run_free(&r);
	r = run_cli("--help", NULL);
	assert_non_null(strstr(r.out, "      --dmesg FILE    report: read the dump in a kernel log"));
	run_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text_all),
		cmocka_unit_test(test_json_all),
		cmocka_unit_test(test_prom_all),
		cmocka_unit_test(test_json_content),
		cmocka_unit_test(test_prom_content),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_not_loaded),
		cmocka_unit_test(test_live_equals_snapshot),
		cmocka_unit_test(test_usage),
		cmocka_unit_test(test_help),
		cmocka_unit_test(test_listing_options),
		cmocka_unit_test(test_diff),
		cmocka_unit_test(test_report),
		cmocka_unit_test(test_partial_listings),
		cmocka_unit_test(test_partial_commands),
		cmocka_unit_test(test_snapshot),
		cmocka_unit_test(test_coverage_lines),
		cmocka_unit_test(test_top_plain),
		cmocka_unit_test(test_dmesg_styles),
		cmocka_unit_test(test_dmesg_all),
		cmocka_unit_test(test_dmesg_content),
		cmocka_unit_test(test_dmesg_errors),
		cmocka_unit_test(test_dmesg_stdin),
		cmocka_unit_test(test_dmesg_usage),
	};

	/* the live system's slab caches are fixtures too, never the host's /sys */
	setenv("OOMTRACE_SYS", FIX "sys", 1);
	return cmocka_run_group_tests_name("cli", tests, NULL, NULL);
}
