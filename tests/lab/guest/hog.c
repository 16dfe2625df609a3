// SPDX-License-Identifier: GPL-2.0
/*
 * hog: allocate and touch memory in 1 MiB chunks until killed (or until
 * the optional limit in MiB is reached, then sleep). Built static on the
 * host by tests/lab/lab.sh and installed as /usr/bin/hog in the guest: a
 * busybox-only hog takes ~70 s to trigger the OOM killer, this one < 1 s.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long limit = argc > 1 ? atol(argv[1]) : -1;
	long n;

	for (n = 0; limit < 0 || n < limit; n++) {
		char *p = malloc(1 << 20);

		if (!p) {
			fprintf(stderr, "hog: malloc failed after %ld MiB\n", n);
			break;
		}
		memset(p, 0x5a, 1 << 20);
	}
	printf("hog: holding %ld MiB\n", n);
	fflush(stdout);
	for (;;)
		pause();
	return 0;
}
