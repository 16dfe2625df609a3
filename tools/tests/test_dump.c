// SPDX-License-Identifier: GPL-2.0
/*
 * test_dump.c - the kernel log dump (report --dmesg): finding the dumps in
 * every prefix style, fed in pieces of any size; complete, truncated and
 * damaged dumps; two boots; bounded memory; and the snapshot a dump makes.
 * The logs are fixtures/dmesg/ (written by mkdump.sh) or built here.
 */
#include "helpers.h"
#include "banner.h"
#include "dump.h"
#include "snap.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define DM FIX "dmesg/"

/* Scan log in pieces of chunk bytes (0: all at once) into d. */
static void scan(struct dump *d, const char *log, size_t len, size_t chunk)
{
	struct dump_scan *sc = dump_scan_new();
	size_t i;

	assert_non_null(sc);
	if (!chunk)
		chunk = len ? len : 1;
	for (i = 0; i < len; i += chunk)
		assert_int_equal(dump_scan_feed(sc, log + i, len - i < chunk ? len - i : chunk), 0);
	assert_int_equal(dump_scan_end(sc, d), 0);
	dump_scan_free(sc);
}

static void scan_str(struct dump *d, const char *log)
{
	scan(d, log, strlen(log), 0);
}

static void scan_fixture(struct dump *d, const char *name, size_t chunk)
{
	char path[256];
	size_t len;
	char *buf;

	snprintf(path, sizeof(path), "dmesg/%s", name);
	buf = fixture(path, &len);
	scan(d, buf, len, chunk);
	free(buf);
}

static void assert_text(const struct dump_text *t, const char *want)
{
	if (t->len != strlen(want) || memcmp(t->p, want, t->len))
		fail_msg("text:\n%.*s\nwanted:\n%s", (int)t->len, t->p ? t->p : "", want);
}

/* Every prefix style gives the same files, which are the snapshot's files. */
static void test_styles(void **state)
{
	static const char *const styles[] = { "dmesg", "raw", "journal", "serial", "makedumpfile",
		"crash", "caller" };
	static const char *const same[] = { "status", "modules", "slabs", "module_slabs",
		"callsites" };
	struct dump ref, d;
	size_t i, f, len;

	(void)state;
	scan_fixture(&ref, "oom-dmesg.log", 0);
	assert_true(ref.found);
	assert_int_equal(ref.info.seq, 1);
	assert_int_equal(ref.info.format, 1);
	assert_string_equal(ref.info.reason, "panic");
	assert_int_equal(ref.info.rows, 10);
	assert_int_equal(ref.info.lines, 53);
	assert_int_equal(ref.info.begin_at, 1);
	assert_int_equal(ref.info.end_at, 55);
	assert_int_equal(ref.info.ncomplete, 1);
	assert_int_equal(ref.info.nbad, 0);
	assert_false(ref.info.binary);
	for (i = 0; i < N(same); i++) {
		char p[64], *buf;

		snprintf(p, sizeof(p), "oom/%s", same[i]);
		buf = fixture(p, &len);
		for (f = 0; f < DF_NFILES && strcmp(dump_files[f], same[i]); f++)
			;
		assert_int_equal(ref.file[f].len, len);
		assert_memory_equal(ref.file[f].p, buf, len);
		free(buf);
	}
	assert_text(&ref.file[DF_MEMINFO],
		    "MemTotal:        2014244 kB\nMemFree:          1900 kB\n"
		    "SReclaimable:      30000 kB\nSUnreclaim:       460000 kB\n"
		    "KernelStack:        4000 kB\nPageTables:         8000 kB\n");
	for (i = 0; i < N(styles); i++) {
		char name[64];

		snprintf(name, sizeof(name), "oom-%s.log", styles[i]);
		scan_fixture(&d, name, 0);
		assert_true(d.found);
		assert_int_equal(d.info.lines, 53);
		for (f = 0; f < DF_NFILES; f++) {
			if (d.file[f].len != ref.file[f].len ||
			    memcmp(d.file[f].p, ref.file[f].p, ref.file[f].len))
				fail_msg("%s: %s differs", name, dump_files[f]);
		}
		dump_free(&d);
	}
	dump_free(&ref);
}

