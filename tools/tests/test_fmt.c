// SPDX-License-Identifier: GPL-2.0
/*
 * test_fmt.c - units, alignment, JSON and Prometheus escaping, sorting, the
 * diff and its verdict, the likely-culprit rule.
 */
#include "helpers.h"
#include "culprit.h"
#include "coverage.h"
#include "diff.h"
#include "grid.h"
#include "grower.h"
#include "json.h"
#include "jsonfmt.h"
#include "partial.h"
#include "prom.h"
#include "promfmt.h"
#include "rows.h"
#include "snap.h"
#include "text.h"
#include "units.h"

/* Capture what fn writes to a FILE. */
#define CAPTURE(buf, len, stmt)                                 \
	do {                                                    \
		FILE *out = open_memstream(&(buf), &(len));     \
		assert_non_null(out);                           \
		stmt;                                           \
		fclose(out);                                    \
	} while (0)

static void test_units(void **state)
{
	char b[FMT_NUMLEN];

	(void)state;
	assert_string_equal(fmt_bytes(b, sizeof(b), 0, 0), "0 B");
	assert_string_equal(fmt_bytes(b, sizeof(b), 1023, 0), "1023 B");
	assert_string_equal(fmt_bytes(b, sizeof(b), 1024, 0), "1.0 KiB");
	assert_string_equal(fmt_bytes(b, sizeof(b), 1536, 0), "1.5 KiB");
	assert_string_equal(fmt_bytes(b, sizeof(b), 1048575, 0), "1.0 MiB");
	assert_string_equal(fmt_bytes(b, sizeof(b), 100000000, 0), "95.4 MiB");
	assert_string_equal(fmt_bytes(b, sizeof(b), 102400000, 0), "97.7 MiB");
	assert_string_equal(fmt_bytes(b, sizeof(b), 1ull << 30, 0), "1.0 GiB");
	assert_string_equal(fmt_bytes(b, sizeof(b), 5ull << 40, 0), "5.0 TiB");
	assert_string_equal(fmt_bytes(b, sizeof(b), UINT64_MAX, 0), "16.0 EiB");
	assert_string_equal(fmt_bytes(b, sizeof(b), 100000000, 1), "100000000");
	assert_string_equal(fmt_sbytes(b, sizeof(b), 0, 0), "0");
	assert_string_equal(fmt_sbytes(b, sizeof(b), -1000, 0), "-1000 B");
	assert_string_equal(fmt_sbytes(b, sizeof(b), 102400000, 0), "+97.7 MiB");
	assert_string_equal(fmt_sbytes(b, sizeof(b), -4096, 0), "-4.0 KiB");
	assert_string_equal(fmt_sbytes(b, sizeof(b), INT64_MIN, 0), "-8.0 EiB");
	assert_string_equal(fmt_sbytes(b, sizeof(b), -5, 1), "-5");
	assert_string_equal(fmt_sbytes(b, sizeof(b), 5, 1), "+5");
	assert_string_equal(fmt_s64(b, sizeof(b), 0), "0");
	assert_string_equal(fmt_pct(b, sizeof(b), 1, 4), "25.0%");
	assert_string_equal(fmt_pct(b, sizeof(b), 1, 0), "-");
	assert_string_equal(fmt_count(b, sizeof(b), 0), "0");
	assert_string_equal(fmt_count(b, sizeof(b), 999), "999");
	assert_string_equal(fmt_count(b, sizeof(b), 1000), "1.0k");
	assert_string_equal(fmt_count(b, sizeof(b), 33679), "33.7k");
	assert_string_equal(fmt_count(b, sizeof(b), 123456), "123k");
	assert_string_equal(fmt_count(b, sizeof(b), 999999), "1.0M");
	assert_string_equal(fmt_count(b, sizeof(b), 1234567), "1.2M");
	assert_string_equal(fmt_count(b, sizeof(b), UINT64_MAX), "18.4E");
}

/* text_partial() of p, in a static buffer. */
static const char *partial_line(const struct partial *p)
{
	static char line[512];
	char *buf = NULL;
	size_t len = 0;

	CAPTURE(buf, len, text_partial(out, "partial: ", p));
	snprintf(line, sizeof(line), "%s", buf);
	free(buf);
	return line;
}

