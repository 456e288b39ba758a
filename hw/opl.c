/* OPL2/OPL3 chip logic (see hw/opl.h). */
#include <stdlib.h>
#include <string.h>

#include "hw/clock.h"
#include "hw/ioport.h"
#include "hw/mixer.h"
#include "hw/opl.h"
#include "util/log.h"
#include "util/snapshot.h"

#define T1_PS (80ull * 1000 * 1000)	/* 80 us */
#define T2_PS (320ull * 1000 * 1000)	/* 320 us */
#define MAX_RENDER OPL_RATE		/* frames per catch-up at most */

struct opl {
	struct clock *clk;
	bool opl3;
	uint16_t addr;		/* latched register number (bit 8: bank 1) */
	uint8_t regs[512];	/* every value written, replayed on load */
	/* Timers: count value, running, and when the run started. */
	uint8_t tval[2];
	bool trun[2];
	uint64_t tstart[2];
	uint64_t tclear[2];	/* flags were last cleared (>= tstart) */
	uint8_t flags;		/* latched status bits 6 (T1) and 5 (T2) */
	uint8_t ctl;		/* register 04h masks (bits 6, 5) */
	struct opl_synth *synth;
	struct mixer_source *src;
	int gain_l, gain_r;
	uint64_t rendered;	/* frames at OPL_RATE rendered so far */
	int16_t buf[2 * 512];
};

static const struct ioport_ops opl_ops;

bool opl_has_synth(void)
{
#ifdef HAVE_ADPLUG
	return true;
#else
	return false;
#endif
}

#ifndef HAVE_ADPLUG
/* Without libadplug there is no synthesizer; opl_set_mixer reports it. */
struct opl_synth *opl_synth_new(void) { return NULL; }
void opl_synth_free(struct opl_synth *s) { (void)s; }
void opl_synth_write(struct opl_synth *s, uint16_t reg, uint8_t v)
{
	(void)s; (void)reg; (void)v;
}
void opl_synth_generate(struct opl_synth *s, int16_t *lr, uint32_t frames)
{
	(void)s;
	memset(lr, 0, frames * 2 * sizeof(*lr));
}
void opl_synth_save(const struct opl_synth *s, struct snap *sn)
{
	(void)s; (void)sn;
}
int opl_synth_load(struct opl_synth *s, struct snap *sn)
{
	(void)s; (void)sn;
	return -1;
}
#endif

/* Renders the chip's output up to the present. */
static void render(void *opaque)
{
	struct opl *o = opaque;
	uint64_t now = clock_ps_to_ticks(clock_now(o->clk), OPL_RATE);
	if (!o->src || !o->synth) {
		o->rendered = now;
		return;
	}
	if (now - o->rendered > MAX_RENDER)
		o->rendered = now - MAX_RENDER;
	while (o->rendered < now) {
		uint32_t n = 512;
		if (now - o->rendered < n)
			n = (uint32_t)(now - o->rendered);
		opl_synth_generate(o->synth, o->buf, n);
		mixer_source_push_stereo(o->src, o->buf, n);
		o->rendered += n;
	}
}

/* A running timer overflows every period after its start; its flag is set
 * when an overflow happened since the flags were last cleared. */
static void update_timers(struct opl *o)
{
	uint64_t now = clock_now(o->clk);
	for (int i = 0; i < 2; i++) {
		if (!o->trun[i])
			continue;
		uint64_t period = (256 - o->tval[i]) * (i ? T2_PS : T1_PS);
		uint8_t bit = i ? 0x20 : 0x40;
		uint64_t k_now = (now - o->tstart[i]) / period;
		uint64_t k_clr = (o->tclear[i] - o->tstart[i]) / period;
		if (k_now > k_clr && !(o->ctl & bit))
			o->flags |= bit;
	}
}

uint8_t opl_read(struct opl *o, int offset)
{
	if (offset & 1)
		return 0xff;	/* the data ports are write-only */
	if (offset & 2)
		return o->opl3 ? 0x00 : 0xff;	/* OPL3: bank 1 has no status */
	update_timers(o);
	uint8_t st = o->flags;
	if (st)
		st |= 0x80;
	return st | (o->opl3 ? 0x00 : 0x06);
}

static void write_reg(struct opl *o, uint16_t reg, uint8_t v)
{
	if (reg == 0x02 || reg == 0x03) {
		o->tval[reg - 2] = v;
	} else if (reg == 0x04) {
		if (v & 0x80) {
			/* IRQ reset: clears the flags, leaves the rest alone. */
			o->flags = 0;
			for (int i = 0; i < 2; i++)
				if (o->trun[i])
					o->tclear[i] = clock_now(o->clk);
			return;
		}
		update_timers(o);
		o->ctl = v & 0x60;
		o->flags &= (uint8_t)~o->ctl;
		for (int i = 0; i < 2; i++) {
			bool run = v & (1 << i);
			if (run && !o->trun[i])
				o->tstart[i] = o->tclear[i] = clock_now(o->clk);
			o->trun[i] = run;
		}
	}
	if (!o->opl3 && reg >= 0x100)
		return;
	o->regs[reg & 0x1ff] = v;
	render(o);
	if (o->synth)
		opl_synth_write(o->synth, reg, v);
}

void opl_write(struct opl *o, int offset, uint8_t v)
{
	if (!(offset & 1)) {
		uint16_t bank = (offset & 2) && o->opl3 ? 0x100 : 0;
		/* In OPL2 mode (105h bit 0 clear) the chip decodes 8 bits. */
		o->addr = bank | v;
		return;
	}
	write_reg(o, o->addr, v);
}

