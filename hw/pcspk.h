/* PC speaker: the cone follows PIT channel 2's OUT gated by port 61h bit 1
 * (speaker data); bit 0 gates the channel itself.  Sound is rendered in
 * blocks of virtual time (a timer every PCSPK_BLOCK_MS while a mixer is
 * attached; nothing runs without one), 4x oversampled and box-filtered
 * into MIXER_RATE samples, with a DC blocker.  Port 61h changes within a
 * block are seen at its end, so PWM sample playback through bit 1 is not
 * reproduced; tones and beeps are. */
#ifndef TANDEM_HW_PCSPK_H
#define TANDEM_HW_PCSPK_H

#include <stdint.h>

#include "hw/device.h"

struct clock;
struct pit;
struct sysctl;
struct mixer;
struct pcspk;

#define PCSPK_BLOCK_MS 5
#define PCSPK_AMPLITUDE 8000

struct pcspk *pcspk_new(struct clock *clk, struct pit *pit, struct sysctl *sc);

/* Starts rendering into mix from now on (NULL stops). */
void pcspk_set_mixer(struct pcspk *s, struct mixer *mix);

/* Renders up to the present moment (at exit, before the last drain). */
void pcspk_flush(struct pcspk *s);

extern const struct device_desc pcspk_desc;

#endif
