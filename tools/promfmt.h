/* SPDX-License-Identifier: GPL-2.0 */
/*
 * promfmt.h - Prometheus text exposition syntax: metric families and
 * samples, with escaped label values.
 */
#ifndef OOMTRACE_PROMFMT_H
#define OOMTRACE_PROMFMT_H

#include <stdint.h>
#include <stdio.h>

/* Family header (# HELP, # TYPE) and a sample with nlabels labels. */
void prom_family(FILE *out, const char *name, const char *type, const char *help);
void prom_label_value(FILE *out, const char *s);
void prom_sample(FILE *out, const char *name, const char *const *lkeys,
		 const char *const *lvals, int nlabels, uint64_t v);
void prom_sample_s(FILE *out, const char *name, const char *const *lkeys,
		   const char *const *lvals, int nlabels, int64_t v);

#endif
