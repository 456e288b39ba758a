/* The CD-ROM drive's audio player (CD-DA): plays frames of a cdimage in
 * virtual time, 75 frames (44100 stereo samples) a second, whatever the
 * emulation speed.  The position is a function of the clock (computed when
 * asked), so nothing needs a timer; when a mixer is attached the samples
 * are pushed as a 44.1 kHz stereo source, rendered up to the
 * present before every mix and before every change of state or volume.
 * The ATAPI commands (PLAY AUDIO, PAUSE/RESUME, STOP PLAY/SCAN, READ
 * SUB-CHANNEL) in hw/atapi.c drive it; the board owns it as a device (its
 * state goes into save states). */
#ifndef TANDEM_HW_CDAUDIO_H
#define TANDEM_HW_CDAUDIO_H

#include <stdbool.h>
#include <stdint.h>

#include "hw/device.h"

struct clock;
struct cdimage;
struct mixer;
struct cdaudio;

/* Audio status codes of READ SUB-CHANNEL (MMC). */
enum {
	CDA_PLAYING = 0x11, CDA_PAUSED = 0x12, CDA_COMPLETED = 0x13, CDA_ERROR = 0x14,
	CDA_NONE = 0x15,
};

/* NULL on out of memory.  img stays owned by the caller. */
struct cdaudio *cdaudio_new(struct clock *clk, struct cdimage *img);

/* Plays frames [start, end) (the caller checked they are audio frames on
 * the disc and start < end), from now on. */
void cdaudio_play(struct cdaudio *p, uint32_t start, uint32_t end);
/* Pauses (resume false) or resumes a play; -1 when none is in progress
 * (neither playing nor paused).  Pausing a paused play, or resuming a
 * playing one, changes nothing. */
int cdaudio_pause(struct cdaudio *p, bool resume);
/* Ends any play; the status becomes CDA_NONE. */
void cdaudio_stop(struct cdaudio *p);
/* Playing or paused. */
bool cdaudio_active(struct cdaudio *p);
/* The frame under the head: the one playing, where a play paused, the
 * last one a completed play played, else where the last play started. */
uint32_t cdaudio_position(struct cdaudio *p);
/* The audio status; CDA_COMPLETED and CDA_ERROR are reported once, then
 * CDA_NONE (as MMC asks of READ SUB-CHANNEL). */
uint8_t cdaudio_take_status(struct cdaudio *p);

/* Starts rendering into mix (NULL stops). */
void cdaudio_set_mixer(struct cdaudio *p, struct mixer *mix);
/* Volume in 1/256 (256 = unity), left and right, from now on: the sound
 * card's CD level (opaque is the player: a sb16_set_cd_gains callback). */
void cdaudio_set_gains(void *opaque, int left, int right);

extern const struct device_desc cdaudio_desc;

#endif
