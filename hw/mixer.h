/* The sound path from devices to the frontend: a ring of signed 16-bit
 * stereo frames (left, right) at MIXER_RATE.  Devices write samples in
 * virtual-time order; the frontend drains them (SDL audio, a WAV file).
 * When nobody drains fast enough the oldest frames are overwritten.
 * Single threaded: writer and reader both run on the main loop's thread. */
#ifndef TANDEM_HW_MIXER_H
#define TANDEM_HW_MIXER_H

#include <stddef.h>
#include <stdint.h>

#define MIXER_RATE 48000

struct mixer;
struct snap;

/* A ring holding up to capacity frames; NULL on out of memory. */
struct mixer *mixer_new(size_t capacity);
void mixer_free(struct mixer *m);

/* Appends n mono samples, centred (left = right = the sample). */
void mixer_write(struct mixer *m, const int16_t *s, size_t n);

/* Takes up to n frames, oldest first, as interleaved left/right pairs
 * (lr holds 2n samples); returns how many frames. */
size_t mixer_read_stereo(struct mixer *m, int16_t *lr, size_t n);
/* The same folded to mono, (left + right) / 2: a centred mono source
 * reads back exactly as it was written. */
size_t mixer_read(struct mixer *m, int16_t *out, size_t n);

/* Frames waiting, and frames lost to overflow so far. */
size_t mixer_available(const struct mixer *m);
uint64_t mixer_dropped(const struct mixer *m);

/* Clocked mode.  Once a clock is set, the mixer keeps a timeline of its
 * own: every MIXER_BLOCK_MS of virtual time (and on mixer_flush) it asks
 * each source to catch up with the present, sums what the sources have
 * for the frames [emitted, samples_at(now)) and appends that to the ring.
 * mixer_write() then feeds a "direct" source (the PC speaker renders
 * MIXER_RATE samples itself) instead of the ring.  The ring grows instead
 * of dropping in this mode (up to MIXER_MAX_RING frames), so a capture
 * drained only now and then by wall time stays bit-exact however fast the
 * emulator runs.  Everything is a function of virtual time: the same run
 * gives the same samples.  Frame number i of the timeline is the sound at
 * virtual time i / MIXER_RATE s. */
#define MIXER_BLOCK_MS 5
#define MIXER_MAX_RING (64u * 1024 * 1024)

struct clock;
struct mixer_source;

void mixer_set_clock(struct mixer *m, struct clock *clk);
/* Mixes up to the present (before draining the ring at exit). */
void mixer_flush(struct mixer *m);

/* A source producing samples at rate Hz in virtual-time order, mono or
 * stereo (push either way, at any time).  update (may be NULL) is called
 * before each mix so the source can render up to clock_now(); it pushes.
 * Rates other than MIXER_RATE go through the mixer's windowed-sinc
 * resampler (32 taps: it holds back 16 input samples, which
 * mixer_source_start and a rate change flush as silence); MIXER_RATE
 * itself is passed through bit-exact. */
struct mixer_source *mixer_source_new(struct mixer *m, const char *name, uint32_t rate,
				      void (*update)(void *opaque), void *opaque);
void mixer_source_free(struct mixer_source *s);
/* n mono samples, centred. */
void mixer_source_push(struct mixer_source *s, const int16_t *x, size_t n);
/* n frames of interleaved left/right samples. */
void mixer_source_push_stereo(struct mixer_source *s, const int16_t *lr, size_t n);
/* Says that the next samples pushed begin at the present moment: for a
 * source that starts (or resumes) after having pushed nothing for a while.
 * Without it, pushed samples follow the previous ones on the timeline. */
void mixer_source_start(struct mixer_source *s);
/* Changes the input rate from the next sample on. */
void mixer_source_set_rate(struct mixer_source *s, uint32_t rate);
/* Gain in 1/256 (256 = unity, 0 = mute) for the samples pushed from now
 * on (a source renders up to the present first): both channels, or left
 * and right apart (a card's pan and balance). */
void mixer_source_set_gain(struct mixer_source *s, int gain);
void mixer_source_set_gains(struct mixer_source *s, int left, int right);
/* "sinc": the resampler this build uses. */
const char *mixer_resampler_name(void);

/* Save states.  mixer_save writes the timeline: the next frame to mix,
 * the speaker's and every source's frames waiting to be mixed, each
 * source's rate, gains and resampler (its window of input frames and its
 * phase) and when the next block is due.  mixer_load restores that into a
 * mixer with the same sources (names, in order); the frames it would mix
 * before the restored present (they were the saving run's) are dropped
 * from the ring, so what the frontend reads starts at the frame of the
 * moment of the save.  mixer_restart instead begins the timeline afresh at
 * the present (a state saved without a mixer). -1: record refused. */
void mixer_save(const struct mixer *m, struct snap *sn);
int mixer_load(struct mixer *m, struct snap *sn);
void mixer_restart(struct mixer *m);
/* The timeline frame the ring's output starts at after the last
 * mixer_load or mixer_restart (0 for a run from power-on). */
uint64_t mixer_first_frame(const struct mixer *m);

#endif
