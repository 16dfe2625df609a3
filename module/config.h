/* SPDX-License-Identifier: GPL-2.0 */
/*
 * oomtrace: the module parameters, checked by main.c and handed down to
 * the layers that print or size by them.
 */
#ifndef OOMTRACE_CONFIG_H
#define OOMTRACE_CONFIG_H

#include <linux/types.h>

struct ot_config {
	unsigned long max_objects;
	u32 max_sites;
	unsigned int walk_depth;
	bool walk_all;
	unsigned int peak_ms;
	bool sampled;
	u32 sample_bytes;
	unsigned int max_events;
	unsigned int dump_rows;
	unsigned int maxactive;		/* kretprobe calls in flight counted */
	size_t module_bytes;		/* what the tables hold */
};

#endif /* OOMTRACE_CONFIG_H */
