// SPDX-License-Identifier: GPL-2.0
/*
 * test_parse.c - the parsers on fixture snapshots: tables, status, events,
 * meminfo, vmallocinfo; malformed and truncated input never crashes.
 */
#include "helpers.h"
#include "banner.h"
#include "events.h"
#include "meminfo.h"
#include "slabinfo.h"
#include "status.h"
#include "table.h"
#include "vmalloc.h"
#include "schema.h"

static void test_numbers(void **state)
{
	uint64_t u;
	int64_t s;

	(void)state;
	assert_int_equal(parse_u64("0", &u), 0);
	assert_int_equal(u, 0);
	assert_int_equal(parse_u64("18446744073709551615", &u), 0);
	assert_true(u == UINT64_MAX);
	assert_int_equal(parse_u64("18446744073709551616", &u), -1);
	assert_int_equal(parse_u64("", &u), -1);
	assert_int_equal(parse_u64("-1", &u), -1);
	assert_int_equal(parse_u64("12a", &u), -1);
	assert_int_equal(parse_u64("0x10", &u), -1);
	assert_int_equal(parse_u64(" 1", &u), -1);
	assert_int_equal(parse_s64("-1000", &s), 0);
	assert_true(s == -1000);
	assert_int_equal(parse_s64("+5", &s), 0);
	assert_true(s == 5);
	assert_int_equal(parse_s64("-9223372036854775808", &s), 0);
	assert_true(s == INT64_MIN);
	assert_int_equal(parse_s64("9223372036854775808", &s), -1);
	assert_int_equal(parse_s64("-", &s), -1);
}

static void test_modules_table(void **state)
{
	struct table t;
	size_t len;
	char *buf = fixture("healthy/modules", &len);
	char err[OT_ERRLEN];

	(void)state;
	assert_int_equal(table_parse(&t, &tab_modules, buf, len, err, sizeof(err)), 0);
	assert_int_equal(t.nrows, 5);
	assert_int_equal(t.format, 1);
	assert_string_equal(t.mode, "exact");
	assert_int_equal(t.bad, 0);
	assert_int_equal(t.missing_cols, 0);
	assert_string_equal(t.rows[0].s[MO_MODULE], "[kernel]");
	assert_string_equal(t.rows[0].s[MO_STATE], "live");
	assert_int_equal(t.rows[0].v[MO_LIVE_BYTES], 3102720);
	assert_int_equal(t.rows[2].v[MO_PAGE_BYTES], 204800);
	/* vmalloc_bytes is computed, not in the file */
	assert_true(t.absent & (1u << MO_VMALLOC_BYTES));
	table_free(&t);
	free(buf);
}

static void test_slabs_and_callsites(void **state)
{
	struct table t;
	size_t len;
	char *buf = fixture("oom/slabs", &len);

	(void)state;
	assert_int_equal(table_parse(&t, &tab_slabs, buf, len, NULL, 0), 0);
	assert_int_equal(t.nrows, 3);
	assert_string_equal(t.rows[0].s[SL_CACHE], "kmalloc-1k");
	assert_int_equal(t.rows[0].v[SL_OBJSIZE], 1024);
	assert_string_equal(t.rows[0].s[SL_TOP_MODULE], "bigcache");
	table_free(&t);
	free(buf);

	buf = fixture("oom/callsites", &len);
	assert_int_equal(table_parse(&t, &tab_callsites, buf, len, NULL, 0), 0);
	assert_int_equal(t.nrows, 3);
	assert_string_equal(t.rows[1].s[CS_CALLSITE], "leaker_grow+0x2f/0x90");
	assert_string_equal(t.rows[1].s[CS_MODULE], "leaker");
	table_free(&t);
	free(buf);
}

/* Columns found by name in any order; unknown columns and extra fields ignored. */
static void test_column_mapping(void **state)
{
	struct table t;
	size_t len;
	char *buf = fixture("junkrows/slabs", &len);

	(void)state;
	assert_int_equal(table_parse(&t, &tab_slabs, buf, len, NULL, 0), 0);
	assert_int_equal(t.nrows, 1);
	assert_int_equal(t.rows[0].v[SL_LIVE_BYTES], 1000);
	assert_int_equal(t.rows[0].v[SL_OBJSIZE], 64);
	assert_int_equal(t.missing_cols, 5);
	assert_true(t.absent & (1u << SL_ALLOCS));
	assert_false(t.absent & (1u << SL_LIVE_BYTES));
	assert_string_equal(t.rows[0].s[SL_TOP_MODULE], "-");
	table_free(&t);
	free(buf);
}