static uint32_t port_read(void *opaque, uint16_t port, int size)
{
	(void)size;
	return opl_read(opaque, port & 3);
}

static void port_write(void *opaque, uint16_t port, uint32_t val, int size)
{
	(void)size;
	opl_write(opaque, port & 3, (uint8_t)val);
}

static const struct ioport_ops opl_ops = { .read = port_read, .write = port_write };

int opl_map(struct opl *o, struct ioport_bus *io, uint16_t base, int nports)
{
	/* Port offsets come from the low two bits, so bases are 4-aligned. */
	return ioport_register(io, base, (uint16_t)nports, &opl_ops, o);
}

struct opl *opl_new(struct clock *clk, bool opl3)
{
	struct opl *o = calloc(1, sizeof(*o));
	if (!o)
		return NULL;
	o->clk = clk;
	o->opl3 = opl3;
	o->gain_l = o->gain_r = 256;
	return o;
}

void opl_set_mixer(struct opl *o, struct mixer *mix)
{
	mixer_source_free(o->src);
	o->src = NULL;
	if (!mix)
		return;
	if (!o->synth) {
		o->synth = opl_synth_new();
		if (!o->synth) {
			log_warn("FM (OPL) sound unavailable: tandem was built without "
				 "libadplug (apt-get install libadplug-dev, then ./configure); "
				 "the chip is detected but silent");
			return;
		}
		for (int r = 0; r < 512; r++)
			if (o->regs[r] && r != 4)
				opl_synth_write(o->synth, (uint16_t)r, o->regs[r]);
	}
	o->rendered = clock_ps_to_ticks(clock_now(o->clk), OPL_RATE);
	o->src = mixer_source_new(mix, "opl", OPL_RATE, render, o);
	if (o->src)
		mixer_source_set_gains(o->src, o->gain_l, o->gain_r);
}

void opl_set_gains(struct opl *o, int left, int right)
{
	if (left == o->gain_l && right == o->gain_r)
		return;	/* nothing to render first (a state being loaded) */
	render(o);	/* what was played keeps its level */
	o->gain_l = left;
	o->gain_r = right;
	if (o->src)
		mixer_source_set_gains(o->src, left, right);
}

static void opl_reset(void *opaque)
{
	struct opl *o = opaque;
	o->addr = 0;
	o->flags = o->ctl = 0;
	o->trun[0] = o->trun[1] = false;
	memset(o->regs, 0, sizeof(o->regs));
	if (o->synth) {
		opl_synth_free(o->synth);
		o->synth = opl_synth_new();
	}
}

static void opl_save(void *opaque, struct snap *s)
{
	struct opl *o = opaque;
	snap_put_u16(s, o->addr);
	snap_put_bytes(s, o->regs, sizeof(o->regs));
	for (int i = 0; i < 2; i++) {
		snap_put_u8(s, o->tval[i]);
		snap_put_u8(s, o->trun[i]);
		snap_put_u64(s, o->tstart[i]);
		snap_put_u64(s, o->tclear[i]);
	}
	snap_put_u8(s, o->flags);
	snap_put_u8(s, o->ctl);
	/* The synthesizer as it is (phases, envelopes), when it renders. */
	snap_put_u8(s, o->synth && o->src);
	if (o->synth && o->src) {
		snap_put_u64(s, o->rendered);
		opl_synth_save(o->synth, s);
	}
}

static int opl_load(void *opaque, struct snap *s)
{
	struct opl *o = opaque;
	o->addr = snap_get_u16(s) & 0x1ff;
	snap_get_bytes(s, o->regs, sizeof(o->regs));
	for (int i = 0; i < 2; i++) {
		o->tval[i] = snap_get_u8(s);
		o->trun[i] = snap_get_u8(s) != 0;
		o->tstart[i] = snap_get_u64(s);
		o->tclear[i] = snap_get_u64(s);
		if (o->tclear[i] < o->tstart[i])
			return -1;
	}
	o->flags = snap_get_u8(s) & 0x60;
	o->ctl = snap_get_u8(s) & 0x60;
	bool had_synth = snap_get_u8(s) != 0;
	if (!snap_ok(s))
		return -1;
	uint64_t now = clock_ps_to_ticks(clock_now(o->clk), OPL_RATE);
	if (had_synth) {
		uint64_t rendered = snap_get_u64(s);
		if (!snap_ok(s) || rendered > now)
			return -1;
		if (o->synth && o->src) {
			if (opl_synth_load(o->synth, s) < 0) {
				opl_synth_free(o->synth);
				o->synth = opl_synth_new();
				return -1;
			}
			o->rendered = rendered;
			return 0;
		}
		/* No one listens here: the rest of the record is not needed. */
		s->pos = s->len;
	}
	if (o->synth) {
		/* The synthesizer's state is rebuilt from the registers. */
		opl_synth_free(o->synth);
		o->synth = opl_synth_new();
		for (int r = 0; r < 512; r++)
			if (o->synth && o->regs[r] && r != 4)
				opl_synth_write(o->synth, (uint16_t)r, o->regs[r]);
	}
	o->rendered = now;
	return 0;
}

static void opl_free(void *opaque)
{
	struct opl *o = opaque;
	mixer_source_free(o->src);
	if (o->synth)
		opl_synth_free(o->synth);
	free(o);
}

const struct device_desc opl_desc = {
	.name = "opl",
	.reset = opl_reset,
	.save = opl_save,
	.load = opl_load,
	.free = opl_free,
};
