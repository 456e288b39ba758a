/* libfluidsynth at run time (fluid_dl.h). */
#ifdef HAVE_FLUIDSYNTH
#include "hw/fluid_dl.h"

#include <stdio.h>

#include "util/dlib.h"

#define SYM(f) { #f, offsetof(struct fluid_dl, f) }
static const struct dlib_sym syms[] = {
	SYM(fluid_set_log_function), SYM(new_fluid_settings), SYM(delete_fluid_settings),
	SYM(fluid_settings_setint), SYM(fluid_settings_setnum), SYM(new_fluid_synth),
	SYM(delete_fluid_synth), SYM(fluid_synth_sfload), SYM(fluid_synth_write_s16),
	SYM(fluid_synth_noteon), SYM(fluid_synth_noteoff), SYM(fluid_synth_key_pressure),
	SYM(fluid_synth_cc), SYM(fluid_synth_program_change),
	SYM(fluid_synth_channel_pressure), SYM(fluid_synth_pitch_bend),
	SYM(fluid_synth_sysex), SYM(fluid_synth_system_reset),
};
#undef SYM

/* configure names the library tandem was built against (its SONAME). */
static const char *const sonames[] = {
#ifdef FLUIDSYNTH_SONAME
	FLUIDSYNTH_SONAME,
#endif
	"libfluidsynth.so.3", "libfluidsynth.so.2", NULL,
};

const struct fluid_dl *fluid_dl_get(char *why, size_t why_len)
{
	static struct fluid_dl api;
	static struct dlib lib = {
		.sonames = sonames, .syms = syms, .nsyms = sizeof(syms) / sizeof(syms[0]), .table = &api,
	};

	return dlib_load(&lib, why, why_len) == 0 ? &api : NULL;
}
#endif