/* Short rows, overflowing and hex numbers are skipped and counted. */
static void test_bad_rows(void **state)
{
	struct table t;
	size_t len;
	char *buf = fixture("junkrows/modules", &len);

	(void)state;
	assert_int_equal(table_parse(&t, &tab_modules, buf, len, NULL, 0), 0);
	assert_int_equal(t.nrows, 3);
	assert_int_equal(t.bad, 3);
	assert_string_equal(t.rows[0].s[0], "good");
	assert_string_equal(t.rows[1].s[0], "neg");	/* -1 counts as 0 */
	assert_int_equal(t.rows[1].v[MO_ALLOCS], 0);
	assert_string_equal(t.rows[2].s[0], "good2");
	assert_int_equal(t.rows[2].v[MO_LIVE_BYTES], 8192);
	table_free(&t);
	free(buf);

	/* an overlong line is malformed, the next one is fine */
	buf = fixture("junkrows/callsites", &len);
	assert_int_equal(table_parse(&t, &tab_callsites, buf, len, NULL, 0), 0);
	assert_int_equal(t.nrows, 1);
	assert_int_equal(t.bad, 1);
	table_free(&t);
	free(buf);
}

static void test_table_errors(void **state)
{
	struct table t;
	char err[OT_ERRLEN];
	static const char fmt2[] = "# oomtrace slabs format=2 mode=exact\n# cache live_bytes\nx 1\n";
	static const char wrong[] = "# oomtrace modules format=1\n# module live_bytes\nx 1\n";
	static const char nocols[] = "# oomtrace slabs format=1\nx 1 2 3\n";
	static const char noformat[] = "# oomtrace slabs mode=exact\n# cache live_bytes\nx 1\n";
	static const char nohash[] = "kmalloc-64 64 1 1 1 64 64 -\n";
	static const char crlf[] = "# oomtrace slabs format=1 mode=exact\r\n# cache live_bytes\r\nx 7\r\n";

	(void)state;
	assert_int_equal(table_parse(&t, &tab_slabs, fmt2, sizeof(fmt2) - 1, err, sizeof(err)),
			 OT_EFORMAT);
	assert_non_null(strstr(err, "unsupported"));
	assert_non_null(strstr(err, "format=1"));
	assert_int_equal(table_parse(&t, &tab_slabs, wrong, sizeof(wrong) - 1, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "expected"));
	assert_int_equal(table_parse(&t, &tab_slabs, nocols, sizeof(nocols) - 1, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "column header"));
	assert_int_equal(table_parse(&t, &tab_slabs, noformat, sizeof(noformat) - 1, err,
				     sizeof(err)), -1);
	assert_int_equal(table_parse(&t, &tab_slabs, nohash, sizeof(nohash) - 1, err, sizeof(err)), -1);
	assert_int_equal(table_parse(&t, &tab_slabs, "", 0, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "empty"));
	assert_int_equal(table_parse(&t, &tab_slabs, crlf, sizeof(crlf) - 1, err, sizeof(err)), 0);
	assert_int_equal(t.nrows, 1);
	assert_int_equal(t.rows[0].v[SL_LIVE_BYTES], 7);
	table_free(&t);
}

/* A file cut in the middle of a line loses that line only. */
static void test_truncated_table(void **state)
{
	struct table t;
	size_t len;
	char *buf = fixture("truncated/modules", &len);

	(void)state;
	assert_int_equal(table_parse(&t, &tab_modules, buf, len, NULL, 0), 0);
	assert_int_equal(t.bad, 1);
	assert_int_equal(t.nrows, 1);
	table_free(&t);
	free(buf);
}

/* Embedded NUL bytes do not cut the buffer short or crash. */
static void test_nul_bytes(void **state)
{
	static const char data[] = "# oomtrace slabs format=1\n# cache live_bytes\na\0b 5\nc 6\n";
	struct table t;

	(void)state;
	assert_int_equal(table_parse(&t, &tab_slabs, data, sizeof(data) - 1, NULL, 0), 0);
	assert_int_equal(t.nrows, 1);	/* "a b 5": live_bytes is "b", skipped */
	assert_int_equal(t.bad, 1);
	table_free(&t);
}