/* The log may come in pieces of any size. */
static void test_pieces(void **state)
{
	static const size_t chunks[] = { 1, 2, 3, 7, 64, 4095 };
	struct dump ref, d;
	size_t i, f;

	(void)state;
	scan_fixture(&ref, "interleaved.log", 0);
	assert_true(ref.found);
	for (i = 0; i < N(chunks); i++) {
		scan_fixture(&d, "interleaved.log", chunks[i]);
		assert_true(d.found);
		assert_int_equal(d.info.end_at, ref.info.end_at);
		for (f = 0; f < DF_NFILES; f++) {
			assert_int_equal(d.file[f].len, ref.file[f].len);
			if (ref.file[f].len)
				assert_memory_equal(d.file[f].p, ref.file[f].p, ref.file[f].len);
		}
		dump_free(&d);
	}
	dump_free(&ref);
}

/* Dumps that are not complete, and what is said of them. */
static void test_incomplete(void **state)
{
	static const struct {
		const char *log, *said;
		enum dump_flaw flaw;
	} cases[] = {
		{ "oomtrace: dump 5 status a: b\noomtrace: dump 5 end lines=1\n",
		  "dump 5 is truncated (no begin line; 1 of 1 lines)", DUMP_NO_BEGIN },
		{ "oomtrace: dump 5 status a: b\n",
		  "dump 5 is truncated (no begin line, no end line; 1 line)", DUMP_NO_BEGIN },
		{ "oomtrace: dump 5 end lines=3\n",
		  "dump 5 is truncated (no begin line; 0 of 3 lines)", DUMP_NO_BEGIN },
		{ "oomtrace: dump 2 begin format=1\noomtrace: dump 2 status a: b\n",
		  "dump 2 is truncated (1 line, no end line)", DUMP_CUT },
		{ "oomtrace: dump 2 begin format=1\noomtrace: dump 2 status a: b\noomtrace: dump 2 end lines=3\n",
		  "dump 2 is truncated (1 of 3 lines)", DUMP_COUNT },
		{ "oomtrace: dump 2 begin format=1\noomtrace: dump 2 status a: b\noomtrace: dump 2 status a: b\noomtrace: dump 2 end lines=1\n",
		  "dump 2 is damaged (2 lines where its end line says 1)", DUMP_COUNT },
		{ "oomtrace: dump 2 begin format=1\noomtrace: dump 2 status a: b\noomtrace: dump 2 end\n",
		  "dump 2 is damaged (1 lines; its end line has no lines=N)", DUMP_COUNT },
		{ "oomtrace: dump 2 begin format=1\noomtrace: dump 2 status a: b\noomtrace: dump 2 end lines=x1\n",
		  "dump 2 is damaged (1 lines; its end line has no lines=N)", DUMP_COUNT },
		/* a new boot before the end */
		{ "oomtrace: dump 2 begin format=1\noomtrace: dump 2 status a: b\n[ 0.0] Linux version 6.1\noomtrace: dump 2 end lines=1\n",
		  "dump 2 is truncated (no begin line; 0 of 1 lines)", DUMP_NO_BEGIN },
	};
	size_t i;
	char said[200];

	(void)state;
	for (i = 0; i < N(cases); i++) {
		struct dump d;

		scan_str(&d, cases[i].log);
		assert_false(d.found);
		if (d.info.nbad < 1)
			fail_msg("case %zu: no incomplete dump", i);
		assert_int_equal(d.info.last_bad.flaw, cases[i].flaw);
		dump_bad_text(said, sizeof(said), &d.info.last_bad);
		if (strcmp(said, cases[i].said))
			fail_msg("case %zu: said '%s', wanted '%s'", i, said, cases[i].said);
		dump_free(&d);
	}
	assert_string_equal(dump_flaw_name(DUMP_CUT), "cut");
	assert_string_equal(dump_flaw_name(DUMP_BIG), "too_large");
	assert_string_equal(dump_flaw_name((enum dump_flaw)99), "?");
}

/* Two boots: SEQ restarts; the last complete dump in the log's order is used. */
static void test_boots(void **state)
{
	struct dump d;
	struct snap s;
	char err[OT_ERRLEN];

	(void)state;
	scan_fixture(&d, "twoboots.log", 0);
	assert_true(d.found);
	assert_int_equal(d.info.seq, 1);
	assert_string_equal(d.info.reason, "panic");
	assert_int_equal(d.info.ncomplete, 3);
	assert_int_equal(d.info.nbad, 1);	/* boot 1's dump 3, cut by the reboot */
	assert_int_equal(d.info.last_bad.flaw, DUMP_CUT);
	assert_int_equal(d.info.last_bad.seq, 3);
	assert_int_equal(d.info.nnewer, 0);	/* it is older than the dump used */
	assert_int_equal(snap_from_dump(&s, &d, "log", NULL, err, sizeof(err)), 0);
	assert_string_equal(status_get(&s.st, "tracking_seconds"), "42");
	snap_free(&s);
	dump_free(&d);
}

