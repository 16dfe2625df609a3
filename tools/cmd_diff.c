// SPDX-License-Identifier: GPL-2.0
/*
 * cmd_diff.c - growth per module and per cache between a baseline snapshot
 * and a later snapshot (or the live system), with a verdict line.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cmd.h"
#include "text.h"
#include "diff.h"
#include "grid.h"
#include "jsonfmt.h"
#include "promfmt.h"
#include "units.h"

static void json_rows(FILE *out, const struct dtab *d, const char *key, int with_state,
		      long limit)
{
	size_t i;

	fputc('[', out);
	for (i = 0; i < d->n && (limit <= 0 || i < (size_t)limit); i++) {
		fprintf(out, "%s{\"%s\":", i ? "," : "", key);
		json_str(out, d->rows[i].name);
		if (with_state) {
			fputs(",\"state\":", out);
			json_str(out, d->rows[i].state);
		}
		fprintf(out,
			",\"base_live_bytes\":%llu,\"new_live_bytes\":%llu,\"growth_bytes\":%lld,\"growth_objects\":%lld}",
			(unsigned long long)d->rows[i].basev, (unsigned long long)d->rows[i].newv,
			(long long)d->rows[i].delta, (long long)d->rows[i].dlive);
	}
	fputc(']', out);
}

static void json_side(FILE *out, const struct snap *s)
{
	fputs("{\"source\":", out);
	json_str(out, s->src.label);
	fprintf(out, ",\"live\":%s,\"timestamp\":", s->src.live ? "true" : "false");
	json_str(out, s->timestamp);
	fputs(",\"epoch\":", out);
	fprintf(out, "%llu}", (unsigned long long)status_u64(&s->st, "epoch"));
}

static void prom_rows(FILE *out, const struct dtab *d, const char *label, const char *mb,
		      const char *mo, long limit)
{
	const char *lk[1] = { label }, *lv[1];
	char help[128];
	size_t i;

	snprintf(help, sizeof(help), "Growth of live bytes per %s since the baseline snapshot.",
		 label);
	prom_family(out, mb, "gauge", help);
	for (i = 0; i < d->n && (limit <= 0 || i < (size_t)limit); i++) {
		lv[0] = d->rows[i].name;
		prom_sample_s(out, mb, lk, lv, 1, d->rows[i].delta);
	}
	snprintf(help, sizeof(help), "Growth of live objects per %s since the baseline snapshot.",
		 label);
	prom_family(out, mo, "gauge", help);
	for (i = 0; i < d->n && (limit <= 0 || i < (size_t)limit); i++) {
		lv[0] = d->rows[i].name;
		prom_sample_s(out, mo, lk, lv, 1, d->rows[i].dlive);
	}
}

int cmd_diff(const struct opts *o, FILE *out)
{
	struct opts bo = *o;
	struct snap base, cur;
	struct snapdiff d;
	int sk = diff_sort_key(o->sort), r;

	if (sk < 0) {
		fprintf(stderr,
			"oomtrace: unknown sort column '%s'; diff sorts by growth, live_bytes, objects or name\n",
			o->sort);
		return EX_USAGE;
	}
	bo.from = o->args[0];
	r = load_snap(&bo, &base, LOAD_MODULES | LOAD_SLABS | LOAD_CALLSITES);
	if (r)
		return r;
	bo.from = o->nargs > 1 ? o->args[1] : o->from;
	r = load_snap(&bo, &cur, LOAD_MODULES | LOAD_SLABS | LOAD_CALLSITES);
	if (r) {
		snap_free(&base);
		return r;
	}
	if (diff_snaps(&d, &base, &cur, sk, o->bytes)) {
		fprintf(stderr, "oomtrace: out of memory\n");
		snap_free(&base);
		snap_free(&cur);
		return EX_ERR;
	}
	if (o->json) {
		fputs("{\"table\":\"diff\",\"format\":1,\"base\":", out);
		json_side(out, &base);
		fputs(",\"new\":", out);
		json_side(out, &cur);
		fputs(",\"modules\":", out);
		json_rows(out, &d.mods, "module", 1, o->limit);
		fputs(",\"caches\":", out);
		json_rows(out, &d.caches, "cache", 0, o->limit);
		fputs(",\"callsites\":", out);
		json_rows(out, &d.sites, "callsite", 0, o->limit);
		fputs(",\"verdict\":", out);
		json_str(out, d.verdict + strlen("verdict: "));
		fputs("}\n", out);
	} else if (o->prom) {
		prom_rows(out, &d.mods, "module", "oomtrace_diff_module_growth_bytes",
			  "oomtrace_diff_module_growth_objects", o->limit);
		prom_rows(out, &d.caches, "cache", "oomtrace_diff_cache_growth_bytes",
			  "oomtrace_diff_cache_growth_objects", o->limit);
		prom_rows(out, &d.sites, "callsite", "oomtrace_diff_callsite_growth_bytes",
			  "oomtrace_diff_callsite_growth_objects", o->limit);
	} else {
		text_diff(out, &d, o->limit, o->bytes);
	}
	snapdiff_free(&d);
	snap_free(&base);
	snap_free(&cur);
	return EX_OK;
}