static void test_status(void **state)
{
	struct status st;
	size_t len;
	char *buf = fixture("junkrows/status", &len);
	char err[OT_ERRLEN];

	(void)state;
	assert_int_equal(status_parse(&st, buf, len, err, sizeof(err)), 0);
	assert_int_equal(st.format, 1);
	assert_string_equal(status_get(&st, "version"), "0.1.0");
	assert_string_equal(status_get(&st, "kernel"), "6.1.0-28-amd64");
	assert_string_equal(status_get(&st, "new_key"), "some value");
	assert_true(status_u64(&st, "capacity") == 1048576);
	assert_true(status_u64(&st, "kernel") == 0);
	assert_null(status_get(&st, "nope"));
	assert_int_equal(st.bad, 1);
	status_free(&st);
	free(buf);

	buf = fixture("badformat/status", &len);
	assert_int_equal(status_parse(&st, buf, len, err, sizeof(err)), OT_EFORMAT);
	assert_non_null(strstr(err, "unsupported format '2'"));
	free(buf);

	buf = fixture("garbage/status", &len);
	assert_int_equal(status_parse(&st, buf, len, err, sizeof(err)), -1);
	free(buf);
	assert_int_equal(status_parse(&st, "", 0, err, sizeof(err)), -1);
	assert_int_equal(status_parse(&st, "version: 1\n", 11, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "format"));
}

static void test_events(void **state)
{
	struct events ev;
	size_t len;
	char *buf = fixture("oom/events", &len);
	char err[OT_ERRLEN];
	const struct event *e;

	(void)state;
	assert_int_equal(events_parse(&ev, buf, len, err, sizeof(err)), 0);
	assert_int_equal(ev.n, 2);
	assert_int_equal(ev.bad, 0);
	e = &ev.ev[0];
	assert_int_equal(e->seq, 1);
	assert_string_equal(e->kind, "global");
	assert_string_equal(e->time, "123.456789");
	assert_true(e->t > 123.4567 && e->t < 123.4568);
	assert_int_equal(e->free_kb, 2100);
	assert_int_equal(e->tracked_bytes, 460000000);
	assert_int_equal(e->nmods, 4);
	assert_int_equal(e->ncaches, 1);
	assert_string_equal(e->mods[2].name, "[kernel]");
	assert_true(e->mods[2].delta_bytes == -1000);
	e = &ev.ev[1];
	assert_string_equal(e->kind, "victim");
	assert_string_equal(e->comm, "hog");
	assert_int_equal(e->pid, 123);
	assert_int_equal(e->rss_kb, 180000);
	assert_int_equal(e->nmods, 2);
	assert_int_equal(e->ncaches, 2);	/* the callsite line is ignored */
	assert_true(e->caches[1].delta_bytes == -4096);
	events_free(&ev);
	free(buf);
}

static void test_events_malformed(void **state)
{
	struct events ev;
	size_t len;
	char *buf = fixture("junkrows/events", &len);
	char err[OT_ERRLEN];

	(void)state;
	assert_int_equal(events_parse(&ev, buf, len, err, sizeof(err)), 0);
	assert_int_equal(ev.n, 2);
	/* orphan entry, bad seq, bad live_bytes, entry without name */
	assert_int_equal(ev.bad, 4);
	assert_int_equal(ev.ev[0].nmods, 1);
	assert_string_equal(ev.ev[0].mods[0].name, "b");
	assert_true(ev.ev[0].mods[0].delta_bytes == INT64_MIN);
	assert_true(ev.ev[0].caches[0].live_bytes == UINT64_MAX);
	events_free(&ev);
	free(buf);

	buf = fixture("badevents/events", &len);
	assert_int_equal(events_parse(&ev, buf, len, err, sizeof(err)), OT_EFORMAT);
	free(buf);
	assert_int_equal(events_parse(&ev, "", 0, err, sizeof(err)), -1);
	assert_int_equal(events_parse(&ev, "event seq=1\n", 12, err, sizeof(err)), -1);
	assert_int_equal(events_parse(&ev, "# oomtrace events format=1\n", 27, err, sizeof(err)), 0);
	assert_int_equal(ev.n, 0);
	events_free(&ev);
}

/* The module's own output: "-" for values not known, the totals header line. */
static void test_events_real(void **state)
{
	struct events ev;
	size_t len;
	char *buf = fixture("real/events", &len);
	char err[OT_ERRLEN];

	(void)state;
	assert_int_equal(events_parse(&ev, buf, len, err, sizeof(err)), 0);
	assert_int_equal(ev.n, 3);
	assert_int_equal(ev.bad, 0);
	assert_true(ev.have_total);
	assert_int_equal(ev.total, 5);
	assert_int_equal(ev.dropped, 2);
	/* global: no victim */
	assert_false(ev.ev[0].known & (EV_PID | EV_ADJ | EV_RSS));
	assert_true(ev.ev[0].known & EV_FREE);
	assert_int_equal(ev.ev[0].dropped_events, 2);
	assert_true((ev.ev[1].known & 0xff) == 0xff);
	assert_true(ev.ev[1].oom_score_adj == 1000);
	/* pending: the summary is not known, no module lines */
	assert_int_equal(ev.ev[2].known, EV_PID | EV_ADJ);
	assert_int_equal(ev.ev[2].nmods, 0);
	events_free(&ev);
	free(buf);
}