/* Incomplete dumps after the one used are told; before it, only counted. */
static void test_newer(void **state)
{
	struct dump d;
	char said[200], *log;
	size_t i, len = 0;

	(void)state;
	scan_fixture(&d, "newer-truncated.log", 0);
	assert_true(d.found);
	assert_int_equal(d.info.seq, 2);
	assert_int_equal(d.info.ncomplete, 2);
	assert_int_equal(d.info.nnewer, 1);
	dump_bad_text(said, sizeof(said), &d.info.newer[0]);
	assert_string_equal(said, "dump 3 is truncated (45 of 53 lines)");
	dump_free(&d);
	scan_fixture(&d, "cutoff.log", 0);
	dump_bad_text(said, sizeof(said), &d.info.newer[0]);
	assert_string_equal(said, "dump 2 is truncated (15 lines, no end line)");
	dump_free(&d);
	scan_fixture(&d, "longline.log", 0);
	assert_int_equal(d.info.seq, 1);
	assert_int_equal(d.info.newer[0].flaw, DUMP_LONG);
	dump_bad_text(said, sizeof(said), &d.info.newer[0]);
	assert_string_equal(said, "dump 2 is damaged (a line longer than 8192 bytes)");
	dump_free(&d);

	/* more than DUMP_MAX_NOTES of them */
	log = malloc(4096);
	len = (size_t)sprintf(log, "oomtrace: dump 1 begin format=1\noomtrace: dump 1 end lines=0\n");
	for (i = 0; i < DUMP_MAX_NOTES + 3; i++)
		len += (size_t)sprintf(log + len, "oomtrace: dump %zu begin format=1\n", i + 2);
	scan(&d, log, len, 0);
	assert_true(d.found);
	assert_int_equal(d.info.nnewer, DUMP_MAX_NOTES);
	assert_int_equal(d.info.newer_more, 3);
	assert_int_equal(d.info.nbad, DUMP_MAX_NOTES + 3);
	dump_free(&d);
	free(log);
}

/* At most DUMP_MAX_OPEN dumps open at once: the oldest is cut. */
static void test_open_limit(void **state)
{
	char log[4096];
	size_t i, len = 0;
	struct dump d;

	(void)state;
	for (i = 1; i <= DUMP_MAX_OPEN + 1; i++)
		len += (size_t)sprintf(log + len, "oomtrace: dump %zu begin format=1\n", i);
	for (i = 1; i <= DUMP_MAX_OPEN + 1; i++)
		len += (size_t)sprintf(log + len, "oomtrace: dump %zu status a: %zu\n", i, i);
	for (i = 1; i <= DUMP_MAX_OPEN + 1; i++)
		len += (size_t)sprintf(log + len, "oomtrace: dump %zu end lines=1\n", i);
	scan(&d, log, len, 0);
	assert_true(d.found);
	assert_int_equal(d.info.seq, DUMP_MAX_OPEN + 1);
	assert_int_equal(d.info.ncomplete, DUMP_MAX_OPEN);
	/* dump 1 was cut when the fifth began; its line was not followed, its end came alone */
	assert_int_equal(d.info.nbad, 2);
	assert_int_equal(d.info.last_bad.seq, 1);
	assert_text(&d.file[DF_STATUS], "a: 5\n");
	dump_free(&d);
}

