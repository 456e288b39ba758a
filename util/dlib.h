/* Opening an optional shared library at run time (dlopen) and filling a
 * table of its functions, so that tandem starts without loading libraries
 * that only some runs use (SDL2 for a window, FluidSynth for MIDI): each is
 * dozens of dependent libraries and milliseconds of dynamic linking
 * (bench/README.md, startup_ms). */
#ifndef TANDEM_UTIL_DLIB_H
#define TANDEM_UTIL_DLIB_H

#include <stddef.h>

/* One function: its name in the library and where its pointer goes in the
 * caller's table (offsetof a function-pointer member). */
struct dlib_sym {
	const char *name;
	size_t offset;
};

/* A library and the table its functions go to.  The caller fills the first
 * four members; dlib_load keeps the outcome in the rest. */
struct dlib {
	const char *const *sonames;	/* NULL-terminated; the first that loads */
	const struct dlib_sym *syms;
	size_t nsyms;
	void *table;
	int state;			/* 0 not tried, 1 loaded, -1 failed */
	char failure[256];
};

/* Opens the library on the first call and stores each symbol's address
 * into its table; later calls give the first call's outcome.  0 when
 * loaded; -1 with why filled (why_len bytes) when no soname loads or a
 * symbol is missing.  The library stays loaded for the life of the process. */
int dlib_load(struct dlib *lib, char *why, size_t why_len);

#endif