/* Tables print signed values: a transient negative counts as 0, not a bad row. */
static void test_negative_values(void **state)
{
	struct table t;
	size_t len;
	char *buf = fixture("real/modules", &len);
	uint64_t u;

	(void)state;
	assert_int_equal(table_parse(&t, &tab_modules, buf, len, NULL, 0), 0);
	assert_int_equal(t.nrows, 4);
	assert_int_equal(t.bad, 0);
	assert_string_equal(t.rows[3].s[0], "racy");
	assert_int_equal(t.rows[3].v[MO_LIVE_BYTES], 0);
	table_free(&t);
	free(buf);
	assert_int_equal(parse_value("-5", &u), 0);
	assert_int_equal(u, 0);
	assert_int_equal(parse_value("--5", &u), -1);
	assert_int_equal(parse_value("-", &u), -1);
}

static void test_meminfo(void **state)
{
	struct meminfo m;
	size_t len;
	char *buf = fixture("oom/meminfo", &len);
	int found;

	(void)state;
	assert_int_equal(meminfo_parse(&m, buf, len), 0);
	assert_true(meminfo_kb(&m, "MemTotal", &found) == 2014244);
	assert_true(found);
	assert_true(meminfo_kb(&m, "SUnreclaim", NULL) == 460000);
	assert_true(meminfo_kb(&m, "Nope", &found) == 0);
	assert_false(found);
	meminfo_free(&m);
	free(buf);
}

static void test_vmalloc_fold(void **state)
{
	struct vmfold vf;
	size_t len;
	char *buf = fixture("oom/vmallocinfo", &len);

	(void)state;
	assert_int_equal(vmalloc_fold(&vf, buf, len), 0);
	/* pages= counts, not the size (which includes the guard page) */
	assert_true(vmfold_bytes(&vf, "drbd") == 2 * 4 * 4096);
	assert_true(vmfold_bytes(&vf, "e1000") == 4096);
	assert_true(vmfold_bytes(&vf, "[kernel]") == 4 * 4096);	/* ioremap, vmap: not counted */
	assert_true(vmfold_bytes(&vf, "nope") == 0);
	assert_true(vf.total == 13 * 4096);
	assert_int_equal(vf.n, 3);
	vmfold_free(&vf);
	free(buf);
}

static void test_vmalloc_pages(void **state)
{
	/* as 6.1 prints them; the last two are odd: no pages= yet, and a pages= beyond the size */
	static const char vi[] =
		"0xffffc90000b65000-0xffffc90000b69000   16384 leaker_cmd+0x315/0xb30 [leaker] pages=3 vmalloc N0=3\n"
		"0xffffc90000b69000-0xffffc90000b6b000    8192 leaker_cmd+0x315/0xb30 [leaker] pages=1 vmalloc N0=1\n"
		"0xffffc90000c00000-0xffffc90000cf6000 1007616 leaker_cmd+0x315/0xb30 [leaker] pages=245 vmalloc vpages N0=245\n"
		"0xffffc90000d00000-0xffffc90000d02000    8192 x+0x1/0x2 [setup] vmalloc\n"
		"0xffffc90000e00000-0xffffc90000e02000    8192 x+0x1/0x2 [huge] pages=99999999999999999 vmalloc\n"
		"0xffffc90000f00000-0xffffc90000f02000    8192 x+0x1/0x2 [bad] pages=3x vmalloc\n";
	struct vmfold vf;

	(void)state;
	assert_int_equal(vmalloc_fold(&vf, vi, sizeof(vi) - 1), 0);
	assert_true(vmfold_bytes(&vf, "leaker") == (3 + 1 + 245) * 4096);
	assert_true(vmfold_bytes(&vf, "setup") == 0);
	assert_true(vmfold_bytes(&vf, "huge") == 8192);	/* bounded by the size */
	assert_true(vmfold_bytes(&vf, "bad") == 0);
	assert_int_equal(vf.n, 4);
	assert_int_equal(vf.bad, 0);
	vmfold_free(&vf);
}

/*
 * Two reads of a live vmallocinfo agree when every module has the same areas
 * and bytes; [kernel]'s churn does not count, a module's skipped area does.
 */