/* The words of the partial line, whatever is known. */
static void test_partial_text(void **state)
{
	struct partial p = { PARTIAL_ALLOCS | PARTIAL_DROPPED | PARTIAL_ESTIMATED |
			     PARTIAL_LOST_FREES | PARTIAL_KERNEL, 1234567, 35802, 493827, 1234, 1, 0, 0 };
	struct partial q;

	(void)state;
	assert_string_equal(partial_line(&p),
			    "partial: 2.9% of 1.2M allocations dropped (table full), 40% estimated ([kernel] sampled), 0.1% frees lost\n");
	p.dropped = 0;
	p.sampled = 1;
	p.estimated = 1234560;
	p.lost_frees = 1;
	assert_string_equal(partial_line(&p),
			    "partial: >99% of 1.2M allocations estimated (sampled mode), <0.1% frees lost\n");
	p.estimated = 0;
	assert_string_equal(partial_line(&p), "partial: frees lost for <0.1% of 1.2M allocations\n");
	p.lost_frees = 0;
	assert_string_equal(partial_line(&p), "");	/* exact: nothing at all */
	/* an older module's status: no allocs_seen, no fraction */
	memset(&q, 0, sizeof(q));
	q.known = PARTIAL_DROPPED | PARTIAL_LOST_FREES;
	q.lost_frees = 3;
	assert_string_equal(partial_line(&q), "partial: 3 frees lost\n");
	q.dropped = 12;
	assert_string_equal(partial_line(&q), "partial: 12 allocations dropped (table full), 3 frees lost\n");
	/* allocs given but 0 (a reset raced the read): counts, never a division by 0 */
	q.known |= PARTIAL_ALLOCS;
	assert_string_equal(partial_line(&q), "partial: 12 allocations dropped (table full), 3 frees lost\n");
	q.allocs = 100;
	q.dropped = 100;
	q.lost_frees = 0;
	assert_string_equal(partial_line(&q), "partial: 100% of 100 allocations dropped (table full)\n");
	q.dropped = 5;
	q.estimated = 50;
	assert_string_equal(partial_line(&q), "partial: 5.0% of 100 allocations dropped (table full), 50% estimated\n");
}

/* The largest of each count; what either knows. */
static void test_partial_merge(void **state)
{
	struct partial a = { PARTIAL_DROPPED | PARTIAL_LOST_FREES, 0, 5, 0, 9, 0, 0, 0 };
	struct partial b = { PARTIAL_ALLOCS | PARTIAL_DROPPED | PARTIAL_KERNEL, 200, 7, 0, 0, 1, 0, 0 };

	(void)state;
	assert_true(partial_any(&a));
	partial_merge(&a, &b);
	assert_int_equal(a.known, PARTIAL_ALLOCS | PARTIAL_DROPPED | PARTIAL_LOST_FREES |
			 PARTIAL_KERNEL);
	assert_true(a.allocs == 200 && a.dropped == 7 && a.lost_frees == 9 && a.kernel_sampled);
	assert_true(partial_fraction(&a, 7) == 7.0 / 200);
	a.known &= ~PARTIAL_ALLOCS;
	assert_true(partial_fraction(&a, 7) < 0);
	memset(&b, 0, sizeof(b));
	b.known = PARTIAL_ALLOCS | PARTIAL_KERNEL;
	b.kernel_sampled = 1;
	assert_false(partial_any(&b));	/* as the module: dropped, estimated or lost frees */
}

