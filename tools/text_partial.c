// SPDX-License-Identifier: GPL-2.0
/*
 * text_partial.c - the line every text output starts with when its numbers
 * are not exact: "partial: 2.9% of 1.2M allocations dropped (table full),
 * 40% estimated ([kernel] sampled), 0.1% frees lost, 3 probe calls missed
 * (...)".
 */
#include <stdio.h>

#include "partial.h"
#include "text.h"
#include "units.h"

/* A fraction as a percentage that never reads 0% or 100% when it is not. */
static const char *pct(char *buf, size_t len, double f)
{
	double v = 100.0 * f;

	if (v < 0.05)
		snprintf(buf, len, "<0.1%%");
	else if (v < 9.95)
		snprintf(buf, len, "%.1f%%", v);
	else if (f < 1.0 && v >= 99.5)
		snprintf(buf, len, ">99%%");
	else
		snprintf(buf, len, "%.0f%%", v);
	return buf;
}

/*
 * One part of the line: "N allocations dropped", "N estimated"; the first
 * says of how many allocations ("2.9% of 1.2M allocations dropped").
 */
static void part(FILE *out, const struct partial *p, uint64_t n, const char *what,
		 const char *why, int *first)
{
	char a[FMT_NUMLEN], b[FMT_NUMLEN];
	double f = partial_fraction(p, n);

	if (!n)
		return;
	fputs(*first ? "" : ", ", out);
	if (f < 0)
		fprintf(out, "%s%s %s%s", fmt_u64(a, sizeof(a), n), *first ? " allocations" : "",
			what, why);
	else if (*first)
		fprintf(out, "%s of %s allocations %s%s", pct(a, sizeof(a), f),
			fmt_count(b, sizeof(b), p->allocs), what, why);
	else
		fprintf(out, "%s %s%s", pct(a, sizeof(a), f), what, why);
	*first = 0;
}

/* The lost frees: "0.1% frees lost", "frees lost for 0.1% of 1.2M allocations", "3 frees lost". */
static void lost(FILE *out, const struct partial *p, int first)
{
	char a[FMT_NUMLEN], b[FMT_NUMLEN];
	double f = partial_fraction(p, p->lost_frees);

	if (!p->lost_frees)
		return;
	fputs(first ? "" : ", ", out);
	if (f < 0)
		fprintf(out, "%s frees lost", fmt_u64(a, sizeof(a), p->lost_frees));
	else if (first)
		fprintf(out, "frees lost for %s of %s allocations", pct(a, sizeof(a), f),
			fmt_count(b, sizeof(b), p->allocs));
	else
		fprintf(out, "%s frees lost", pct(a, sizeof(a), f));
}

void text_partial(FILE *out, const char *lead, const struct partial *p)
{
	int first = 1;

	if (!partial_any(p))
		return;
	fputs(lead, out);
	part(out, p, p->dropped, "dropped", " (table full)", &first);
	part(out, p, p->estimated, "estimated",
	     p->sampled ? " (sampled mode)" : p->kernel_sampled ? " ([kernel] sampled)" : "", &first);
	lost(out, p, first);
	first = first && !p->lost_frees;
	if (p->missed)
		fprintf(out, "%s%llu probe calls missed (bulk allocations or frees, page splits: "
			"not counted)", first ? "" : ", ", (unsigned long long)p->missed);
	fputc('\n', out);
}
