// SPDX-License-Identifier: GPL-2.0
/*
 * json_report.c - oomtrace report --json: status, memory, the top tables,
 * the events, leaks left behind and the culprit with its evidence; from a
 * kernel log (--dmesg), the dump it comes from.
 */
#include <stdio.h>

#include "culprit.h"
#include "json.h"
#include "jsonfmt.h"
#include "memsum.h"

/* "memory": the summary's meminfo keys (kB), vmalloc areas and tracked bytes. */
static void json_memory(FILE *out, const struct snap *s)
{
	size_t i;
	int first = 1;

	fputc('{', out);
	for (i = 0; s->mi.present && i < n_mem_lines; i++) {
		int found;
		uint64_t v = meminfo_kb(&s->mi, mem_lines[i].key, &found);
		char key[64];

		if (!found)
			continue;
		snprintf(key, sizeof(key), "%s_kb", mem_lines[i].key);
		json_key(out, &first, key);
		fprintf(out, "%llu", (unsigned long long)v);
	}
	if (s->vm.present) {
		json_key(out, &first, "vmalloc_areas_bytes");
		fprintf(out, "%llu", (unsigned long long)s->vm.total);
	}
	json_key(out, &first, "tracked_bytes");
	fprintf(out, "%llu}", (unsigned long long)tracked_bytes(s));
}

/* A top table's rows, or null when the file is not there. */
static void json_top(FILE *out, const struct table *t, long limit)
{
	struct rowset rs;

	if (!t->present || rowset_make(&rs, t, 0, NULL, NULL, limit)) {
		fputs("null", out);
		return;
	}
	json_rows(out, &rs);
	rowset_free(&rs);
}

/* /proc/slabinfo's top caches by inuse_bytes, with oomtrace's share; null without it. */
static void json_slabinfo(FILE *out, const struct table *t, long limit)
{
	struct rowset rs;

	if (!t->present || rowset_make(&rs, t, 0, NULL, "inuse_bytes", limit)) {
		fputs("null", out);
		return;
	}
	json_rows(out, &rs);
	rowset_free(&rs);
}

static void json_leaks(FILE *out, const struct snap *s)
{
	const struct row *lk[64];
	size_t i, nl = module_leaks(s, lk, 64);

	fputc('[', out);
	for (i = 0; i < nl; i++) {
		fputs(i ? ",{\"module\":" : "{\"module\":", out);
		json_str(out, lk[i]->s[MO_MODULE]);
		fprintf(out, ",\"live_bytes\":%llu,\"live\":%llu}",
			(unsigned long long)lk[i]->v[MO_LIVE_BYTES],
			(unsigned long long)lk[i]->v[MO_LIVE]);
	}
	fputc(']', out);
}

/* The culprit's top 3 rows of t (key: the name column's JSON key), or null without t. */
static void json_culprit_rows(FILE *out, const struct table *t, int modcol, int namecol,
			      const char *key, const char *module)
{
	int bytes = table_col(t->def, "live_bytes"), live = table_col(t->def, "live");
	struct rowset rs;
	size_t i;

	if (!t->present || rowset_make(&rs, t, modcol, module, NULL, 3)) {
		fputs("null", out);
		return;
	}
	fputc('[', out);
	for (i = 0; i < rs.n; i++) {
		fprintf(out, "%s{\"%s\":", i ? "," : "", key);
		json_str(out, rs.r[i]->s[namecol]);
		fprintf(out, ",\"live_bytes\":%llu,\"live\":%llu}",
			(unsigned long long)rs.r[i]->v[bytes], (unsigned long long)rs.r[i]->v[live]);
	}
	fputc(']', out);
	rowset_free(&rs);
}

/* When the culprit is [kernel]: the module that came next, else null. */
static void json_culprit_next(FILE *out, const struct culprit *c)
{
	if (!c->next) {
		fputs("null", out);
		return;
	}
	fputs("{\"module\":", out);
	json_str(out, c->next);
	fprintf(out, ",\"growth_bytes\":%lld,\"live_bytes\":%llu}", (long long)c->next_growth,
		(unsigned long long)(c->next_row ? c->next_row->v[MO_LIVE_BYTES] : 0));
}

/* The culprit with its evidence (bytes unscaled), or null. */
static void json_culprit(FILE *out, const struct snap *s)
{
	char ev[CULPRIT_MAX_EVIDENCE][CULPRIT_LINE];
	struct culprit c;
	int i, ne;

	if (!find_culprit(s, &c)) {
		fputs("null", out);
		return;
	}
	fputs("{\"module\":", out);
	json_str(out, c.module);
	fprintf(out, ",\"reason\":\"%s\",\"growth_bytes\":%lld,\"live_bytes\":%llu,\"evidence\":[",
		c.by_events ? "oom_event_growth" : "live_bytes", (long long)c.growth,
		(unsigned long long)(c.row ? c.row->v[MO_LIVE_BYTES] : 0));
	ne = culprit_evidence(s, &c, 1, ev);
	for (i = 0; i < ne; i++) {
		if (i)
			fputc(',', out);
		json_str(out, ev[i]);
	}
	fprintf(out, "],\"kernel\":%s,\"caches\":", c.kernel ? "true" : "false");
	json_culprit_rows(out, &s->modslabs, MS_MODULE, MS_CACHE, "cache", c.module);
	fputs(",\"callsites\":", out);
	json_culprit_rows(out, &s->callsites, CS_MODULE, CS_CALLSITE, "callsite", c.module);
	fputs(",\"next\":", out);
	json_culprit_next(out, &c);
	fputc('}', out);
}

