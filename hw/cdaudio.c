/* CD-DA player for hw/cdaudio.h.  Positions count samples (stereo pairs at
 * 44.1 kHz, 588 to a frame) from LBA 0. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "hw/cdaudio.h"
#include "hw/cdimage.h"
#include "hw/clock.h"
#include "hw/mixer.h"
#include "util/snapshot.h"

#define CDA_RATE 44100
#define SAMPLES_PER_FRAME (CDA_RATE / CD_FRAMES_PER_SEC)

struct cdaudio {
	struct clock *clk;
	struct cdimage *img;
	struct mixer_source *src;
	int gain[2];
	uint8_t status;
	/* Playing: the position at time t0; otherwise the position. */
	uint64_t pos, t0;
	uint64_t end;		/* where the play stops */
	uint64_t rendered;	/* next sample to push into the mixer */
	bool quiet;		/* silence pushed after the last sound */
	uint8_t frame[CD_RAW_BYTES];
	uint32_t frame_lba;	/* what frame holds; UINT32_MAX: nothing */
	bool frame_ok;
};

struct cdaudio *cdaudio_new(struct clock *clk, struct cdimage *img)
{
	struct cdaudio *p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	p->clk = clk;
	p->img = img;
	p->gain[0] = p->gain[1] = 256;
	p->status = CDA_NONE;
	p->frame_lba = UINT32_MAX;
	return p;
}

/* Brings a play up to the present: ends it when its last sample is due. */
static uint64_t current(struct cdaudio *p)
{
	if (p->status != CDA_PLAYING)
		return p->pos;
	uint64_t now = clock_now(p->clk);
	uint64_t cur = p->pos + (now > p->t0 ? clock_ps_to_ticks(now - p->t0, CDA_RATE) : 0);
	if (cur >= p->end) {
		p->status = CDA_COMPLETED;
		p->pos = p->end;
		return p->end;
	}
	return cur;
}

static const uint8_t *frame_at(struct cdaudio *p, uint32_t lba)
{
	if (p->frame_lba != lba) {
		p->frame_ok = cdimage_read_raw(p->img, lba, p->frame) == 0;
		p->frame_lba = lba;
	}
	return p->frame_ok ? p->frame : NULL;
}

/* When a play ends, a little silence after its last sample pushes what
 * the mixer's resampler holds back out at the right moment. */
static void end_of_sound(struct cdaudio *p)
{
	static const int16_t zero[2 * 32];
	if (p->src && !p->quiet && p->status != CDA_PLAYING) {
		mixer_source_push_stereo(p->src, zero, 32);
		p->quiet = true;
	}
}

/* Pushes the samples up to the present (or the end of the play). */
static void render(void *opaque)
{
	struct cdaudio *p = opaque;
	uint64_t target = current(p);
	if (!p->src || target < p->rendered) {
		p->rendered = target;
		return;
	}
	int16_t out[2 * SAMPLES_PER_FRAME];
	while (p->rendered < target) {
		uint32_t lba = (uint32_t)(p->rendered / SAMPLES_PER_FRAME);
		uint32_t first = (uint32_t)(p->rendered % SAMPLES_PER_FRAME);
		uint64_t left = target - p->rendered;
		uint32_t n = SAMPLES_PER_FRAME - first;
		if (n > left)
			n = (uint32_t)left;
		const uint8_t *f = frame_at(p, lba);
		if (!f) {	/* the host could not read the image: the play fails */
			p->status = CDA_ERROR;
			p->pos = p->rendered;
			return;
		}
		for (uint32_t i = 0; i < 2 * n; i++) {	/* little endian, left first */
			const uint8_t *s = f + first * 4 + i * 2;
			out[i] = (int16_t)(s[0] | s[1] << 8);
		}
		mixer_source_push_stereo(p->src, out, n);
		p->rendered += n;
	}
	end_of_sound(p);
}

