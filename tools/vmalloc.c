// SPDX-License-Identifier: GPL-2.0
/*
 * vmalloc.c - /proc/vmallocinfo folded into bytes per module (the
 * [module] of each vmalloc area, [kernel] when there is none).
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../module/format.h"
#include "array.h"
#include "lex.h"
#include "vmalloc.h"

void vmfold_free(struct vmfold *vf)
{
	free(vf->e);
	memset(vf, 0, sizeof(*vf));
}

static int vmfold_add(struct vmfold *vf, const char *name, size_t nlen, uint64_t bytes)
{
	size_t i;
	struct vmfold_ent *e;

	if (nlen >= sizeof(vf->e[0].name))
		nlen = sizeof(vf->e[0].name) - 1;
	for (i = 0; i < vf->n; i++)
		if (!strncmp(vf->e[i].name, name, nlen) && !vf->e[i].name[nlen])
			break;
	if (i == vf->n) {
		int r = array_grow(&vf->e, &vf->cap, vf->n, sizeof(*vf->e), 32, 4096);

		if (r)
			return r;
		memcpy(vf->e[i].name, name, nlen);
		vf->e[i].name[nlen] = 0;
		vf->e[i].bytes = 0;
		vf->e[i].areas = 0;
		vf->n++;
	}
	e = &vf->e[i];
	e->bytes = e->bytes + bytes < e->bytes ? UINT64_MAX : e->bytes + bytes;
	e->areas++;
	vf->total = vf->total + bytes < vf->total ? UINT64_MAX : vf->total + bytes;
	return 0;
}

/* The module's entry in vf, or NULL. */
static const struct vmfold_ent *vmfold_find(const struct vmfold *vf, const char *name)
{
	size_t i;

	for (i = 0; i < vf->n; i++)
		if (!strcmp(vf->e[i].name, name))
			return &vf->e[i];
	return NULL;
}

uint64_t vmfold_bytes(const struct vmfold *vf, const char *module)
{
	const struct vmfold_ent *e = vmfold_find(vf, module);

	return e ? e->bytes : 0;
}

int vmfold_same_modules(const struct vmfold *a, const struct vmfold *b)
{
	const struct vmfold *x[2] = { a, b };
	const struct vmfold_ent *e, *o;
	size_t i, k;

	for (k = 0; k < 2; k++) {
		for (i = 0; i < x[k]->n; i++) {
			e = &x[k]->e[i];
			if (!strcmp(e->name, OT_NAME_KERNEL))
				continue;
			o = vmfold_find(x[!k], e->name);
			if (!o || o->bytes != e->bytes || o->areas != e->areas)
				return 0;
		}
	}
	return 1;
}

/*
 * The memory behind a vmalloc area is its "pages=N" (as VmallocUsed in
 * /proc/meminfo counts it), not its size: the size includes the unmapped
 * guard page (vmalloc(10000) is "16384 ... pages=3"). An area still being
 * set up has no pages= yet and no memory.
 */
static uint64_t vm_page_size(void)
{
	static uint64_t ps;

	if (!ps) {
		long v = sysconf(_SC_PAGESIZE);

		ps = v > 0 ? (uint64_t)v : 4096;
	}
	return ps;
}

/* One line of vmallocinfo: 0, or -1 out of memory. */
static int area_line(struct vmfold *vf, char *line, uint64_t psize)
{
	char *f[OT_MAX_FIELDS];
	const char *mod = OT_NAME_KERNEL;
	size_t mlen = 8;
	uint64_t size, pages = 0;
	int n, i, is_vmalloc = 0, r;

	n = split(line, f, OT_MAX_FIELDS);
	if (!n)
		return 0;
	if (n < 3 || parse_u64(f[1], &size)) {
		vf->bad++;
		return 0;
	}
	for (i = 2; i < n; i++) {
		if (!strcmp(f[i], "vmalloc"))
			is_vmalloc = 1;
		else if (!strncmp(f[i], "pages=", 6) && parse_u64(f[i] + 6, &pages))
			pages = 0;
	}
	if (!is_vmalloc)
		return 0;
	/* the size bounds the pages: a corrupt pages= cannot overflow */
	size = pages <= size / psize ? pages * psize : size;
	for (i = 3; i < n; i++) {
		size_t l = strlen(f[i]);

		if (l > 2 && f[i][0] == '[' && f[i][l - 1] == ']') {
			mod = f[i] + 1;
			mlen = l - 2;
			break;
		}
	}
	r = vmfold_add(vf, mod, mlen, size);
	if (r > 0)
		vf->bad++;
	return r < 0 ? -1 : 0;
}

int vmalloc_fold(struct vmfold *vf, const char *data, size_t len)
{
	char *buf;
	struct lines L;
	char *line;
	size_t llen;
	int term;
	uint64_t psize = vm_page_size();

	memset(vf, 0, sizeof(*vf));
	buf = own_copy(data, len);
	if (!buf)
		return -1;
	L.p = buf;
	L.end = buf + len;
	while ((line = next_line(&L, &llen, &term))) {
		if (!term || llen > OT_MAX_LINE) {
			vf->bad++;
			continue;
		}
		if (area_line(vf, line, psize)) {
			free(buf);
			vmfold_free(vf);
			return -1;
		}
	}
	free(buf);
	vf->present = 1;
	return 0;
}
