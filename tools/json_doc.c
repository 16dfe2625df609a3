// SPDX-License-Identifier: GPL-2.0
/*
 * json_doc.c - the --json documents of the listings and status, and the
 * one writer of every document's header.
 */
#include <stdio.h>
#include <string.h>

#include "coverage.h"
#include "json.h"
#include "jsonfmt.h"

void json_source(FILE *out, const struct snap *s)
{
	fputs("\"source\":", out);
	json_str(out, s->src.label);
	fputs(s->src.live ? ",\"live\":true" : ",\"live\":false", out);
	fputs(",\"timestamp\":", out);
	json_str(out, s->timestamp);
}

void json_doc_head(FILE *out, const char *table, int format, const struct snap *s,
		   int source_first)
{
	fputc('{', out);
	if (s && source_first) {
		json_source(out, s);
		fputc(',', out);
	}
	fputs("\"table\":", out);
	json_str(out, table);
	fprintf(out, ",\"format\":%d", format);
	if (s && !source_first) {
		fputc(',', out);
		json_source(out, s);
	}
}

/* "key":N, or null when the partial line or the status did not give it. */
static void partial_count(FILE *out, int *first, const char *key, int known, uint64_t v)
{
	json_key(out, first, key);
	if (known)
		fprintf(out, "%llu", (unsigned long long)v);
	else
		fputs("null", out);
}

/* "key":fraction of the allocations, or null when they are not known. */
static void partial_frac(FILE *out, int *first, const char *key, const struct partial *p,
			 int known, uint64_t v)
{
	double f = known ? partial_fraction(p, v) : -1;

	json_key(out, first, key);
	if (f < 0)
		fputs("null", out);
	else
		fprintf(out, "%.6g", f);
}

void json_partial(FILE *out, const struct partial *p)
{
	int first = 1;

	if (!partial_any(p))
		return;
	fputs(",\"partial\":{", out);
	partial_count(out, &first, "allocs", p->known & PARTIAL_ALLOCS, p->allocs);
	partial_count(out, &first, "dropped", p->known & PARTIAL_DROPPED, p->dropped);
	partial_count(out, &first, "estimated", p->known & PARTIAL_ESTIMATED, p->estimated);
	partial_count(out, &first, "lost_frees", p->known & PARTIAL_LOST_FREES, p->lost_frees);
	/* Newer than the others: a module that does not count it says nothing of it. */
	if (p->known & PARTIAL_MISSED)
		partial_count(out, &first, "missed", 1, p->missed);
	json_key(out, &first, "kernel_sampled");
	fputs(!(p->known & PARTIAL_KERNEL) ? "null" : p->kernel_sampled ? "true" : "false", out);
	json_key(out, &first, "sampled_mode");
	fputs(p->sampled ? "true" : "false", out);
	partial_frac(out, &first, "dropped_fraction", p, p->known & PARTIAL_DROPPED, p->dropped);
	partial_frac(out, &first, "estimated_fraction", p, p->known & PARTIAL_ESTIMATED,
		     p->estimated);
	partial_frac(out, &first, "lost_frees_fraction", p, p->known & PARTIAL_LOST_FREES,
		     p->lost_frees);
	fputc('}', out);
}

void json_snap_partial(FILE *out, const struct snap *s)
{
	struct partial p;

	snap_partial(s, &p);
	json_partial(out, &p);
}

void json_rows(FILE *out, const struct rowset *rs)
{
	const struct tabdef *def = rs->t->def;
	size_t r;
	int i;

	fputc('[', out);
	for (r = 0; r < rs->n; r++) {
		int first = 1;

		fputs(r ? ",{" : "{", out);
		for (i = 0; i < def->ncols; i++) {
			json_key(out, &first, def->cols[i].name);
			if (def->cols[i].type == COL_STR)
				json_str(out, rs->r[r]->s[i]);
			else if (rs->t->absent & (1u << i))
				fputs("null", out);
			else
				fprintf(out, "%llu", (unsigned long long)rs->r[r]->v[i]);
		}
		fputc('}', out);
	}
	fputc(']', out);
}

void json_listing(FILE *out, const struct snap *s, const struct rowset *rs)
{
	json_doc_head(out, rs->t->def->name, s->st.format, s, 1);
	fputs(",\"mode\":", out);
	json_str(out, rs->t->mode);
	json_snap_partial(out, s);
	fputs(",\"rows\":", out);
	json_rows(out, rs);
	fputs("}\n", out);
}

/* Status values printed as JSON numbers when they are integers (others: strings). */
static int numeric_status_key(const char *k)
{
	static const char *const text_keys[] = { "version", "kernel", "mode", "slab_merge",
		"bulk_probes" };
	size_t i;

	for (i = 0; i < sizeof(text_keys) / sizeof(text_keys[0]); i++)
		if (!strcmp(k, text_keys[i]))
			return 0;
	return 1;
}

void json_status(FILE *out, const struct snap *s)
{
	size_t i;
	int first = 1;

	fputc('{', out);
	for (i = 0; i < s->st.n; i++) {
		uint64_t u;
		size_t j;

		for (j = 0; j < i; j++)	/* duplicate keys: keep the first */
			if (!strcmp(s->st.kv[j].key, s->st.kv[i].key))
				break;
		if (j < i)
			continue;
		json_key(out, &first, s->st.kv[i].key);
		if (numeric_status_key(s->st.kv[i].key) && !parse_u64(s->st.kv[i].val, &u))
			fprintf(out, "%llu", (unsigned long long)u);
		else
			json_str(out, s->st.kv[i].val);
	}
	fputc('}', out);
}

void json_coverage(FILE *out, const struct snap *s)
{
	struct coverage c;
	size_t i;

	if (!s->mi.present || !s->slabs.present) {
		fputs("null", out);
		return;
	}
	coverage_of(s, &c);
	fputc('{', out);
	for (i = 0; i < n_cover_kinds; i++) {
		const struct cover *k = cover_kind_of(&c, i);

		fprintf(out, "%s\"%s\":{\"box_bytes\":", i ? "," : "", cover_kinds[i].key);
		if (k->known)
			fprintf(out, "%llu", (unsigned long long)k->box);
		else
			fputs("null", out);
		fputs(",\"tracked_bytes\":", out);
		if (k->tracked_known)
			fprintf(out, "%llu}", (unsigned long long)k->tracked);
		else
			fputs("null}", out);
	}
	fprintf(out, ",\"reclaim_known\":%s,\"unknown_caches\":%zu}",
		s->rc.present ? "true" : "false", c.unknown);
}

void json_status_doc(FILE *out, const struct snap *s)
{
	json_doc_head(out, "status", s->st.format, s, 1);
	json_snap_partial(out, s);
	fputs(",\"status\":", out);
	json_status(out, s);
	fputs(",\"coverage\":", out);
	json_coverage(out, s);
	fputs("}\n", out);
}