/* JSON: the object only when partial, null for what is not known; Prometheus: families once. */
static void test_partial_json_prom(void **state)
{
	struct partial p = { PARTIAL_DROPPED | PARTIAL_LOST_FREES, 0, 0, 0, 3, 0, 0, 0 };
	struct partial q = { PARTIAL_ALLOCS | PARTIAL_DROPPED | PARTIAL_ESTIMATED |
			     PARTIAL_LOST_FREES | PARTIAL_KERNEL, 1000, 10, 0, 0, 0, 0, 0 };
	const struct partial *pp[2] = { &p, &q };
	static const char *const sides[] = { "base", "new" };
	char *buf = NULL, *doc;
	size_t len = 0;

	(void)state;
	CAPTURE(buf, len, json_partial(out, &p));
	assert_string_equal(buf,
			    ",\"partial\":{\"allocs\":null,\"dropped\":0,\"estimated\":null,\"lost_frees\":3,\"kernel_sampled\":null,\"sampled_mode\":false,\"dropped_fraction\":null,\"estimated_fraction\":null,\"lost_frees_fraction\":null}");
	doc = malloc(len + 16);
	assert_non_null(doc);
	snprintf(doc, len + 16, "{\"x\":1%s}", buf);
	assert_json_valid(doc, strlen(doc));
	free(doc);
	free(buf);
	CAPTURE(buf, len, json_partial(out, &q));
	assert_non_null(strstr(buf, "\"dropped_fraction\":0.01,\"estimated_fraction\":0,"));
	assert_non_null(strstr(buf, "\"kernel_sampled\":false"));
	free(buf);
	q.dropped = 0;
	CAPTURE(buf, len, json_partial(out, &q));
	assert_int_equal(len, 0);	/* exact: no "partial" key */
	free(buf);
	q.dropped = 10;
	CAPTURE(buf, len, prom_partial(out, pp, "side", sides, 2));
	assert_null(prom_check(buf, len));
	assert_non_null(strstr(buf, "oomtrace_partial{side=\"base\"} 1\noomtrace_partial{side=\"new\"} 1\n"));
	/* a count one side does not know has only the other's sample */
	assert_non_null(strstr(buf, "# TYPE oomtrace_allocs_seen_total counter\noomtrace_allocs_seen_total{side=\"new\"} 1000\n"));
	assert_non_null(strstr(buf, "oomtrace_lost_frees_total{side=\"base\"} 3\n"));
	assert_non_null(strstr(buf, "oomtrace_kernel_sampled{side=\"new\"} 0\n"));
	free(buf);
	/* probe calls missed, nothing else: still partial, and said */
	memset(&p, 0, sizeof(p));
	p.known = PARTIAL_MISSED;
	p.missed = 5;
	assert_true(partial_any(&p));
	CAPTURE(buf, len, text_partial(out, "partial: ", &p));
	assert_string_equal(buf, "partial: 5 probe calls missed (bulk allocations or frees, page splits: not counted)\n");
	free(buf);
	CAPTURE(buf, len, json_partial(out, &p));
	assert_non_null(strstr(buf, "\"missed\":5,"));
	free(buf);
}

static void test_grid_alignment(void **state)
{
	static const char *const heads[] = { "NAME", "BYTES", "X" };
	static const unsigned char right[] = { 0, 1, 0 };
	static const char *const r1[] = { "café", "1", "a" };
	static const char *const r2[] = { "b\x01", "12345", "bb" };
	struct grid g;
	char *buf = NULL;
	size_t len;

	(void)state;
	grid_init(&g, 3, heads, right);
	grid_add(&g, r1);
	grid_add(&g, r2);
	CAPTURE(buf, len, grid_print(&g, out, "  "));
	grid_free(&g);
	/* UTF-8 counts one column per character; control bytes print as '?' */
	assert_string_equal(buf,
			    "  NAME  BYTES  X\n"
			    "  café      1  a\n"
			    "  b?    12345  bb\n");
	free(buf);
}

static void test_json_escaping(void **state)
{
	char *buf = NULL;
	size_t len;

	(void)state;
	CAPTURE(buf, len, json_str(out, "a\"b\\c\nd\te\x01\x1f\x7f"));
	assert_string_equal(buf, "\"a\\\"b\\\\c\\nd\\te\\u0001\\u001f\\u007f\"");
	assert_json_valid(buf, len);
	free(buf);
	/* valid UTF-8 kept, invalid bytes escaped as code points */
	CAPTURE(buf, len, json_str(out, "caf\xc3\xa9 \xe9\xff\xc0\x80 \xed\xa0\x80"));
	assert_string_equal(buf, "\"caf\xc3\xa9 \\u00e9\\u00ff\\u00c0\\u0080 \\u00ed\\u00a0\\u0080\"");
	assert_json_valid(buf, len);
	free(buf);
	CAPTURE(buf, len, json_str(out, NULL));
	assert_string_equal(buf, "\"\"");
	free(buf);
	/* every single byte value, alone, gives valid JSON */
	{
		int c;

		for (c = 1; c < 256; c += 1) {
			char s[4] = { 'x', (char)c, 'y', 0 };
			FILE *out;

			buf = NULL;
			out = open_memstream(&buf, &len);
			json_str(out, s);
			fclose(out);
			assert_true(len >= 4);
			free(buf);
		}
	}
}

