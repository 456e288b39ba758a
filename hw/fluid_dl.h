/* libfluidsynth, opened on the first MIDI note rather than linked: it pulls in
 * some forty libraries (glib, sndfile, PulseAudio, JACK...) whose loading
 * would cost every run milliseconds of start-up (util/dlib.h).  Built only
 * with HAVE_FLUIDSYNTH (its header gives the types). */
#ifndef TANDEM_HW_FLUID_DL_H
#define TANDEM_HW_FLUID_DL_H

#include <stddef.h>
#include <fluidsynth.h>

/* The functions hw/mpu401.c calls, named as in the library and typed from
 * its header. */
struct fluid_dl {
	__typeof__(fluid_set_log_function) *fluid_set_log_function;
	__typeof__(new_fluid_settings) *new_fluid_settings;
	__typeof__(delete_fluid_settings) *delete_fluid_settings;
	__typeof__(fluid_settings_setint) *fluid_settings_setint;
	__typeof__(fluid_settings_setnum) *fluid_settings_setnum;
	__typeof__(new_fluid_synth) *new_fluid_synth;
	__typeof__(delete_fluid_synth) *delete_fluid_synth;
	__typeof__(fluid_synth_sfload) *fluid_synth_sfload;
	__typeof__(fluid_synth_write_s16) *fluid_synth_write_s16;
	__typeof__(fluid_synth_noteon) *fluid_synth_noteon;
	__typeof__(fluid_synth_noteoff) *fluid_synth_noteoff;
	__typeof__(fluid_synth_key_pressure) *fluid_synth_key_pressure;
	__typeof__(fluid_synth_cc) *fluid_synth_cc;
	__typeof__(fluid_synth_program_change) *fluid_synth_program_change;
	__typeof__(fluid_synth_channel_pressure) *fluid_synth_channel_pressure;
	__typeof__(fluid_synth_pitch_bend) *fluid_synth_pitch_bend;
	__typeof__(fluid_synth_sysex) *fluid_synth_sysex;
	__typeof__(fluid_synth_system_reset) *fluid_synth_system_reset;
};

/* The library's functions, loaded on the first call (later calls return the
 * same table, or NULL again); NULL with why filled when it cannot load. */
const struct fluid_dl *fluid_dl_get(char *why, size_t why_len);

#endif
