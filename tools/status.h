/* SPDX-License-Identifier: GPL-2.0 */
/*
 * status.h - the parser of /proc/oomtrace/status.
 */
#ifndef OOMTRACE_STATUS_H
#define OOMTRACE_STATUS_H

#include <stddef.h>
#include <stdint.h>

#include "banner.h"
#include "lex.h"

struct status {
	char *buf;
	struct kv *kv;
	size_t n;
	int format;
	int present;
	size_t bad;
};

/* 0, -1 (malformed) or OT_EFORMAT, with a message in err (may be NULL). */
int status_parse(struct status *st, const char *data, size_t len, char *err,
		 size_t errlen);
const char *status_get(const struct status *st, const char *key);
uint64_t status_u64(const struct status *st, const char *key);
void status_free(struct status *st);
/*
 * What the status says is not exact: allocs_seen, dropped, estimated,
 * lost_frees, kernel_sampled and mode, each key it has (older modules
 * have fewer).
 */
void status_partial(const struct status *st, struct partial *p);

#endif
