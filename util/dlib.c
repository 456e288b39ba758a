/* Optional shared libraries opened at run time (dlib.h). */
#include "util/dlib.h"

#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

static int dlib_open(const char *const *sonames, const struct dlib_sym *syms, size_t n,
		     void *table, char *why, size_t why_len)
{
	void *h = NULL;
	const char *err = "no library name", *name = NULL;
	for (size_t i = 0; sonames[i] && !h; i++) {
		name = sonames[i];
		h = dlopen(name, RTLD_NOW | RTLD_LOCAL);
		if (!h)
			err = dlerror();
	}
	if (!h) {
		snprintf(why, why_len, "%s", err);
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		void *f = dlsym(h, syms[i].name);
		if (!f) {
			snprintf(why, why_len, "%s has no %s", name, syms[i].name);
			dlclose(h);
			return -1;
		}
		/* POSIX guarantees a function's address fits a void *. */
		memcpy((char *)table + syms[i].offset, &f, sizeof(f));
	}
	return 0;
}

int dlib_load(struct dlib *lib, char *why, size_t why_len)
{
	if (lib->state == 0)
		lib->state = dlib_open(lib->sonames, lib->syms, lib->nsyms, lib->table,
				       lib->failure, sizeof(lib->failure)) == 0 ? 1 : -1;
	if (lib->state > 0)
		return 0;
	snprintf(why, why_len, "%s", lib->failure);
	return -1;
}
