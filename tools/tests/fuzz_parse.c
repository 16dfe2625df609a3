// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_parse.c - libFuzzer harness: every parser on the same input, then the
 * renderers (text, JSON, Prometheus), what is partial, the coverage, the
 * diff and the culprit rule on what parsed. Built by 'make fuzz' with ASan
 * and UBSan.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "culprit.h"
#include "diff.h"
#include "json.h"
#include "lex.h"
#include "prom.h"
#include "rows.h"
#include "snap.h"
#include "text.h"

static FILE *sink;

static void render_table(const struct table *t)
{
	struct rowset rs;

	if (rowset_make(&rs, t, 0, NULL, NULL, 0))
		return;
	text_rows(sink, &rs, 0, NULL);
	json_rows(sink, &rs);
	prom_rows(sink, &rs);
	rowset_free(&rs);
	if (!rowset_make(&rs, t, 1, "x", "name", 3))
		rowset_free(&rs);
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t len);

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t len)
{
	const char *d = (const char *)data;
	struct snap s;
	struct culprit c;
	struct dtab dm;
	struct partial p;
	char err[OT_ERRLEN], v[512];

	if (!sink)
		sink = fopen("/dev/null", "w");
	memset(&s, 0, sizeof(s));
	s.slabs.def = &tab_slabs;
	s.modules.def = &tab_modules;
	s.callsites.def = &tab_callsites;
	s.modslabs.def = &tab_modslabs;
	s.slabinfo.def = &tab_slabinfo;
	table_parse(&s.slabs, &tab_slabs, d, len, err, sizeof(err));
	table_parse(&s.modules, &tab_modules, d, len, err, sizeof(err));
	table_parse(&s.callsites, &tab_callsites, d, len, err, sizeof(err));
	table_parse(&s.modslabs, &tab_modslabs, d, len, err, sizeof(err));
	status_parse(&s.st, d, len, err, sizeof(err));
	events_parse(&s.ev, d, len, err, sizeof(err));
	meminfo_parse(&s.mi, d, len);
	vmalloc_fold(&s.vm, d, len);
	slabinfo_parse(&s.slabinfo, d, len);
	reclaim_parse(&s.rc, d, len);

	render_table(&s.slabs);
	render_table(&s.modules);
	render_table(&s.callsites);
	render_table(&s.modslabs);
	text_coverage(sink, &s, 0);
	text_coverage_status(sink, &s, 1);
	text_slabinfo(sink, &s, 3, 0);
	json_coverage(sink, &s);
	json_status(sink, &s);
	prom_status(sink, &s);
	json_events(sink, &s.ev, NULL);
	json_events(sink, &s.ev, "x");
	prom_events(sink, &s);
	/* what is partial, from the status and the "# partial" lines: every form */
	snap_partial(&s, &p);
	text_partial(sink, "partial: ", &p);
	json_partial(sink, &p);
	prom_events_doc(sink, &s);
	find_culprit(&s, &c);
	if (!diff_tables(&dm, &s.modules, &s.modules, MO_LIVE_BYTES, MO_LIVE, MO_STATE, 0, 1)) {
		diff_verdict(v, sizeof(v), &dm, &dm, 0);
		dtab_free(&dm);
	}
	snap_free(&s);
	return 0;
}
