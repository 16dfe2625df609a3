// SPDX-License-Identifier: GPL-2.0
/*
 * json_events.c - the OOM events as JSON: each event's fields (null when
 * not known) and its module and cache entries.
 */
#include <stdio.h>
#include <string.h>

#include "json.h"
#include "jsonfmt.h"

static void json_entries(FILE *out, const struct ev_entry *e, size_t n)
{
	size_t i;

	fputc('[', out);
	for (i = 0; i < n; i++) {
		fputs(i ? ",{\"name\":" : "{\"name\":", out);
		json_str(out, e[i].name);
		fprintf(out, ",\"live_bytes\":%llu,\"delta_bytes\":%lld}",
			(unsigned long long)e[i].live_bytes, (long long)e[i].delta_bytes);
	}
	fputc(']', out);
}

static void json_s64(FILE *out, int known, int64_t v)
{
	if (known)
		fprintf(out, "%lld", (long long)v);
	else
		fputs("null", out);
}

static void json_u64(FILE *out, const char *key, int known, uint64_t v)
{
	fprintf(out, ",\"%s\":", key);
	if (known)
		fprintf(out, "%llu", (unsigned long long)v);
	else
		fputs("null", out);
}

void json_events(FILE *out, const struct events *ev, const char *module)
{
	size_t i, j;

	fputc('[', out);
	for (i = 0; i < ev->n; i++) {
		const struct event *e = &ev->ev[i];

		fprintf(out, "%s{\"seq\":%llu,\"time\":%.6f,\"kind\":", i ? "," : "",
			(unsigned long long)e->seq, e->t);
		json_str(out, e->kind);
		fputs(",\"pid\":", out);
		json_s64(out, e->known & EV_PID, e->pid);
		fputs(",\"comm\":", out);
		json_str(out, e->comm);
		fputs(",\"oom_score_adj\":", out);
		json_s64(out, e->known & EV_ADJ, e->oom_score_adj);
		json_u64(out, "rss_kb", e->known & EV_RSS, e->rss_kb);
		json_u64(out, "free_kb", e->known & EV_FREE, e->free_kb);
		json_u64(out, "slab_reclaimable_kb", e->known & EV_SLABR, e->slab_reclaimable_kb);
		json_u64(out, "slab_unreclaimable_kb", e->known & EV_SLABU,
			 e->slab_unreclaimable_kb);
		json_u64(out, "pagetables_kb", e->known & EV_PT, e->pagetables_kb);
		json_u64(out, "tracked_bytes", e->known & EV_TRACKED, e->tracked_bytes);
		json_u64(out, "dropped_events", 1, e->dropped_events);
		fputs(",\"modules\":", out);
		if (module) {
			for (j = 0; j < e->nmods; j++)
				if (!strcmp(e->mods[j].name, module))
					break;
			if (j < e->nmods)
				json_entries(out, &e->mods[j], 1);
			else
				fputs("[]", out);
			fputs(",\"caches\":[]}", out);
			continue;
		}
		json_entries(out, e->mods, e->nmods);
		fputs(",\"caches\":", out);
		json_entries(out, e->caches, e->ncaches);
		fputc('}', out);
	}
	fputc(']', out);
}

void json_events_doc(FILE *out, const struct snap *s, const char *module)
{
	json_doc_head(out, "events", s->st.format, s, 1);
	json_snap_partial(out, s);
	fputs(",\"events\":", out);
	json_events(out, &s->ev, module);
	fputs("}\n", out);
}