/* '# rows=' lines, '# events busy', the begin's fields. */
static void test_rows_busy(void **state)
{
	struct dump d;

	(void)state;
	scan_fixture(&d, "real.log", 0);
	assert_true(d.found);
	assert_int_equal(d.info.rows, 2);
	assert_true(d.info.tab[DF_MODULES].cut);
	assert_int_equal(d.info.tab[DF_MODULES].kept, 2);
	assert_int_equal(d.info.tab[DF_MODULES].total, 4);
	assert_true(d.info.tab[DF_SLABS].cut);
	assert_int_equal(d.info.tab[DF_SLABS].total, 3);
	assert_false(d.info.tab[DF_MODSLABS].cut);
	assert_int_equal(d.info.tab[DF_MODSLABS].kept, 2);
	assert_int_equal(d.info.tab[DF_MODSLABS].total, 2);
	assert_false(d.info.events_busy);
	dump_free(&d);
	scan_fixture(&d, "busy.log", 0);
	assert_true(d.info.events_busy);
	dump_free(&d);
	/* busy alone, no banner; no format= */
	scan_str(&d, "oomtrace: dump 9 begin reason=oom\noomtrace: dump 9 events # events busy \n"
		     "oomtrace: dump 9 end lines=1\n");
	assert_true(d.found);
	assert_true(d.info.events_busy);
	assert_int_equal(d.info.format, -1);
	assert_string_equal(d.info.reason, "oom");
	dump_free(&d);
	/* a '# rows=' line after the data is a comment */
	scan_str(&d, "oomtrace: dump 1 begin format=1\noomtrace: dump 1 modules # a\n"
		     "oomtrace: dump 1 modules x 1\noomtrace: dump 1 modules # rows=1 of=9\n"
		     "oomtrace: dump 1 end lines=3\n");
	assert_false(d.info.tab[DF_MODULES].cut);
	assert_int_equal(d.info.tab[DF_MODULES].total, 1);
	dump_free(&d);
}

/* The end line's ns= (how long the module took): kept when a number, else unknown. */
static void test_duration(void **state)
{
	static const struct {
		const char *end;
		long long ns;
	} cases[] = {
		{ "lines=1 ns=1234567", 1234567 },
		{ "ns=0 lines=1", 0 },
		{ "lines=1", -1 },
		{ "lines=1 ns=-5", -1 },
		{ "lines=1 ns=1x", -1 },
		{ "lines=1 ns=99999999999999999999", -1 },
	};
	char log[256];
	struct dump d;
	size_t i;

	(void)state;
	for (i = 0; i < N(cases); i++) {
		snprintf(log, sizeof(log), "oomtrace: dump 3 begin format=1 reason=panic\n"
			 "oomtrace: dump 3 status a: b\noomtrace: dump 3 end %s\n", cases[i].end);
		scan_str(&d, log);
		assert_true(d.found);
		assert_int_equal(d.info.ns, cases[i].ns);
		dump_free(&d);
	}
}

/* What consoles do to lines: CR, escapes, NUL bytes, no last newline, other SEQ digits. */
static void test_line_damage(void **state)
{
	static const char log[] =
		"\033[0m[ 1.0] oomtrace: dump 01 begin format=1 reason=panic rows=3 extra=1\r\r\n"
		"<4>oomtrace: dump 1 status a: b\033[K\033[0m\r\n"
		"oomtrace: dump 1 status c: ctl\033[31m mid\n"
		"oomtrace: dump 1 status n: x\0y\n"
		"oomtrace: dump 1 frobs something new\n"
		"oomtrace: dump 1 status\n"
		"oomtrace: dump 1x status no: seq\n"
		"oomtrace: dump  1 status no: seq\n"
		"oomtrace: dump 1  \n"
		"oomtrace: dump 99999999999999999999 status no: seq\n"
		"oomtrace: dump 1 end lines=5";
	struct dump d;

	(void)state;
	scan(&d, log, sizeof(log) - 1, 0);
	assert_true(d.found);
	assert_int_equal(d.info.rows, 3);
	assert_int_equal(d.info.input_lines, 11);
	assert_text(&d.file[DF_STATUS], "a: b\nc: ctl\033[31m mid\nn: x y\n\n");
	assert_true(d.info.binary);	/* a NUL byte: binary, yet the dump is used */
	dump_free(&d);
}

/* A dump larger than DUMP_MAX_BYTES is refused, and memory stays bounded. */
static void test_too_large(void **state)
{
	size_t line = 4000, n = DUMP_MAX_BYTES / line + 2, i, len = 0;
	char *log = malloc(n * (line + 40) + 200);
	struct dump d;

	(void)state;
	assert_non_null(log);
	len += (size_t)sprintf(log, "oomtrace: dump 1 begin format=1\n");
	for (i = 0; i < n; i++) {
		len += (size_t)sprintf(log + len, "oomtrace: dump 1 events ");
		memset(log + len, 'x', line);
		len += line;
		log[len++] = '\n';
	}
	len += (size_t)sprintf(log + len, "oomtrace: dump 1 end lines=%zu\n", n);
	scan(&d, log, len, 65536);
	assert_false(d.found);
	assert_int_equal(d.info.last_bad.flaw, DUMP_BIG);
	assert_int_equal(d.info.last_bad.seen, n);
	dump_free(&d);
	free(log);
}