static void test_prom_escaping(void **state)
{
	static const char *const lk[] = { "module", "x" };
	const char *lv[] = { "a\"b\\c\nd", "\xe9t\xc3\xa9" };
	char *buf = NULL;
	size_t len;

	(void)state;
	CAPTURE(buf, len, {
		prom_family(out, "oomtrace_module_live_bytes", "gauge", "Help with \\ and\nnewline.");
		prom_sample(out, "oomtrace_module_live_bytes", lk, lv, 2, 42);
		prom_sample_s(out, "oomtrace_module_live_bytes", lk, lk, 1, -7);
	});
	assert_string_equal(buf,
			    "# HELP oomtrace_module_live_bytes Help with \\\\ and\\nnewline.\n"
			    "# TYPE oomtrace_module_live_bytes gauge\n"
			    "oomtrace_module_live_bytes{module=\"a\\\"b\\\\c\\nd\",x=\"\xef\xbf\xbdt\xc3\xa9\"} 42\n"
			    "oomtrace_module_live_bytes{module=\"module\"} -7\n");
	assert_null(prom_check(buf, len));
	free(buf);
}

/* The strict checker itself rejects what it should. */
static void test_prom_checker(void **state)
{
	static const char *const bad[] = {
		"m{a=\"x\"} 1",					/* no newline */
		"# TYPE m gauge\nm{a=\"x\\t\"} 1\n",		/* bad escape */
		"# TYPE m gauge\nm{a=\"x\"} one\n",		/* bad value */
		"# TYPE m gauge\nm{a=\"x\"} 1\nm{a=\"x\"} 2\n",	/* duplicate */
		"# TYPE m gauge\n# TYPE n gauge\nm 1\n",	/* outside family */
		"# TYPE m gauge\n# TYPE m gauge\nm 1\n",	/* second TYPE */
		"# TYPE 1m gauge\n1m 1\n",			/* bad name */
		"# TYPE m gauge\nm{a=\"x} 1\n",			/* unterminated */
		"# TYPE m gauge\nm{a=\"\xff\"} 1\n",		/* not UTF-8 */
	};
	static const char good[] = "# HELP m h\n# TYPE m counter\nm{a=\"\\\"\"} 1\nm 2\n";
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_non_null(prom_check(bad[i], strlen(bad[i])));
	assert_null(prom_check(good, strlen(good)));
}

static void load(struct snap *s, const char *dir)
{
	struct source src;
	char p[256], err[OT_ERRLEN + OT_PATH];

	snprintf(p, sizeof(p), FIX "%s", dir);
	source_dir(&src, p);
	if (snap_load(s, &src, LOAD_ALL, err, sizeof(err)))
		fail_msg("%s", err);
}

