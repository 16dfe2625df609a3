// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_dump.c - libFuzzer harness for report --dmesg: the kernel log
 * scanner on the input fed whole and in pieces (their size taken from the
 * input), which must find the same; then the snapshot of what it found and
 * the report in text and JSON. Built by 'make fuzz' with ASan and UBSan.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dump.h"
#include "json.h"
#include "snap.h"
#include "text.h"

static FILE *sink;

/* The log in pieces of chunk bytes (0: whole) into d; 0, or -1 out of memory. */
static int scan(const char *data, size_t len, size_t chunk, struct dump *d)
{
	struct dump_scan *sc = dump_scan_new();
	size_t i;
	int r = 0;

	memset(d, 0, sizeof(*d));
	if (!sc)
		return -1;
	if (!chunk)
		chunk = len ? len : 1;
	for (i = 0; i < len && !r; i += chunk)
		r = dump_scan_feed(sc, data + i, len - i < chunk ? len - i : chunk);
	if (dump_scan_end(sc, d))
		r = -1;
	dump_scan_free(sc);
	return r;
}

/* Pieces must not change what is found. */
static void same(const struct dump *a, const struct dump *b)
{
	int f;

	if (a->found != b->found || a->info.nbad != b->info.nbad ||
	    a->info.ncomplete != b->info.ncomplete || a->info.seq != b->info.seq ||
	    a->info.input_lines != b->info.input_lines || a->info.nnewer != b->info.nnewer)
		abort();
	for (f = 0; f < DF_NFILES; f++)
		if (a->file[f].len != b->file[f].len ||
		    (a->file[f].len && memcmp(a->file[f].p, b->file[f].p, a->file[f].len)))
			abort();
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t len);

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t len)
{
	const char *d = (const char *)data;
	struct dump whole, parts;
	struct snap s;
	char err[OT_ERRLEN], said[200];
	size_t i;

	if (!sink)
		sink = fopen("/dev/null", "w");
	if (scan(d, len, 0, &whole) || scan(d, len, len ? 1 + data[len - 1] % 61 : 1, &parts)) {
		dump_free(&whole);
		dump_free(&parts);
		return 0;
	}
	same(&whole, &parts);
	dump_free(&parts);
	for (i = 0; i < whole.info.nnewer; i++)
		dump_bad_text(said, sizeof(said), &whole.info.newer[i]);
	dump_bad_text(said, sizeof(said), &whole.info.last_bad);
	if (!snap_from_dump(&s, &whole, "fuzz", NULL, err, sizeof(err))) {
		text_report(sink, &s, 10, 0);
		text_report(sink, &s, 2, 1);
		json_report(sink, &s, 10);
		snap_free(&s);
	}
	dump_free(&whole);
	return 0;
}