static void test_not_a_log(void **state)
{
	struct dump d;

	(void)state;
	scan_fixture(&d, "binary.bin", 0);
	assert_false(d.found);
	assert_true(d.info.binary);
	dump_free(&d);
	scan_fixture(&d, "garbage.log", 0);
	assert_false(d.found);
	assert_false(d.info.binary);
	assert_int_equal(d.info.nbad, 0);
	assert_int_equal(d.info.input_lines, 9);
	dump_free(&d);
	scan_fixture(&d, "empty.log", 0);
	assert_false(d.found);
	assert_int_equal(d.info.input_lines, 0);
	dump_free(&d);
}

/* Where "lines=NN" of the end line ends. */
static size_t end_of_dump(const char *log)
{
	const char *e = strstr(log, " end lines=");

	assert_non_null(e);
	return (size_t)(e - log) + 13;
}

/* Every prefix of a log: never a crash; found once the end line is in. */
static void test_every_prefix(void **state)
{
	static const char *const names[] = { DM "oom-crash.log", DM "busy.log" };
	size_t f, n;

	(void)state;
	for (f = 0; f < N(names); f++) {
		size_t len;
		char *log = NULL;
		size_t at;

		assert_int_equal(read_file(names[f], &log, &len, 1 << 20), 0);
		at = end_of_dump(log);

		for (n = 0; n <= len; n++) {
			char *cut = malloc(n ? n : 1);
			struct dump d;

			memcpy(cut, log, n);
			scan(&d, cut, n, 0);
			assert_int_equal(d.found, n >= at);
			dump_free(&d);
			free(cut);
		}
		free(log);
	}
}

/* ---- the snapshot of a dump ---- */

static void test_snapshot(void **state)
{
	struct dump d;
	struct snap s;
	char err[OT_ERRLEN];
	int found;

	(void)state;
	scan_fixture(&d, "oom-journal.log", 0);
	assert_int_equal(snap_from_dump(&s, &d, "j.log", NULL, err, sizeof(err)), 0);
	assert_true(s.src.dump);
	assert_false(s.src.live);
	assert_string_equal(s.src.label, "j.log");
	assert_int_equal(s.dump.seq, 1);
	assert_int_equal(s.modules.nrows, 5);
	assert_int_equal(s.slabs.nrows, 3);
	assert_int_equal(s.callsites.nrows, 3);
	assert_int_equal(s.modslabs.nrows, 3);
	assert_false(s.vm.present);
	assert_true(s.modules.absent & (1u << MO_VMALLOC_BYTES));
	assert_int_equal(s.ev.n, 2);
	assert_int_equal(s.ev.ev[1].nmods, 2);
	assert_int_equal(meminfo_kb(&s.mi, "Slab", &found), 490000);
	assert_true(found);
	meminfo_kb(&s.mi, "MemAvailable", &found);
	assert_false(found);
	snap_free(&s);
	dump_free(&d);

	scan_fixture(&d, "busy.log", 0);
	assert_int_equal(snap_from_dump(&s, &d, "b.log", NULL, err, sizeof(err)), 0);
	assert_false(s.ev.present);
	assert_non_null(strstr(s.events_err, "'# events busy'"));
	snap_free(&s);
	dump_free(&d);

	scan_fixture(&d, "lab.log", 0);
	assert_int_equal(snap_from_dump(&s, &d, "l.log", NULL, err, sizeof(err)), 0);
	assert_false(s.mi.present);
	assert_false(s.modslabs.present);
	assert_string_equal(s.events_err, "dump 1 has no events lines");
	snap_free(&s);
	dump_free(&d);
}

/* One dump with these file lines ("WHAT TEXT\n" each) into a snapshot. */
static int snap_of(struct snap *s, const char *lines, char *err, size_t errlen, FILE *warn)
{
	char log[4096];
	const char *p;
	size_t len = 0, n = 0;
	struct dump d;
	int r;

	len += (size_t)sprintf(log, "oomtrace: dump 7 begin format=1 reason=control rows=10\n");
	for (p = lines; *p; n++) {
		const char *nl = strchr(p, '\n');

		len += (size_t)sprintf(log + len, "oomtrace: dump 7 %.*s\n", (int)(nl - p), p);
		p = nl + 1;
	}
	len += (size_t)sprintf(log + len, "oomtrace: dump 7 end lines=%zu\n", n);
	scan(&d, log, len, 0);
	r = snap_from_dump(s, &d, "t.log", warn, err, errlen);
	dump_free(&d);
	return r;
}

