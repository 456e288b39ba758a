/* PC speaker rendering (see hw/pcspk.h).  The device has no guest-visible
 * state of its own (61h lives in hw/sysctl.c, the counter in hw/pit.c);
 * its snapshot is where the rendering stands (the next sample, the DC
 * blocker, the next block), so that a resumed run sounds as an
 * uninterrupted one. */
#include <stdlib.h>
#include <string.h>

#include "hw/clock.h"
#include "hw/mixer.h"
#include "hw/pcspk.h"
#include "hw/pit.h"
#include "hw/sysctl.h"
#include "util/snapshot.h"

#define OVERSAMPLE 4
#define BLOCK_PS (PCSPK_BLOCK_MS * 1000ull * 1000 * 1000)

struct pcspk {
	struct clock *clk;
	struct pit *pit;
	struct sysctl *sc;
	struct mixer *mix;
	struct timer *timer;
	uint64_t next_sample;	/* index of the next sample to render */
	double dc_x, dc_y;	/* DC blocker state */
};

static uint64_t sample_ps(uint64_t i)
{
	/* i / 48000 s, exactly for any i below 2^64 / 10^12 * 48000. */
	return i / MIXER_RATE * CLOCK_PS_PER_SEC +
	       i % MIXER_RATE * CLOCK_PS_PER_SEC / MIXER_RATE;
}

static uint64_t samples_at(uint64_t ps)
{
	return ps / CLOCK_PS_PER_SEC * MIXER_RATE +
	       ps % CLOCK_PS_PER_SEC * MIXER_RATE / CLOCK_PS_PER_SEC;
}

void pcspk_flush(struct pcspk *s)
{
	if (!s->mix)
		return;
	uint64_t end = samples_at(clock_now(s->clk));
	uint8_t bits = s->sc ? sysctl_speaker_bits(s->sc) : 0;
	int16_t buf[256];
	size_t n = 0;
	while (s->next_sample < end) {
		double level = 0;
		if (bits & 2) {
			uint64_t t0 = sample_ps(s->next_sample);
			uint64_t t1 = sample_ps(s->next_sample + 1);
			int high = 0;
			for (int k = 0; k < OVERSAMPLE; k++) {
				uint64_t t = t0 + (t1 - t0) * (2 * k + 1) / (2 * OVERSAMPLE);
				high += s->pit ? pit_get_out_at(s->pit, 2, t) : 1;
			}
			level = (2.0 * high / OVERSAMPLE - 1.0) * PCSPK_AMPLITUDE;
		}
		/* y = x - x' + 0.995 y': removes the constant offset a held
		 * cone (bit 1 set, OUT2 high) would leave. */
		s->dc_y = level - s->dc_x + 0.995 * s->dc_y;
		s->dc_x = level;
		double y = s->dc_y;
		buf[n++] = (int16_t)(y > 32767 ? 32767 : y < -32768 ? -32768 : y);
		s->next_sample++;
		if (n == sizeof(buf) / sizeof(buf[0])) {
			mixer_write(s->mix, buf, n);
			n = 0;
		}
	}
	if (n)
		mixer_write(s->mix, buf, n);
}

static void block_cb(void *opaque)
{
	struct pcspk *s = opaque;
	pcspk_flush(s);
	if (s->mix)
		timer_mod(s->timer, clock_now(s->clk) + BLOCK_PS);
}

void pcspk_set_mixer(struct pcspk *s, struct mixer *mix)
{
	s->mix = mix;
	if (!mix) {
		timer_del(s->timer);
		return;
	}
	s->next_sample = samples_at(clock_now(s->clk));
	s->dc_x = s->dc_y = 0;
	timer_mod(s->timer, clock_now(s->clk) + BLOCK_PS);
}

struct pcspk *pcspk_new(struct clock *clk, struct pit *pit, struct sysctl *sc)
{
	struct pcspk *s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	s->clk = clk;
	s->pit = pit;
	s->sc = sc;
	s->timer = timer_new(clk, block_cb, s);
	if (!s->timer) {
		free(s);
		return NULL;
	}
	return s;
}

static void pcspk_reset(void *opaque)
{
	struct pcspk *s = opaque;
	s->dc_x = s->dc_y = 0;
}

static uint64_t double_bits(double d)
{
	uint64_t v;
	memcpy(&v, &d, sizeof(v));
	return v;
}

static double bits_double(uint64_t v)
{
	double d;
	memcpy(&d, &v, sizeof(d));
	return d;
}

static void pcspk_save(void *opaque, struct snap *sn)
{
	struct pcspk *s = opaque;
	snap_put_u8(sn, s->mix != NULL);
	if (!s->mix)
		return;
	snap_put_u64(sn, s->next_sample);
	snap_put_u64(sn, double_bits(s->dc_x));
	snap_put_u64(sn, double_bits(s->dc_y));
	snap_put_u64(sn, timer_pending(s->timer) ? timer_expires(s->timer) : CLOCK_NEVER);
}

static int pcspk_load(void *opaque, struct snap *sn)
{
	struct pcspk *s = opaque;
	uint64_t now = clock_now(s->clk);
	if (!snap_get_u8(sn)) {
		/* Saved without sound: it starts from the restored time,
		 * without a catch-up burst. */
		s->next_sample = samples_at(now);
		s->dc_x = s->dc_y = 0;
		if (s->mix)
			timer_mod(s->timer, now + BLOCK_PS);
		return snap_ok(sn) ? 0 : -1;
	}
	uint64_t next = snap_get_u64(sn);
	double x = bits_double(snap_get_u64(sn)), y = bits_double(snap_get_u64(sn));
	uint64_t when = snap_get_u64(sn);
	/* The speaker renders a block at a time: never ahead of the present,
	 * never more than a few blocks behind it; the filter state is a
	 * level within the cone's range. */
	if (!snap_ok(sn) || next > samples_at(now) || samples_at(now) - next > MIXER_RATE ||
	    !(x >= -1e6 && x <= 1e6) || !(y >= -1e6 && y <= 1e6) ||
	    (when > now && when - now > BLOCK_PS))
		return -1;
	if (!s->mix)
		return 0;
	s->next_sample = next;
	s->dc_x = x;
	s->dc_y = y;
	timer_mod(s->timer, when);
	return 0;
}

static void pcspk_free(void *opaque)
{
	struct pcspk *s = opaque;
	timer_free(s->timer);
	free(s);
}

const struct device_desc pcspk_desc = {
	.name = "pcspk",
	.reset = pcspk_reset,
	.save = pcspk_save,
	.load = pcspk_load,
	.free = pcspk_free,
};