static void test_sorting(void **state)
{
	struct snap s;
	struct rowset rs;

	(void)state;
	load(&s, "healthy");
	assert_int_equal(rowset_make(&rs, &s.slabs, 0, NULL, NULL, 0), 0);
	assert_int_equal(rs.n, 6);
	assert_string_equal(rs.r[0]->s[0], "kmalloc-large");	/* live_bytes, largest first */
	assert_string_equal(rs.r[5]->s[0], "drbd_req");
	rowset_free(&rs);
	assert_int_equal(rowset_make(&rs, &s.slabs, 0, NULL, "name", 0), 0);
	assert_string_equal(rs.r[0]->s[0], "drbd_req");	/* names ascending */
	assert_string_equal(rs.r[5]->s[0], "kmalloc-large");
	rowset_free(&rs);
	assert_int_equal(rowset_make(&rs, &s.slabs, 0, NULL, "ALLOCS", 2), 0);
	assert_int_equal(rs.n, 2);
	assert_string_equal(rs.r[0]->s[0], "kmalloc-64");
	assert_string_equal(rs.r[1]->s[0], "ext4_inode_cache");
	rowset_free(&rs);
	assert_int_equal(rowset_make(&rs, &s.modules, 0, NULL, "vmalloc_bytes", 1), 0);
	assert_string_equal(rs.r[0]->s[0], "drbd");
	rowset_free(&rs);
	/* filter on a column */
	assert_int_equal(rowset_make(&rs, &s.slabs, SL_TOP_MODULE, "[kernel]", NULL, 0), 0);
	assert_int_equal(rs.n, 3);
	rowset_free(&rs);
	/* ties broken by name: stable output */
	assert_int_equal(rowset_make(&rs, &s.modules, 0, NULL, "frees", 0), 0);
	assert_string_equal(rs.r[3]->s[0], "e1000");
	assert_string_equal(rs.r[4]->s[0], "leaker");
	rowset_free(&rs);
	assert_int_equal(rowset_make(&rs, &s.slabs, 0, NULL, "nope", 0), -2);
	snap_free(&s);
}

static void test_diff_and_verdict(void **state)
{
	struct snap a, b;
	struct dtab dm, dc;
	char v[512];

	(void)state;
	load(&a, "healthy");
	load(&b, "leaking");
	assert_int_equal(diff_tables(&dm, &a.modules, &b.modules, MO_LIVE_BYTES, MO_LIVE,
				     MO_STATE, 0, 0), 0);
	assert_int_equal(diff_tables(&dc, &a.slabs, &b.slabs, SL_LIVE_BYTES, SL_LIVE, -1, 0, 0), 0);
	assert_int_equal(dm.n, 2);
	assert_int_equal(dm.unchanged, 3);
	assert_string_equal(dm.rows[0].name, "leaker");
	assert_true(dm.rows[0].delta == 102400000);
	assert_true(dm.rows[0].dlive == 100000);
	assert_int_equal(dc.n, 1);
	assert_string_equal(dc.rows[0].name, "kmalloc-1k");
	diff_verdict(v, sizeof(v), &dm, &dc, 0);
	assert_string_equal(v, "verdict: top grower is module leaker (+97.7 MiB live, +100000 objects); "
			       "cache kmalloc-1k (+97.7 MiB)");
	diff_verdict(v, sizeof(v), &dm, &dc, 1);
	assert_string_equal(v, "verdict: top grower is module leaker (+102400000 live, +100000 objects); "
			       "cache kmalloc-1k (+102400000)");
	dtab_free(&dm);
	dtab_free(&dc);

	/* the other way round: shrinking only, nothing grew */
	assert_int_equal(diff_tables(&dm, &b.modules, &a.modules, MO_LIVE_BYTES, MO_LIVE,
				     MO_STATE, 0, 0), 0);
	assert_int_equal(diff_tables(&dc, &b.slabs, &a.slabs, SL_LIVE_BYTES, SL_LIVE, -1, 0, 0), 0);
	assert_true(dm.rows[dm.n - 1].delta == -102400000);
	diff_verdict(v, sizeof(v), &dm, &dc, 0);
	assert_string_equal(v, "verdict: no module or cache grew");
	dtab_free(&dm);
	dtab_free(&dc);

	/* rows on one side only; keep_all keeps the unchanged ones */
	snap_free(&a);
	load(&a, "oom");
	assert_int_equal(diff_tables(&dm, &b.modules, &a.modules, MO_LIVE_BYTES, MO_LIVE,
				     MO_STATE, 3, 1), 0);
	assert_int_equal(dm.n, 7);	/* union of both sides, sorted by name */
	assert_string_equal(dm.rows[0].name, "[kernel]");
	assert_string_equal(dm.rows[1].name, "bigcache");
	assert_string_equal(dm.rows[3].name, "e1000");
	assert_string_equal(dm.rows[3].state, "absent");
	dtab_free(&dm);
	snap_free(&a);
	snap_free(&b);
}