static void test_vmalloc_same(void **state)
{
	static const char a[] =
		"0x1-0x2 16384 f+0x1/0x2 [drbd] pages=3 vmalloc N0=3\n"
		"0x3-0x4 8192 g+0x1/0x2 pages=1 vmalloc N0=1\n"
		"0x5-0x6 8192 h+0x1/0x2 [bonding] pages=1 vmalloc N0=1\n";
	static const char kernel_churn[] =
		"0x1-0x2 16384 f+0x1/0x2 [drbd] pages=3 vmalloc N0=3\n"
		"0x5-0x6 8192 h+0x1/0x2 [bonding] pages=1 vmalloc N0=1\n"
		"0x7-0x8 8192 g+0x1/0x2 pages=1 vmalloc N0=1\n"
		"0x9-0xa 8192 g+0x1/0x2 pages=1 vmalloc N0=1\n";
	static const char skipped[] =
		"0x1-0x2 16384 f+0x1/0x2 [drbd] pages=3 vmalloc N0=3\n"
		"0x3-0x4 8192 g+0x1/0x2 pages=1 vmalloc N0=1\n";
	struct vmfold x, y, z;

	(void)state;
	assert_int_equal(vmalloc_fold(&x, a, sizeof(a) - 1), 0);
	assert_int_equal(vmalloc_fold(&y, kernel_churn, sizeof(kernel_churn) - 1), 0);
	assert_int_equal(vmalloc_fold(&z, skipped, sizeof(skipped) - 1), 0);
	assert_true(vmfold_same_modules(&x, &y));
	assert_false(vmfold_same_modules(&x, &z));
	assert_false(vmfold_same_modules(&z, &x));
	assert_true(vmfold_same_modules(&z, &z));
	vmfold_free(&x);
	vmfold_free(&y);
	vmfold_free(&z);
}

/* /proc/slabinfo: every cache, sorted by name, its bytes in use and in slab pages. */
static void test_slabinfo(void **state)
{
	static const char bad[] =
		"slabinfo - version: 2.1\n"
		"# name <active_objs> ...\n"
		"ok 10 16 256 16 1 : tunables 0 0 0 : slabdata 1 1 0\n"
		"short 10 16 256 16 1 : tunables 0 0 0 : slabdata 1\n"
		"nocolon 10 16 256 16 1 tunables 0 0 0 : slabdata 1 1 0 0\n"
		"neg -1 16 256 16 1 : tunables 0 0 0 : slabdata 1 1 0\n"
		"huge 18446744073709551615 16 256 16 1 : tunables 0 0 0 : slabdata 1 1 0\n"
		"cut 10 16 256 16 1 : tunables 0 0 0 : slabdata 1 1 0";
	struct table t;
	struct row *r;
	size_t len;
	char *buf = fixture("kernel/slabinfo", &len);

	(void)state;
	assert_int_equal(slabinfo_parse(&t, buf, len), 0);
	assert_true(t.present);
	assert_int_equal(t.nrows, 6);
	assert_int_equal(t.bad, 0);
	assert_string_equal(t.rows[0].s[SI_CACHE], "dentry");	/* sorted by name */
	assert_string_equal(t.rows[5].s[SI_CACHE], "shmem_inode_cache");
	r = slabinfo_find(&t, "shmem_inode_cache");
	assert_non_null(r);
	assert_true(r->v[SI_OBJSIZE] == 768 && r->v[SI_ACTIVE_OBJS] == 4100000);
	assert_true(r->v[SI_NUM_OBJS] == 4101300 && r->v[SI_NUM_SLABS] == 195300);
	assert_true(r->v[SI_INUSE_BYTES] == 4100000ULL * 768);
	assert_true(r->v[SI_SLAB_BYTES] == 195300ULL * 4 * 4096);	/* 4 pages a slab */
	assert_null(slabinfo_find(&t, "nope"));
	assert_null(slabinfo_find(&t, "dentr"));
	assert_true(t.absent & 1u << SI_TRACKED_BYTES);	/* the caller's to fill in */
	table_free(&t);
	free(buf);

	assert_int_equal(slabinfo_parse(&t, bad, sizeof(bad) - 1), 0);
	assert_int_equal(t.nrows, 2);	/* ok, and huge (its bytes saturate) */
	assert_int_equal(t.bad, 4);
	r = slabinfo_find(&t, "huge");
	assert_true(r && r->v[SI_INUSE_BYTES] == UINT64_MAX);
	table_free(&t);
	/* not slabinfo, or a version not known: refused */
	assert_int_equal(slabinfo_parse(&t, "", 0), -1);
	assert_int_equal(slabinfo_parse(&t, "slabinfo - version: 1.1\n", 24), -1);
	assert_int_equal(slabinfo_parse(&t, "# oomtrace slabs format=1\n", 26), -1);
	assert_false(t.present);
}