/* A table of the dump: its rows kept of its total, or null when the dump has none. */
static void json_dump_table(FILE *out, const struct table *t, const struct dump_rows *r)
{
	if (!t->present)
		fputs("null", out);
	else
		fprintf(out, "{\"kept\":%llu,\"total\":%llu,\"cut\":%s}",
			(unsigned long long)r->kept, (unsigned long long)r->total,
			r->cut ? "true" : "false");
}

/* The incomplete dumps after the one used. */
static void json_dump_newer(FILE *out, const struct dump_info *d)
{
	char b[200];
	size_t i;

	fputc('[', out);
	for (i = 0; i < d->nnewer; i++) {
		const struct dump_bad *x = &d->newer[i];

		fprintf(out, "%s{\"seq\":%llu,\"problem\":\"%s\",\"lines_seen\":%llu,\"lines\":",
			i ? "," : "", (unsigned long long)x->seq, dump_flaw_name(x->flaw),
			(unsigned long long)x->seen);
		if (x->has_end)
			fprintf(out, "%llu", (unsigned long long)x->lines);
		else
			fputs("null", out);
		dump_bad_text(b, sizeof(b), x);
		fputs(",\"text\":", out);
		json_str(out, b);
		fputc('}', out);
	}
	fprintf(out, "],\"newer_incomplete_more\":%llu", (unsigned long long)d->newer_more);
}

/* "dump": which dump of the kernel log the report comes from. */
static void json_dump(FILE *out, const struct snap *s)
{
	const struct dump_info *d = &s->dump;

	fprintf(out, "{\"seq\":%llu,\"reason\":", (unsigned long long)d->seq);
	json_str(out, d->reason);
	fprintf(out, ",\"format\":%d,\"rows\":%llu,\"complete\":true,\"lines\":%llu,\"ns\":",
		d->format, (unsigned long long)d->rows, (unsigned long long)d->lines);
	if (d->ns >= 0)
		fprintf(out, "%lld", (long long)d->ns);
	else
		fputs("null", out);
	fprintf(out, ",\"log_lines\":{\"begin\":%llu,\"end\":%llu,\"total\":%llu},"
		"\"complete_dumps\":%llu,\"incomplete_dumps\":%llu,\"events_busy\":%s,",
		(unsigned long long)d->begin_at, (unsigned long long)d->end_at,
		(unsigned long long)d->input_lines, (unsigned long long)d->ncomplete,
		(unsigned long long)d->nbad, d->events_busy ? "true" : "false");
	fputs("\"tables\":{\"modules\":", out);
	json_dump_table(out, &s->modules, &d->tab[DF_MODULES]);
	fputs(",\"slabs\":", out);
	json_dump_table(out, &s->slabs, &d->tab[DF_SLABS]);
	fputs(",\"module_slabs\":", out);
	json_dump_table(out, &s->modslabs, &d->tab[DF_MODSLABS]);
	fputs(",\"callsites\":", out);
	json_dump_table(out, &s->callsites, &d->tab[DF_CALLSITES]);
	fputs("},\"newer_incomplete\":", out);
	json_dump_newer(out, d);
	fputc('}', out);
}

void json_report(FILE *out, const struct snap *s, long limit)
{
	json_doc_head(out, "report", s->st.format, s, 0);
	if (s->src.dump) {
		fputs(",\"dump\":", out);
		json_dump(out, s);
	}
	json_snap_partial(out, s);
	fputs(",\"status\":", out);
	json_status(out, s);
	fputs(",\"memory\":", out);
	json_memory(out, s);
	fputs(",\"coverage\":", out);
	json_coverage(out, s);
	fputs(",\"modules\":", out);
	json_top(out, &s->modules, limit);
	fputs(",\"caches\":", out);
	json_top(out, &s->slabs, limit);
	fputs(",\"slabinfo\":", out);
	json_slabinfo(out, &s->slabinfo, limit);
	fputs(",\"callsites\":", out);
	json_top(out, &s->callsites, limit);
	fputs(",\"events\":", out);
	if (s->ev.present)
		json_events(out, &s->ev, NULL);
	else
		fputs("null", out);
	fputs(",\"leaks_left_behind\":", out);
	json_leaks(out, s);
	fputs(",\"culprit\":", out);
	json_culprit(out, s);
	fputs("}\n", out);
}