void cdaudio_play(struct cdaudio *p, uint32_t start, uint32_t end)
{
	render(p);
	p->status = CDA_PLAYING;
	p->pos = (uint64_t)start * SAMPLES_PER_FRAME;
	p->end = (uint64_t)end * SAMPLES_PER_FRAME;
	p->t0 = clock_now(p->clk);
	p->rendered = p->pos;
	p->quiet = false;
	if (p->src)
		mixer_source_start(p->src);
}

int cdaudio_pause(struct cdaudio *p, bool resume)
{
	render(p);
	if (p->status != CDA_PLAYING && p->status != CDA_PAUSED)
		return -1;
	if (resume && p->status == CDA_PAUSED) {
		p->status = CDA_PLAYING;
		p->t0 = clock_now(p->clk);
		p->quiet = false;
		if (p->src)
			mixer_source_start(p->src);
	} else if (!resume && p->status == CDA_PLAYING) {
		p->pos = current(p);
		p->status = CDA_PAUSED;
		end_of_sound(p);
	}
	return 0;
}

void cdaudio_stop(struct cdaudio *p)
{
	render(p);
	p->pos = current(p);
	p->status = CDA_NONE;
	end_of_sound(p);
}

bool cdaudio_active(struct cdaudio *p)
{
	current(p);
	return p->status == CDA_PLAYING || p->status == CDA_PAUSED;
}

uint32_t cdaudio_position(struct cdaudio *p)
{
	uint64_t cur = current(p);
	uint32_t lba = (uint32_t)(cur / SAMPLES_PER_FRAME);
	/* A play that reached its end stays on its last frame. */
	if (p->end && cur == p->end)
		lba--;
	return lba;
}

uint8_t cdaudio_take_status(struct cdaudio *p)
{
	current(p);
	uint8_t s = p->status;
	if (s == CDA_COMPLETED || s == CDA_ERROR)
		p->status = CDA_NONE;
	return s;
}

void cdaudio_set_mixer(struct cdaudio *p, struct mixer *mix)
{
	render(p);
	mixer_source_free(p->src);
	p->src = NULL;
	if (!mix)
		return;
	p->src = mixer_source_new(mix, "cd-audio", CDA_RATE, render, p);
	if (p->src)
		mixer_source_set_gains(p->src, p->gain[0], p->gain[1]);
	p->rendered = current(p);
}

void cdaudio_set_gains(void *opaque, int left, int right)
{
	struct cdaudio *p = opaque;
	render(p);
	p->gain[0] = left;
	p->gain[1] = right;
	if (p->src)
		mixer_source_set_gains(p->src, left, right);
}

static void cdaudio_reset(void *dev)
{
	struct cdaudio *p = dev;
	render(p);
	p->status = CDA_NONE;
	p->pos = p->end = 0;
	p->rendered = 0;
}

static void cdaudio_save(void *dev, struct snap *s)
{
	struct cdaudio *p = dev;
	render(p);
	snap_put_u8(s, p->status);
	snap_put_u64(s, p->pos);
	snap_put_u64(s, p->t0);
	snap_put_u64(s, p->end);
}

static int cdaudio_load(void *dev, struct snap *s)
{
	struct cdaudio *p = dev;
	uint8_t status = snap_get_u8(s);
	uint64_t pos = snap_get_u64(s), t0 = snap_get_u64(s), end = snap_get_u64(s);
	uint64_t limit = (uint64_t)cdimage_leadout(p->img) * SAMPLES_PER_FRAME;
	if (!snap_ok(s) || status < CDA_PLAYING || status > CDA_NONE || end > limit ||
	    ((status == CDA_PLAYING || status == CDA_PAUSED) && pos >= end))
		return -EINVAL;
	p->status = status;
	p->pos = pos;
	p->t0 = t0;
	p->end = end;
	/* The mixer's own record (hw/sound.c) restores the sound's timeline. */
	p->rendered = current(p);
	return 0;
}

static void cdaudio_free(void *dev)
{
	struct cdaudio *p = dev;
	mixer_source_free(p->src);
	free(p);
}

const struct device_desc cdaudio_desc = {
	.name = "cdaudio",
	.reset = cdaudio_reset,
	.save = cdaudio_save,
	.load = cdaudio_load,
	.free = cdaudio_free,
};
