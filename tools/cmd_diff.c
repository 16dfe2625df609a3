// SPDX-License-Identifier: GPL-2.0
/*
 * cmd_diff.c - growth per module and per cache between a baseline snapshot
 * and a later snapshot (or the live system), with a verdict line.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cmd.h"
#include "diff.h"
#include "grid.h"
#include "jsonfmt.h"
#include "promfmt.h"
#include "units.h"

/* what: the plural ("modules"), one: the singular ("module") */
static void text_table(FILE *out, const struct dtab *d, const char *what, const char *one,
		       const char *head, int with_state, int raw, long limit)
{
	const char *mheads[] = { head, "STATE", "BASE", "NEW", "GROWTH", "OBJECTS" };
	const char *cheads[] = { head, "BASE", "NEW", "GROWTH", "OBJECTS" };
	static const unsigned char mright[] = { 0, 0, 1, 1, 1, 1 };
	static const unsigned char cright[] = { 0, 1, 1, 1, 1 };
	struct grid g;
	size_t i;

	if (with_state)
		grid_init(&g, 6, mheads, mright);
	else
		grid_init(&g, 5, cheads, cright);
	for (i = 0; i < d->n && (limit <= 0 || i < (size_t)limit); i++) {
		char n[4][FMT_NUMLEN];
		const char *cells[6];
		int k = 0;

		cells[k++] = d->rows[i].name;
		if (with_state)
			cells[k++] = d->rows[i].state;
		cells[k++] = fmt_bytes(n[0], sizeof(n[0]), d->rows[i].basev, raw);
		cells[k++] = fmt_bytes(n[1], sizeof(n[1]), d->rows[i].newv, raw);
		cells[k++] = fmt_sbytes(n[2], sizeof(n[2]), d->rows[i].delta, raw);
		cells[k++] = fmt_s64(n[3], sizeof(n[3]), d->rows[i].dlive);
		grid_add(&g, cells);
	}
	if (!d->n)
		fprintf(out, "no %s changed", what);
	else
		grid_print(&g, out, NULL);
	if (limit > 0 && d->n > (size_t)limit)
		fprintf(out, "(%zu more %s changed: -n to see more)\n", d->n - (size_t)limit,
			d->n - (size_t)limit == 1 ? one : what);
	if (d->unchanged)
		fprintf(out, "%s(%zu %s unchanged)\n", d->n ? "" : " ", d->unchanged,
			d->unchanged == 1 ? one : what);
	else if (!d->n)
		fputc('\n', out);
	grid_free(&g);
}

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
	struct dtab mods, caches, sites;
	char verdict[512];
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
	memset(&mods, 0, sizeof(mods));
	memset(&caches, 0, sizeof(caches));
	memset(&sites, 0, sizeof(sites));
	if (diff_tables(&mods, &base.modules, &cur.modules, MO_LIVE_BYTES, MO_LIVE, MO_STATE, sk, 0) ||
	    diff_tables(&caches, &base.slabs, &cur.slabs, SL_LIVE_BYTES, SL_LIVE, -1, sk, 0) ||
	    diff_tables(&sites, &base.callsites, &cur.callsites, CS_LIVE_BYTES, CS_LIVE, CS_MODULE,
			sk, 0)) {
		fprintf(stderr, "oomtrace: out of memory\n");
		dtab_free(&mods);
		dtab_free(&caches);
		dtab_free(&sites);
		snap_free(&base);
		snap_free(&cur);
		return EX_ERR;
	}
	diff_verdict(verdict, sizeof(verdict), &mods, &caches, o->bytes);
	if (o->json) {
		fputs("{\"table\":\"diff\",\"format\":1,\"base\":", out);
		json_side(out, &base);
		fputs(",\"new\":", out);
		json_side(out, &cur);
		fputs(",\"modules\":", out);
		json_rows(out, &mods, "module", 1, o->limit);
		fputs(",\"caches\":", out);
		json_rows(out, &caches, "cache", 0, o->limit);
		fputs(",\"callsites\":", out);
		json_rows(out, &sites, "callsite", 0, o->limit);
		fputs(",\"verdict\":", out);
		json_str(out, verdict + strlen("verdict: "));
		fputs("}\n", out);
	} else if (o->prom) {
		prom_rows(out, &mods, "module", "oomtrace_diff_module_growth_bytes",
			  "oomtrace_diff_module_growth_objects", o->limit);
		prom_rows(out, &caches, "cache", "oomtrace_diff_cache_growth_bytes",
			  "oomtrace_diff_cache_growth_objects", o->limit);
		prom_rows(out, &sites, "callsite", "oomtrace_diff_callsite_growth_bytes",
			  "oomtrace_diff_callsite_growth_objects", o->limit);
	} else {
		fputs("base: ", out);
		fmt_safe(out, base.src.label);
		if (base.timestamp[0])
			fprintf(out, " (%s)", base.timestamp);
		fputs("\nnew:  ", out);
		fmt_safe(out, cur.src.label);
		if (cur.timestamp[0])
			fprintf(out, " (%s)", cur.timestamp);
		else if (cur.src.live)
			fputs(" (live)", out);
		fputc('\n', out);
		if (status_u64(&base.st, "epoch") != status_u64(&cur.st, "epoch"))
			fprintf(out,
				"note: counters were reset in between (epoch %llu -> %llu): the new figures count from that reset\n",
				(unsigned long long)status_u64(&base.st, "epoch"),
				(unsigned long long)status_u64(&cur.st, "epoch"));
		fputc('\n', out);
		text_table(out, &mods, "modules", "module", "MODULE", 1, o->bytes, o->limit);
		fputc('\n', out);
		text_table(out, &caches, "caches", "cache", "CACHE", 0, o->bytes, o->limit);
		fputc('\n', out);
		text_table(out, &sites, "call sites", "call site", "CALLSITE", 0, o->bytes,
			   o->limit ? o->limit : 10);
		fprintf(out, "\n%s\n", verdict);
	}
	dtab_free(&mods);
	dtab_free(&caches);
	dtab_free(&sites);
	snap_free(&base);
	snap_free(&cur);
	return EX_OK;
}
