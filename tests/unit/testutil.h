/*
 * What every cmocka test binary includes: cmocka's required headers in order.
 */
#ifndef TESTUTIL_H
#define TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include "ccpu/aarch64.h"
#include "ccpu/jvm.h"

#define nitems(a)	(sizeof(a) / sizeof((a)[0]))
#define TU_UNUSED	__attribute__((unused))

/* A layout that must exist. */
static TU_UNUSED const struct ccpu_layout *
tu_layout(const char *name)
{
	const struct ccpu_layout	*l;
	struct ccpu_error		 e;

	if ((l = ccpu_layout_lookup(name, &e)) == NULL)
		fail_msg("%s", e.msg);
	return l;
}

/* An aarch64 layout that must exist. */
static TU_UNUSED const struct ccpu_a64_layout *
tu_a64_layout(const char *name)
{
	const struct ccpu_a64_layout	*l;
	struct ccpu_error		 e;

	if ((l = ccpu_a64_layout_lookup(name, &e)) == NULL)
		fail_msg("%s", e.msg);
	return l;
}

/* fs plus the features of a space-separated list of the layout's names. */
static TU_UNUSED struct ccpu_featset
tu_with(struct ccpu_featset fs, const struct ccpu_layout *l, const char *list)
{
	char		 w[64];
	const char	*p = list;
	size_t		 n;
	int		 b;

	while (*p != '\0') {
		n = strcspn(p, " ");
		if (n > 0) {
			assert_true(n < sizeof(w));
			memcpy(w, p, n);
			w[n] = '\0';
			if ((b = ccpu_layout_bit(l, w)) < 0)
				fail_msg("unknown name '%s'", w);
			ccpu_featset_add(&fs, (unsigned int)b);
		}
		p += n;
		p += strspn(p, " ");
	}
	return fs;
}

/* The set of a space-separated list of the layout's names. */
static TU_UNUSED struct ccpu_featset
tu_names(const struct ccpu_layout *l, const char *list)
{
	return tu_with((struct ccpu_featset)CCPU_FEATSET_INIT, l, list);
}

/* qsort comparison of C strings. */
static TU_UNUSED int
tu_cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * The entries of a fixture directory, sorted, without dot files and
 * INDEX.md; *n gets their count.  NULL (and *n 0) when dir cannot be opened,
 * e.g. when the test does not run from the top directory.  The caller frees
 * each name and the array.
 */
static TU_UNUSED char **
tu_list_dir(const char *dir, size_t *n)
{
	DIR		*d = opendir(dir);
	struct dirent	*de;
	char		**v = NULL;
	size_t		 cap = 0;

	*n = 0;
	if (d == NULL)
		return NULL;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.' || strcmp(de->d_name, "INDEX.md") == 0)
			continue;
		if (*n == cap) {
			cap = cap ? 2 * cap : 64;
			if ((v = realloc(v, cap * sizeof(*v))) == NULL)
				abort();
		}
		if ((v[(*n)++] = strdup(de->d_name)) == NULL)
			abort();
	}
	closedir(d);
	qsort(v, *n, sizeof(*v), tu_cmp_str);
	return v;
}

#endif