/* [kernel] grew most: the verdict names it, and a line its caches and call sites. */
static void test_diff_kernel(void **state)
{
	struct snap a, b;
	struct snapdiff d;

	(void)state;
	load(&a, "healthy");
	load(&b, "kernel");
	assert_int_equal(diff_snaps(&d, &a, &b, 0, 1), 0);
	assert_true(d.kernel.top);
	assert_true(d.kernel.mod->delta == 8084480000LL - 3102720);
	assert_true(d.kernel.have_caches);
	assert_int_equal(d.kernel.nsites, 3);
	assert_string_equal(d.kernel_line,
			    "kernel: [kernel] grew +8081377280 (+55004219 objects) in caches dentry (+4032000000), "
			    "shmem_inode_cache (+3072000000), kmalloc-32 (+960000000); call sites "
			    "__d_alloc+0x2c/0x1f0 (+4032000000), shmem_alloc_inode+0x1d/0x30 (+3072000000), "
			    "__alloc_skb+0x9a/0x1d0 (+960000000)");
	assert_true(!strncmp(d.verdict, "verdict: top grower is module [kernel] (+8081377280 live", 56));
	/* /proc/slabinfo of both: every object, beside oomtrace's own growth */
	assert_true(d.have_slabinfo);
	assert_string_equal(d.slabinfo.rows[0].name, "dentry");
	assert_true(d.slabinfo.rows[0].delta == 21500000LL * 192);
	assert_true(d.slabinfo.rows[0].dlive == 21500000);
	assert_true(slabinfo_tracked_growth(&d, &d.slabinfo.rows[0]) == 4032000000LL);
	assert_string_equal(d.slabinfo.rows[4].name, "kmalloc-4k");	/* grew, untracked */
	assert_true(d.slabinfo.rows[4].delta == 1800 * 4096);
	assert_true(slabinfo_tracked_growth(&d, &d.slabinfo.rows[4]) == -819200);
	snapdiff_free(&d);
	/* the other way round [kernel] shrank: no line */
	assert_int_equal(diff_snaps(&d, &b, &a, 0, 0), 0);
	assert_null(d.kernel.mod);
	assert_string_equal(d.kernel_line, "");
	snapdiff_free(&d);
	/* a module grew most: [kernel]'s growth is known, but no line */
	snap_free(&b);
	load(&b, "leaking");
	assert_int_equal(diff_snaps(&d, &a, &b, 0, 0), 0);
	assert_true(d.have_slabinfo);
	assert_non_null(d.kernel.mod);
	assert_false(d.kernel.top);
	assert_string_equal(d.kernel_line, "");
	snapdiff_free(&d);
	snap_free(&a);
	snap_free(&b);
}

/* An event's top grower: [kernel] when it grew more than any module, a module on a tie. */
static void test_event_top_grower(void **state)
{
	struct ev_entry e[3] = {
		{ .name = "[kernel]", .delta_bytes = 5000 },
		{ .name = "ext4", .delta_bytes = 400 },
		{ .name = "drbd", .delta_bytes = 300 },
	};

	(void)state;
	assert_string_equal(ev_top_grower(e, 3, 1)->name, "[kernel]");
	e[0].delta_bytes = 400;
	assert_string_equal(ev_top_grower(e, 3, 1)->name, "ext4");
	assert_string_equal(ev_top_grower(e, 1, 1)->name, "[kernel]");
	e[0].delta_bytes = -1;
	assert_string_equal(ev_top_grower(e, 3, 1)->name, "ext4");
	assert_null(ev_top_grower(e, 0, 1));
}

/*
 * What oomtrace explains: kernel/ is consistent (its meminfo's SUnreclaim is
 * the slab pages of its slabinfo's unreclaimable caches), so the numbers
 * are known to the byte.
 */
