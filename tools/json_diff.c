// SPDX-License-Identifier: GPL-2.0
/*
 * json_diff.c - oomtrace diff --json: both sources, the growth of each
 * module, cache and call site, and the verdict.
 */
#include <stdio.h>
#include <string.h>

#include "json.h"
#include "jsonfmt.h"

static void growth_rows(FILE *out, const struct dtab *d, const char *key, int with_state,
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

/* One side of the diff: its source, its reset count and what of it is partial. */
static void json_side(FILE *out, const struct snap *s)
{
	fputc('{', out);
	json_source(out, s);
	fprintf(out, ",\"epoch\":%llu", (unsigned long long)status_u64(&s->st, "epoch"));
	json_snap_partial(out, s);
	fputc('}', out);
}

/* One grown row of [kernel]: {"KEY":name,"growth_bytes":..,"growth_objects":..} */
static void kernel_row(FILE *out, const struct drow *r, const char *key, int first)
{
	fprintf(out, "%s{\"%s\":", first ? "" : ",", key);
	json_str(out, r->name);
	fprintf(out, ",\"growth_bytes\":%lld,\"growth_objects\":%lld}", (long long)r->delta,
		(long long)r->dlive);
}

/* How [kernel] grew: its top caches (null without module_slabs) and call sites; null if not. */
static void json_kernel(FILE *out, const struct kgrowth *k)
{
	size_t i, n = 0;

	if (!k->mod) {
		fputs("null", out);
		return;
	}
	fprintf(out, "{\"top_grower\":%s,\"growth_bytes\":%lld,\"growth_objects\":%lld,\"caches\":",
		k->top ? "true" : "false", (long long)k->mod->delta, (long long)k->mod->dlive);
	if (k->have_caches) {
		fputc('[', out);
		for (i = 0; i < k->caches.n && n < KGROWTH_TOP && k->caches.rows[i].delta > 0; i++)
			kernel_row(out, &k->caches.rows[i], "cache", !n++);
		fputc(']', out);
	} else {
		fputs("null", out);
	}
	fputs(",\"callsites\":[", out);
	for (i = 0; i < k->nsites; i++)
		kernel_row(out, k->sites[i], "callsite", !i);
	fputs("]}", out);
}

/* /proc/slabinfo's caches that changed, with oomtrace's growth in each; null without it. */
static void json_slabinfo_growth(FILE *out, const struct snapdiff *d, long limit)
{
	const struct dtab *t = &d->slabinfo;
	size_t i;

	if (!d->have_slabinfo) {
		fputs("null", out);
		return;
	}
	fputc('[', out);
	for (i = 0; i < t->n && (limit <= 0 || i < (size_t)limit); i++) {
		fputs(i ? ",{\"cache\":" : "{\"cache\":", out);
		json_str(out, t->rows[i].name);
		fprintf(out,
			",\"base_inuse_bytes\":%llu,\"new_inuse_bytes\":%llu,\"growth_bytes\":%lld,\"growth_objects\":%lld,\"tracked_growth_bytes\":%lld}",
			(unsigned long long)t->rows[i].basev, (unsigned long long)t->rows[i].newv,
			(long long)t->rows[i].delta, (long long)t->rows[i].dlive,
			(long long)slabinfo_tracked_growth(d, &t->rows[i]));
	}
	fputc(']', out);
}

void json_diff(FILE *out, const struct snapdiff *d, long limit)
{
	json_doc_head(out, "diff", d->cur->st.format, NULL, 0);
	fputs(",\"base\":", out);
	json_side(out, d->base);
	fputs(",\"new\":", out);
	json_side(out, d->cur);
	fputs(",\"modules\":", out);
	growth_rows(out, &d->mods, "module", 1, limit);
	fputs(",\"caches\":", out);
	growth_rows(out, &d->caches, "cache", 0, limit);
	fputs(",\"callsites\":", out);
	growth_rows(out, &d->sites, "callsite", 0, limit);
	fputs(",\"slabinfo\":", out);
	json_slabinfo_growth(out, d, limit);
	fputs(",\"kernel\":", out);
	json_kernel(out, &d->kernel);
	fputs(",\"verdict\":", out);
	json_str(out, d->verdict + strlen("verdict: "));
	fputs("}\n", out);
}