/* /proc/zoneinfo: the pages of every per-CPU list, summed */
static void test_zoneinfo(void **state)
{
	static const char odd[] = "  pagesets\n    cpu: 0\n  count: 7\ncount:3\n count: x\n"
				  " count: 5 pages\n count: -4\ncount: 18446744073709551615\n";
	uint64_t n;
	size_t len;
	char *buf = fixture("kernel/zoneinfo", &len);

	(void)state;
	assert_int_equal(zoneinfo_pcp_pages(buf, len, &n), 0);
	assert_true(n == 1000);
	free(buf);
	assert_int_equal(zoneinfo_pcp_pages(odd, sizeof(odd) - 1, &n), 0);
	assert_true(n == 10);	/* 7 and 3; not x, "5 pages", -4 nor the number too long */
	assert_int_equal(zoneinfo_pcp_pages("MemTotal: 1 kB\n", 15, &n), -1);
	assert_int_equal(zoneinfo_pcp_pages("", 0, &n), -1);
	assert_true(n == 0);
}

/* slab_reclaim: CACHE 0|1, looked up by name. */
static void test_reclaim(void **state)
{
	static const char bad[] = "# comment\nb 1\na 0\nc 2\nd\ne 1 x\nf -1\n\na 1\ng 1";
	struct reclaim r;
	size_t len;
	char *buf = fixture("kernel/slab_reclaim", &len);

	(void)state;
	assert_int_equal(reclaim_parse(&r, buf, len), 0);
	assert_int_equal(r.n, 7);
	assert_int_equal(reclaim_of(&r, "dentry"), 1);
	assert_int_equal(reclaim_of(&r, "kmalloc-32"), 0);
	assert_int_equal(reclaim_of(&r, "kmalloc-64"), -1);
	reclaim_free(&r);
	free(buf);
	assert_int_equal(reclaim_parse(&r, bad, sizeof(bad) - 1), 0);
	assert_int_equal(r.n, 3);	/* b, a, and a again (the first one wins) */
	assert_int_equal(r.bad, 5);	/* c 2, d, e 1 x, f -1, g 1 without its newline */
	assert_int_equal(reclaim_of(&r, "a"), 0);
	assert_int_equal(reclaim_of(&r, "b"), 1);
	assert_int_equal(reclaim_of(&r, "c"), -1);
	reclaim_free(&r);
}

/* Every parser on every fixture file, and on every prefix of some: no crash. */
static void parse_all(const char *data, size_t len)
{
	const struct tabdef *defs[] = { &tab_slabs, &tab_modules, &tab_callsites, &tab_modslabs };
	struct table t;
	struct status st;
	struct events ev;
	struct meminfo m;
	struct vmfold vf;
	struct reclaim rc;
	char err[OT_ERRLEN];
	uint64_t u;
	size_t i;

	for (i = 0; i < 4; i++)
		if (!table_parse(&t, defs[i], data, len, err, sizeof(err)))
			table_free(&t);
	if (!status_parse(&st, data, len, err, sizeof(err)))
		status_free(&st);
	if (!events_parse(&ev, data, len, err, sizeof(err)))
		events_free(&ev);
	if (!meminfo_parse(&m, data, len))
		meminfo_free(&m);
	if (!vmalloc_fold(&vf, data, len))
		vmfold_free(&vf);
	if (!slabinfo_parse(&t, data, len))
		table_free(&t);
	if (!reclaim_parse(&rc, data, len))
		reclaim_free(&rc);
	zoneinfo_pcp_pages(data, len, &u);
}

static void test_all_fixtures_all_parsers(void **state)
{
	static const char *const dirs[] = { "healthy", "leaking", "oom", "odd", "minimal",
		"badformat", "badheader", "badevents", "truncated", "junkrows", "garbage", "empty",
		"emptytables", "real", "dups", "lab", "kernel" };
	static const char *const files[] = { "status", "slabs", "modules", "callsites",
		"module_slabs", "events", "meminfo", "vmallocinfo", "slabinfo", "slab_reclaim", "zoneinfo" };
	size_t d, f;

	(void)state;
	for (d = 0; d < sizeof(dirs) / sizeof(dirs[0]); d++)
		for (f = 0; f < sizeof(files) / sizeof(files[0]); f++) {
			char p[256], *buf;
			size_t len;

			snprintf(p, sizeof(p), FIX "%s/%s", dirs[d], files[f]);
			if (read_file(p, &buf, &len, 1 << 24))
				continue;
			parse_all(buf, len);
			free(buf);
		}
}

static void test_every_prefix(void **state)
{
	static const char *const files[] = { "oom/events", "oom/modules", "oom/status",
		"odd/slabs", "oom/vmallocinfo", "kernel/slabinfo", "kernel/slab_reclaim", "kernel/zoneinfo" };
	size_t f, n;

	(void)state;
	for (f = 0; f < sizeof(files) / sizeof(files[0]); f++) {
		size_t len;
		char *buf = fixture(files[f], &len);

		for (n = 0; n <= len; n++) {
			/* an exact-size heap copy, so valgrind sees any overread */
			char *cut = malloc(n ? n : 1);

			memcpy(cut, buf, n);
			parse_all(cut, n);
			free(cut);
		}
		free(buf);
	}
}

