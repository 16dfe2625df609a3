// SPDX-License-Identifier: GPL-2.0
/*
 * memsum.c - the lines of the report's memory summary: /proc/meminfo keys
 * under the report's labels (the text shows swap only when there is some).
 */
#include "memsum.h"

const struct mem_line mem_lines[] = {
	{ "TOTAL MEM", "MemTotal" },
	{ "FREE", "MemFree" },
	{ "AVAILABLE", "MemAvailable" },
	{ "SLAB", "Slab" },
	{ "  reclaimable", "SReclaimable" },
	{ "  unreclaimable", "SUnreclaim" },
	{ "PAGE TABLES", "PageTables" },
	{ "KERNEL STACK", "KernelStack" },
	{ "VMALLOC USED", "VmallocUsed" },
	{ "SWAP TOTAL", "SwapTotal" },
	{ "SWAP FREE", "SwapFree" },
};

const size_t n_mem_lines = sizeof(mem_lines) / sizeof(mem_lines[0]);