static void test_snapshot_errors(void **state)
{
	static const struct {
		const char *lines, *err;
	} bad[] = {
		{ "modules # oomtrace modules format=1 mode=exact\n", "t.log: dump 7 has no status lines" },
		{ "status format: 2\n", "t.log: dump 7 status: unsupported format '2'" },
		{ "status version: 1\n", "t.log: dump 7 status: no 'format:' line" },
		{ "status format: 1\nslabs # oomtrace slabs format=3 mode=exact\n",
		  "t.log: dump 7 slabs: unsupported slabs format '3'" },
		{ "status format: 1\nevents # oomtrace events format=4\n",
		  "t.log: dump 7 events: unsupported events format '4'" },
	};
	char err[OT_ERRLEN], *w = NULL;
	size_t i, wlen = 0;
	struct snap s;
	FILE *warn;
	int found;

	(void)state;
	for (i = 0; i < N(bad); i++) {
		err[0] = 0;
		assert_int_equal(snap_of(&s, bad[i].lines, err, sizeof(err), NULL), -1);
		if (strncmp(err, bad[i].err, strlen(bad[i].err)))
			fail_msg("case %zu: '%s', wanted '%s'", i, err, bad[i].err);
	}
	/* malformed parts: a warning, the part not available */
	warn = open_memstream(&w, &wlen);
	assert_int_equal(snap_of(&s, "status format: 1\nmodules leaker live 1\n"
				 "events event seq=1\nmeminfo SUnreclaim: 5 kB\n",
				 err, sizeof(err), warn), 0);
	fclose(warn);
	assert_string_equal(w, "oomtrace: warning: t.log: dump 7 modules: not an oomtrace modules file (no '# oomtrace modules format=1' line) (ignored)\n");
	assert_false(s.modules.present);
	assert_false(s.ev.present);
	assert_string_equal(s.events_err,
			    "dump 7 events: not an oomtrace events file (no '# oomtrace events format=1' line)");
	assert_true(s.mi.present);
	meminfo_kb(&s.mi, "Slab", &found);	/* no SReclaimable: no Slab either */
	assert_false(found);
	snap_free(&s);
	free(w);
}

static void test_load_errors(void **state)
{
	static const struct {
		const char *path, *err;
	} cases[] = {
		{ DM "nonexistent.log", DM "nonexistent.log: No such file or directory" },
		{ DM, DM ": read error: Is a directory" },
		{ DM "empty.log", DM "empty.log: empty: no oomtrace dump" },
		{ DM "binary.bin", DM "binary.bin: binary data, not a kernel log: no oomtrace dump" },
		{ DM "garbage.log", DM "garbage.log: no oomtrace dump (no 'oomtrace: dump N begin' line in 9 lines)" },
		{ DM "only-truncated.log", DM "only-truncated.log: no complete oomtrace dump: dump 2 is truncated (15 lines, no end line); 1 more incomplete before it" },
		{ DM "badformat.log", DM "badformat.log: dump 1: unsupported dump format 2: this oomtrace understands format 1 only (upgrade the tool)" },
	};
	char err[OT_ERRLEN + OT_PATH];
	struct snap s;
	size_t i;

	(void)state;
	for (i = 0; i < N(cases); i++) {
		assert_int_equal(snap_load_dump(&s, cases[i].path, err, sizeof(err)), -1);
		assert_string_equal(err, cases[i].err);
	}
	assert_int_equal(snap_load_dump(&s, DM "longline.log", err, sizeof(err)), 0);
	assert_int_equal(s.dump.seq, 1);
	snap_free(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_styles),
		cmocka_unit_test(test_pieces),
		cmocka_unit_test(test_incomplete),
		cmocka_unit_test(test_boots),
		cmocka_unit_test(test_newer),
		cmocka_unit_test(test_open_limit),
		cmocka_unit_test(test_rows_busy),
		cmocka_unit_test(test_duration),
		cmocka_unit_test(test_line_damage),
		cmocka_unit_test(test_too_large),
		cmocka_unit_test(test_not_a_log),
		cmocka_unit_test(test_every_prefix),
		cmocka_unit_test(test_snapshot),
		cmocka_unit_test(test_snapshot_errors),
		cmocka_unit_test(test_load_errors),
	};

	return cmocka_run_group_tests_name("dump", tests, NULL, NULL);
}
