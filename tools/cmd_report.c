// SPDX-License-Identifier: GPL-2.0
/*
 * cmd_report.c - one page for a bug report: memory summary, top modules,
 * caches and call sites, the OOM timeline, leaks left behind, and the likely
 * culprit with the evidence.
 */
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "memsum.h"
#include "text.h"
#include "grower.h"
#include "grid.h"
#include "jsonfmt.h"
#include "units.h"
#include "culprit.h"

static void json_rowset(FILE *out, const struct table *t, long limit)
{
	struct rowset rs;

	if (!t->present || rowset_make(&rs, t, 0, NULL, NULL, limit)) {
		fputs("null", out);
		return;
	}
	render_json_rows(out, &rs);
	rowset_free(&rs);
}

static void report_json(FILE *out, const struct snap *s, const struct opts *o, long limit)
{
	const struct row *lk[64];
	char ev[CULPRIT_MAX_EVIDENCE][CULPRIT_LINE];
	struct culprit c;
	size_t i, nl;
	int ne, first = 1;

	fputs("{\"table\":\"report\",\"format\":1,\"source\":", out);
	json_str(out, s->src.label);
	fprintf(out, ",\"live\":%s,\"timestamp\":", s->src.live ? "true" : "false");
	json_str(out, s->timestamp);
	fputs(",\"status\":", out);
	render_status_json(out, s);
	fputs(",\"memory\":{", out);
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
	fputs(",\"modules\":", out);
	json_rowset(out, &s->modules, limit);
	fputs(",\"caches\":", out);
	json_rowset(out, &s->slabs, limit);
	fputs(",\"callsites\":", out);
	json_rowset(out, &s->callsites, limit);
	fputs(",\"events\":", out);
	if (s->ev.present)
		render_events_json(out, &s->ev, NULL);
	else
		fputs("null", out);
	fputs(",\"leaks_left_behind\":[", out);
	nl = module_leaks(s, lk, 64);
	for (i = 0; i < nl; i++) {
		fputs(i ? ",{\"module\":" : "{\"module\":", out);
		json_str(out, lk[i]->s[MO_MODULE]);
		fprintf(out, ",\"live_bytes\":%llu,\"live\":%llu}",
			(unsigned long long)lk[i]->v[MO_LIVE_BYTES],
			(unsigned long long)lk[i]->v[MO_LIVE]);
	}
	fputs("],\"culprit\":", out);
	if (!find_culprit(s, &c)) {
		fputs("null}\n", out);
		return;
	}
	fputs("{\"module\":", out);
	json_str(out, c.module);
	fprintf(out, ",\"reason\":\"%s\",\"growth_bytes\":%lld,\"live_bytes\":%llu,\"evidence\":[",
		c.by_events ? "oom_event_growth" : "live_bytes", (long long)c.growth,
		(unsigned long long)(c.row ? c.row->v[MO_LIVE_BYTES] : 0));
	ne = culprit_evidence(s, &c, 1, ev);
	for (i = 0; i < (size_t)ne; i++) {
		if (i)
			fputc(',', out);
		json_str(out, ev[i]);
	}
	fputs("]}}\n", out);
	(void)o;
}

static void report_prom(FILE *out, const struct snap *s, long limit)
{
	const struct table *t[] = { &s->modules, &s->slabs, &s->callsites };
	size_t i;

	render_status_prom(out, s);
	for (i = 0; i < 3; i++) {
		struct rowset rs;

		if (!t[i]->present || rowset_make(&rs, t[i], 0, NULL, NULL, limit))
			continue;
		render_prom(out, &rs);
		rowset_free(&rs);
	}
	render_events_prom(out, s);
}

int cmd_report(const struct opts *o, FILE *out)
{
	struct snap s;
	int r;

	r = load_snap(o, &s, LOAD_ALL);
	if (r)
		return r;
	if (o->json)
		report_json(out, &s, o, o->limit ? o->limit : 10);
	else if (o->prom)
		report_prom(out, &s, o->limit);
	else
		text_report(out, &s, o->limit ? o->limit : 10, o->bytes);
	snap_free(&s);
	return EX_OK;
}