/* The schema's file columns, in order, are the module's column lines. */
static void check_cols(const struct tabdef *t, const char *want)
{
	char got[512] = "";
	int i;

	for (i = 0; i < t->ncols; i++) {
		if (t->cols[i].computed)
			continue;
		if (*got)
			strcat(got, " ");
		strcat(got, t->cols[i].name);
	}
	assert_string_equal(got, want);
}

/* "# partial allocs=A dropped=D estimated=E lost_frees=L kernel=...": its keys, and what is not it. */
static void test_partial_line(void **state)
{
	struct partial p;
	char l1[] = "# partial allocs=1234567 dropped=35802 estimated=493827 lost_frees=1234 kernel=sampled";
	char l2[] = "#partial lost_frees=7 future=1 allocs=x kernel=maybe dropped";
	char l3[] = "#  partial\tkernel=exact";
	char no1[] = "# partially allocs=1";
	char no2[] = "# module state allocs frees live live_bytes";
	char no3[] = "# sample_bytes=65536";

	(void)state;
	assert_int_equal(parse_partial(l1, &p), 1);
	assert_int_equal(p.known, PARTIAL_ALLOCS | PARTIAL_DROPPED | PARTIAL_ESTIMATED |
			 PARTIAL_LOST_FREES | PARTIAL_KERNEL);
	assert_true(p.allocs == 1234567 && p.dropped == 35802 && p.estimated == 493827 &&
		    p.lost_frees == 1234 && p.kernel_sampled && !p.sampled);
	/* unknown keys and values that do not parse are left out */
	assert_int_equal(parse_partial(l2, &p), 1);
	assert_int_equal(p.known, PARTIAL_LOST_FREES);
	assert_true(p.lost_frees == 7 && !p.allocs && !p.dropped && !p.kernel_sampled);
	assert_int_equal(parse_partial(l3, &p), 1);
	assert_int_equal(p.known, PARTIAL_KERNEL);
	assert_false(p.kernel_sampled);
	/* other lines: not the partial line, and left as they were */
	assert_int_equal(parse_partial(no1, &p), 0);
	assert_int_equal(parse_partial(no2, &p), 0);
	assert_string_equal(no2, "# module state allocs frees live live_bytes");
	assert_int_equal(parse_partial(no3, &p), 0);
}

/* A table with and without the line, with header lines this tool does not know. */
static void test_partial_table(void **state)
{
	static const char with[] =
		"# oomtrace modules format=1 mode=sampled\n"
		"# sample_bytes=65536\n"
		"# something_new=1 from=a_newer_module\n"
		"# partial allocs=900 dropped=3 estimated=800 lost_frees=0 kernel=sampled\n"
		"# module state allocs frees live live_bytes slab_bytes page_bytes peak_bytes\n"
		"leaker live 10 0 10 40960 40960 0 40960\n";
	static const char after[] =
		"# oomtrace modules format=1 mode=exact\n"
		"# module state live_bytes\n"
		"# partial allocs=10 dropped=0 estimated=0 lost_frees=2 kernel=exact\n"
		"leaker live 4096\n";
	static const char old[] =
		"# oomtrace modules format=1 mode=exact\n"
		"# module state allocs frees live live_bytes slab_bytes page_bytes peak_bytes\n"
		"leaker live 10 0 10 40960 40960 0 40960\n"
		"# partial allocs=1 dropped=1 estimated=0 lost_frees=0 kernel=exact\n";
	struct table t;

	(void)state;
	assert_int_equal(table_parse(&t, &tab_modules, with, sizeof(with) - 1, NULL, 0), 0);
	assert_string_equal(t.mode, "sampled");
	assert_int_equal(t.nrows, 1);
	assert_int_equal(t.missing_cols, 0);
	assert_int_equal(t.rows[0].v[MO_PEAK_BYTES], 40960);
	assert_true(t.partial.allocs == 900 && t.partial.dropped == 3 &&
		    t.partial.estimated == 800 && t.partial.kernel_sampled);
	table_free(&t);
	/* after the column line, still not taken for the column line */
	assert_int_equal(table_parse(&t, &tab_modules, after, sizeof(after) - 1, NULL, 0), 0);
	assert_int_equal(t.rows[0].v[MO_LIVE_BYTES], 4096);
	assert_true(t.partial.lost_frees == 2 && t.partial.known & PARTIAL_KERNEL);
	table_free(&t);
	/* '#' lines after the data are comments; no line before it: exact */
	assert_int_equal(table_parse(&t, &tab_modules, old, sizeof(old) - 1, NULL, 0), 0);
	assert_int_equal(t.nrows, 1);
	assert_int_equal(t.partial.known, 0);
	table_free(&t);
}

