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

#endif
