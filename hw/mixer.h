/* The sound path from devices to the frontend: a ring of signed 16-bit
 * mono samples at MIXER_RATE.  Devices write samples in virtual-time
 * order; the frontend drains them (SDL audio, a WAV file).  When nobody
 * drains fast enough the oldest samples are overwritten.  Single
 * threaded: writer and reader both run on the main loop's thread. */
#ifndef TANDEM_HW_MIXER_H
#define TANDEM_HW_MIXER_H

#include <stddef.h>
#include <stdint.h>

#define MIXER_RATE 48000

struct mixer;

/* A ring holding up to capacity samples; NULL on out of memory. */
struct mixer *mixer_new(size_t capacity);
void mixer_free(struct mixer *m);

/* Appends n samples (overwriting the oldest when full). */
void mixer_write(struct mixer *m, const int16_t *s, size_t n);

/* Takes up to n samples, oldest first; returns how many. */
size_t mixer_read(struct mixer *m, int16_t *out, size_t n);

/* Samples waiting, and samples lost to overflow so far. */
size_t mixer_available(const struct mixer *m);
uint64_t mixer_dropped(const struct mixer *m);

/* Clocked mode.  Once a clock is set, the mixer keeps a timeline of its
 * own: every MIXER_BLOCK_MS of virtual time (and on mixer_flush) it asks
 * each source to catch up with the present, sums what the sources have
 * for the samples [emitted, samples_at(now)) and appends that to the ring.
 * mixer_write() then feeds a "direct" source (the PC speaker renders
 * MIXER_RATE samples itself) instead of the ring.  The ring grows instead
 * of dropping in this mode (up to MIXER_MAX_RING samples), so a capture
 * drained only now and then by wall time stays bit-exact however fast the
 * emulator runs.  Everything is a function of virtual time: the same run
 * gives the same samples. */
#define MIXER_BLOCK_MS 5
#define MIXER_MAX_RING (64u * 1024 * 1024)

struct clock;
struct mixer_source;

void mixer_set_clock(struct mixer *m, struct clock *clk);
/* Mixes up to the present (before draining the ring at exit). */
void mixer_flush(struct mixer *m);

/* A source producing mono samples at rate Hz in virtual-time order.
 * update (may be NULL) is called before each mix so the source can
 * render up to clock_now(); it calls mixer_source_push.  Rates other than
 * MIXER_RATE go through a resampler (libspeexdsp when built with it, else
 * linear interpolation); MIXER_RATE itself is passed through bit-exact. */
struct mixer_source *mixer_source_new(struct mixer *m, const char *name, uint32_t rate,
				      void (*update)(void *opaque), void *opaque);
void mixer_source_free(struct mixer_source *s);
void mixer_source_push(struct mixer_source *s, const int16_t *x, size_t n);
/* Says that the next samples pushed begin at the present moment: for a
 * source that starts (or resumes) after having pushed nothing for a while.
 * Without it, pushed samples follow the previous ones on the timeline. */
void mixer_source_start(struct mixer_source *s);
/* Changes the input rate (the resampler keeps its history). */
void mixer_source_set_rate(struct mixer_source *s, uint32_t rate);
/* Gain in 1/256 (256 = unity, 0 = mute) for the samples pushed from now
 * on (a source renders up to the present first). */
void mixer_source_set_gain(struct mixer_source *s, int gain);
/* "speexdsp" or "linear": which resampler this build uses. */
const char *mixer_resampler_name(void);

#endif