/* The fixtures: every file of partial/ has the line, the older snapshots none. */
static void test_partial_fixtures(void **state)
{
	static const char *const files[] = { "modules", "slabs", "callsites", "module_slabs" };
	const struct tabdef *defs[] = { &tab_modules, &tab_slabs, &tab_callsites, &tab_modslabs };
	struct table t;
	struct events ev;
	struct status st;
	struct partial p;
	char path[64], *buf;
	size_t len, i;

	(void)state;
	for (i = 0; i < 4; i++) {
		snprintf(path, sizeof(path), "partial/%s", files[i]);
		buf = fixture(path, &len);
		assert_int_equal(table_parse(&t, defs[i], buf, len, NULL, 0), 0);
		assert_true(t.partial.allocs == 1234567 && t.partial.lost_frees == 1234);
		assert_true(t.nrows > 0);
		table_free(&t);
		free(buf);
		snprintf(path, sizeof(path), "oom/%s", files[i]);
		buf = fixture(path, &len);
		assert_int_equal(table_parse(&t, defs[i], buf, len, NULL, 0), 0);
		assert_int_equal(t.partial.known, 0);
		table_free(&t);
		free(buf);
	}
	buf = fixture("partial/events", &len);
	assert_int_equal(events_parse(&ev, buf, len, NULL, 0), 0);
	assert_true(ev.partial.estimated == 493827 && ev.partial.dropped == 35802);
	/* the totals line is still read */
	assert_true(ev.have_total && ev.total == 5 && ev.dropped == 2 && ev.n == 3);
	events_free(&ev);
	free(buf);

	buf = fixture("partial/status", &len);
	assert_int_equal(status_parse(&st, buf, len, NULL, 0), 0);
	status_partial(&st, &p);
	assert_true(p.allocs == 1234000 && p.dropped == 35800 && p.estimated == 493600 &&
		    p.lost_frees == 1234 && p.kernel_sampled && !p.sampled);
	status_free(&st);
	free(buf);
	/* an older module's status: dropped and lost_frees only */
	buf = fixture("real/status", &len);
	assert_int_equal(status_parse(&st, buf, len, NULL, 0), 0);
	status_partial(&st, &p);
	assert_int_equal(p.known, PARTIAL_DROPPED | PARTIAL_LOST_FREES);
	assert_true(p.lost_frees == 3 && !p.dropped);
	status_free(&st);
	free(buf);
	/* sampled mode: [kernel] is sampled with everything else (kernel_sampled: no) */
	buf = fixture("sampled/status", &len);
	assert_int_equal(status_parse(&st, buf, len, NULL, 0), 0);
	status_partial(&st, &p);
	assert_true(p.sampled && p.kernel_sampled && p.estimated == 33101 && !p.dropped);
	status_free(&st);
	free(buf);
}

static void test_schema_is_the_format(void **state)
{
	check_cols(&tab_slabs, OT_COLS_SLABS);
	check_cols(&tab_modules, OT_COLS_MODULES);
	check_cols(&tab_callsites, OT_COLS_CALLSITES);
	check_cols(&tab_modslabs, OT_COLS_MODULE_SLABS);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_modules_table),
		cmocka_unit_test(test_slabs_and_callsites),
		cmocka_unit_test(test_column_mapping),
		cmocka_unit_test(test_bad_rows),
		cmocka_unit_test(test_table_errors),
		cmocka_unit_test(test_truncated_table),
		cmocka_unit_test(test_nul_bytes),
		cmocka_unit_test(test_status),
		cmocka_unit_test(test_events),
		cmocka_unit_test(test_events_malformed),
		cmocka_unit_test(test_events_real),
		cmocka_unit_test(test_negative_values),
		cmocka_unit_test(test_meminfo),
		cmocka_unit_test(test_vmalloc_fold),
		cmocka_unit_test(test_vmalloc_pages),
		cmocka_unit_test(test_vmalloc_same),
		cmocka_unit_test(test_slabinfo),
		cmocka_unit_test(test_reclaim),
		cmocka_unit_test(test_zoneinfo),
		cmocka_unit_test(test_all_fixtures_all_parsers),
		cmocka_unit_test(test_every_prefix),
		cmocka_unit_test(test_partial_line),
		cmocka_unit_test(test_partial_table),
		cmocka_unit_test(test_partial_fixtures),
		cmocka_unit_test(test_schema_is_the_format),
	};

	return cmocka_run_group_tests_name("parse", tests, NULL, NULL);
}
