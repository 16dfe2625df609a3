// SPDX-License-Identifier: GPL-2.0
/*
 * units.c - numbers for people: "95.4 MiB", "+1.5 KiB", "12.3%".
 */
#include <stdio.h>

#include "units.h"

char *fmt_u64(char *buf, size_t len, uint64_t v)
{
	snprintf(buf, len, "%llu", (unsigned long long)v);
	return buf;
}

char *fmt_s64(char *buf, size_t len, int64_t v)
{
	snprintf(buf, len, v > 0 ? "+%lld" : "%lld", (long long)v);
	return buf;
}

static void human(char *buf, size_t len, const char *sign, uint64_t v)
{
	static const char *const units[] = { "KiB", "MiB", "GiB", "TiB", "PiB", "EiB" };
	double d = (double)v;
	int u = -1;

	if (v < 1024) {
		snprintf(buf, len, "%s%llu B", sign, (unsigned long long)v);
		return;
	}
	while (d >= 1024.0 && u < 5) {
		d /= 1024.0;
		u++;
	}
	if (d >= 1023.95 && u < 5) {
		d /= 1024.0;
		u++;
	}
	snprintf(buf, len, "%s%.1f %s", sign, d, units[u]);
}

char *fmt_bytes(char *buf, size_t len, uint64_t v, int raw)
{
	if (raw)
		return fmt_u64(buf, len, v);
	human(buf, len, "", v);
	return buf;
}

char *fmt_sbytes(char *buf, size_t len, int64_t v, int raw)
{
	uint64_t mag = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;

	if (raw)
		return fmt_s64(buf, len, v);
	if (!v) {
		snprintf(buf, len, "0");
		return buf;
	}
	human(buf, len, v < 0 ? "-" : "+", mag);
	return buf;
}

char *fmt_count(char *buf, size_t len, uint64_t v)
{
	static const char units[] = "kMGTPE";
	double d = (double)v;
	int u = -1;

	if (v < 1000)
		return fmt_u64(buf, len, v);
	while (d >= 999.95 && u < 5) {
		d /= 1000.0;
		u++;
	}
	snprintf(buf, len, d >= 99.95 ? "%.0f%c" : "%.1f%c", d, units[u]);
	return buf;
}

char *fmt_pct(char *buf, size_t len, uint64_t part, uint64_t total)
{
	if (!total)
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "%.1f%%", 100.0 * (double)part / (double)total);
	return buf;
}