static void test_coverage(void **state)
{
	struct snap s;
	struct coverage c;
	const struct row *r;

	(void)state;
	load(&s, "kernel");
	coverage_of(&s, &c);
	assert_true(c.unreclaim.known && c.unreclaim.tracked_known);
	assert_true(c.unreclaim.box == 4086284ULL * 1024);
	/* shmem_inode_cache, kmalloc-32, drbd_req, kmalloc-8: not dentry nor ext4_inode_cache */
	assert_true(c.unreclaim.tracked == 3072000000ULL + 960320000 + 51200 + 32);
	assert_true(c.slab.box == 8217868ULL * 1024);
	assert_true(c.slab.tracked == c.unreclaim.tracked + 4032000000ULL + 511488);
	/*
	 * 16000000 - 2000000 - 2500000 - 2800000 - 8217868 - 40000 - 60000 kB,
	 * less the 1000 pages of the per-CPU lists (zoneinfo)
	 */
	assert_true(s.mi.have_pcp && s.mi.pcp_pages == 1000);
	assert_true(c.pages.known && c.pages.box == 382132ULL * 1024 - 1000 * 4096);
	assert_true(c.pages.tracked == 20480000 + 1212416);	/* pages + kmalloc-large */
	assert_int_equal(c.unknown, 0);
	/* slabinfo joined with oomtrace's slabs: per cache, tracked and the rest */
	r = slabinfo_find(&s.slabinfo, "kmalloc-32");
	assert_non_null(r);
	assert_true(r->v[SI_TRACKED_BYTES] == 960320000);
	assert_true(r->v[SI_UNTRACKED_BYTES] == 30500000ULL * 32 - 960320000);
	assert_string_equal(r->s[SI_RECLAIMABLE], "no");
	assert_string_equal(slabinfo_find(&s.slabinfo, "dentry")->s[SI_RECLAIMABLE], "yes");
	r = slabinfo_find(&s.slabinfo, "kmalloc-4k");	/* nothing tracked */
	assert_true(r->v[SI_TRACKED_BYTES] == 0 && r->v[SI_UNTRACKED_BYTES] == 2000ULL * 4096);
	assert_int_equal(s.slabinfo.absent, 0);
	snap_free(&s);
	/* no slab_reclaim: SUnreclaim's share is not known; no LRU keys: nor kernel pages */
	load(&s, "oom");
	coverage_of(&s, &c);
	assert_true(c.unreclaim.known && !c.unreclaim.tracked_known);
	assert_true(c.slab.known && c.slab.tracked_known);
	assert_false(c.pages.known);
	assert_true(s.slabinfo.present);
	assert_string_equal(slabinfo_find(&s.slabinfo, "kmalloc-1k")->s[SI_RECLAIMABLE], "-");
	assert_true(s.slabinfo.absent & 1u << SI_RECLAIMABLE);
	snap_free(&s);
	/* nothing but the four required files: nothing known */
	load(&s, "minimal");
	coverage_of(&s, &c);
	assert_false(c.unreclaim.known || c.slab.known || c.pages.known);
	assert_true(c.slab.tracked_known);
	assert_false(s.slabinfo.present);
	snap_free(&s);
}

/* slab_reclaim from sysfs: the caches oomtrace holds live bytes in, and only those */
static void test_reclaim_sysfs(void **state)
{
	static const char slabs[] =
		"# oomtrace slabs format=1 mode=exact\n"
		"# cache objsize allocs frees live live_bytes peak_bytes top_module\n"
		"kmalloc-1k 1024 1 0 1 1024 1024 x\n"
		"dentry 192 1 0 1 192 192 x\n"
		"broken 8 1 0 1 8 8 x\n"		/* reclaim_account is not 0 or 1 */
		"gone 8 1 0 1 8 8 x\n"			/* not in sysfs */
		"kmalloc-4k 4096 1 1 0 0 4096 x\n"	/* nothing live: not looked up */
		"pages 0 1 0 1 4096 4096 x\n"
		"../dentry 8 1 0 1 8 8 x\n";
	struct table t;
	char *buf;
	size_t len;

	(void)state;
	assert_int_equal(table_parse(&t, &tab_slabs, slabs, sizeof(slabs) - 1, NULL, 0), 0);
	assert_int_equal(snap_reclaim_text(FIX "sys/kernel/slab", &t, &buf, &len), 0);
	assert_string_equal(buf, "# oomtrace slab_reclaim: /sys/kernel/slab/CACHE/reclaim_account\n"
				 "# cache reclaim_account\ndentry 1\nkmalloc-1k 0\n");
	assert_int_equal(len, strlen(buf));
	free(buf);
	assert_int_equal(snap_reclaim_text(FIX "nosys/kernel/slab", &t, &buf, &len), -ENOENT);
	table_free(&t);
	memset(&t, 0, sizeof(t));
	assert_int_equal(snap_reclaim_text(FIX "sys/kernel/slab", &t, &buf, &len), -ENOENT);
}

