/* SPDX-License-Identifier: GPL-2.0 */
/*
 * jsonfmt.h - JSON syntax: escaped strings and object keys.
 */
#ifndef OOMTRACE_JSONFMT_H
#define OOMTRACE_JSONFMT_H

#include <stdio.h>

/* JSON string with quotes; control chars escaped, invalid UTF-8 as \u00XX. */
void json_str(FILE *out, const char *s);
/* "key": prefix, with a comma first unless *first. */
void json_key(FILE *out, int *first, const char *key);

#endif