static void test_culprit(void **state)
{
	struct snap s;
	struct culprit c;

	(void)state;
	/* with events: the largest growth across them, not the largest holder */
	load(&s, "oom");
	assert_int_equal(find_culprit(&s, &c), 1);
	assert_string_equal(c.module, "leaker");
	assert_true(c.by_events);
	assert_true(c.growth == 150000000 + 54800000);
	assert_non_null(c.row);
	snap_free(&s);
	/* without events: the largest live_bytes; [kernel] when it holds more than any module */
	load(&s, "healthy");
	assert_int_equal(find_culprit(&s, &c), 1);
	assert_string_equal(c.module, "[kernel]");
	assert_true(c.kernel);
	assert_false(c.by_events);
	assert_string_equal(c.next, "ext4");	/* the module that comes next, named too */
	assert_non_null(c.next_row);
	assert_true(c.next_row->v[MO_LIVE_BYTES] == 512000);
	snap_free(&s);
	/*
	 * [kernel] grew 7.5 GiB across the OOM events, ext4 500 KiB: the core
	 * kernel, never ext4 (nor oomtrace, which grew more than ext4), with
	 * its caches and call sites as the evidence.
	 */
	load(&s, "kernel");
	assert_int_equal(find_culprit(&s, &c), 1);
	assert_string_equal(c.module, "[kernel]");
	assert_true(c.kernel && c.by_events);
	assert_true(c.growth == 8084480000LL);
	assert_string_equal(c.next, "ext4");
	assert_true(c.next_growth == 511488);
	{
		char ev[CULPRIT_MAX_EVIDENCE][CULPRIT_LINE];
		int ne = culprit_evidence(&s, &c, 1, ev);

		assert_int_equal(ne, 11);
		assert_string_equal(ev[0], "grew +8084480000 across 2 of 2 OOM events (more than any module)");
		assert_string_equal(ev[4], "cache dentry: 4032000000 in 21000000 objects");
		assert_string_equal(ev[6], "cache kmalloc-32: 960000000 in 30000000 objects");
		assert_string_equal(ev[7], "call site __d_alloc+0x2c/0x1f0: 4032000000 in 21000000 objects");
		assert_string_equal(ev[9], "call site __alloc_skb+0x9a/0x1d0: 960000000 in 30000000 objects");
		assert_string_equal(ev[10], "the module that grew most: ext4, +511488 across the OOM events");
	}
	snap_free(&s);
	load(&s, "leaking");
	assert_int_equal(find_culprit(&s, &c), 1);
	assert_string_equal(c.module, "leaker");
	assert_false(c.kernel);
	assert_null(c.next);
	snap_free(&s);
	/* never oomtrace itself: its read buffers outweigh leaker here (real, from the lab) */
	load(&s, "lab");
	assert_int_equal(find_culprit(&s, &c), 1);
	assert_string_equal(c.module, "leaker");
	snap_free(&s);
	load(&s, "emptytables");
	assert_int_equal(find_culprit(&s, &c), 0);
	snap_free(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_units),
		cmocka_unit_test(test_partial_text),
		cmocka_unit_test(test_partial_merge),
		cmocka_unit_test(test_partial_json_prom),
		cmocka_unit_test(test_grid_alignment),
		cmocka_unit_test(test_json_escaping),
		cmocka_unit_test(test_prom_escaping),
		cmocka_unit_test(test_prom_checker),
		cmocka_unit_test(test_sorting),
		cmocka_unit_test(test_diff_and_verdict),
		cmocka_unit_test(test_diff_kernel),
		cmocka_unit_test(test_event_top_grower),
		cmocka_unit_test(test_coverage),
		cmocka_unit_test(test_reclaim_sysfs),
		cmocka_unit_test(test_culprit),
	};

	return cmocka_run_group_tests_name("fmt", tests, NULL, NULL);
}
