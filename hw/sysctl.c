/* Port B (61h), port A (92h) and the XT PPI's port C (62h). */
#include <errno.h>
#include <stdlib.h>

#include "hw/clock.h"
#include "hw/ioport.h"
#include "hw/kbd.h"
#include "hw/pit.h"
#include "hw/sysctl.h"
#include "util/snapshot.h"

/* DRAM refresh request period of the AT (PIT channel 1 count 18). */
#define REFRESH_HALF_PS 15085000ull

struct sysctl {
	struct clock *clk;
	struct pit *pit;
	struct kbd *kbd;
	struct sysctl_config cfg;
	uint8_t port_b;
	uint8_t port_a;
};

uint8_t sysctl_xt_switches(int floppies, enum sysctl_video video, unsigned ram_kb,
			   bool fpu)
{
	uint8_t sw = 0;
	if (floppies > 0) {
		sw |= 1;
		sw |= (uint8_t)(((floppies > 4 ? 4 : floppies) - 1) << 6);
	}
	if (fpu)
		sw |= 2;
	if (ram_kb >= 640)
		sw |= 3 << 2;
	else if (ram_kb >= 576)
		sw |= 2 << 2;
	else if (ram_kb >= 512)
		sw |= 1 << 2;
	sw |= (video & 3) << 4;
	return sw;
}

static void apply_port_b(struct sysctl *s)
{
	if (s->pit)
		pit_set_gate(s->pit, 2, s->port_b & 1);
	if (s->cfg.xt && s->kbd)
		kbd_xt_port_b(s->kbd, s->port_b);
}

static uint32_t sysctl_read(void *opaque, uint16_t port, int size)
{
	struct sysctl *s = opaque;
	int out2 = s->pit ? pit_get_out(s->pit, 2) : 0;
	(void)size;
	switch (port) {
	case 0x61:
		if (s->cfg.xt)
			return s->port_b;
		return (s->port_b & 0x0f) |
			((clock_now(s->clk) / REFRESH_HALF_PS) & 1 ? 0x10 : 0) |
			(out2 ? 0x20 : 0);
	case 0x62:
		return (s->port_b & 0x08 ? s->cfg.xt_switches >> 4 : s->cfg.xt_switches & 15) |
			(out2 ? 0x20 : 0);
	case 0x92:
		return s->port_a;
	default:
		return 0xff;
	}
}

static void sysctl_write(void *opaque, uint16_t port, uint32_t val, int size)
{
	struct sysctl *s = opaque;
	uint8_t old;
	(void)size;
	switch (port) {
	case 0x61:
		s->port_b = s->cfg.xt ? val : (val & 0x0f);
		apply_port_b(s);
		break;
	case 0x92:
		old = s->port_a;
		s->port_a = val & 0x02;	/* bit 0 reads back 0 once the pulse is done */
		if ((old ^ val) & 0x02 && s->cfg.set_a20)
			s->cfg.set_a20(s->cfg.opaque, val & 0x02);
		if ((val & 1) && s->cfg.reset)
			s->cfg.reset(s->cfg.opaque);
		break;
	default:
		break;		/* 62h is an input; 63h mode words: fixed wiring */
	}
}

static const struct ioport_ops sysctl_ops = {
	.read = sysctl_read,
	.write = sysctl_write,
	.widths = 1,
};

static void sysctl_reset(void *opaque)
{
	struct sysctl *s = opaque;
	/* xt: keyboard clock enabled, latch released. */
	s->port_b = s->cfg.xt ? 0x40 : 0;
	s->port_a = 0;
	apply_port_b(s);
	if (!s->cfg.xt && s->cfg.set_a20)
		s->cfg.set_a20(s->cfg.opaque, false);
}

struct sysctl *sysctl_new(struct ioport_bus *io, struct clock *clk, struct pit *pit,
			  struct kbd *kbd, const struct sysctl_config *cfg)
{
	struct sysctl *s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	s->clk = clk;
	s->pit = pit;
	s->kbd = kbd;
	s->cfg = *cfg;
	int r = ioport_register(io, 0x61, 1, &sysctl_ops, s);
	if (r == 0)
		r = cfg->xt ? ioport_register(io, 0x62, 2, &sysctl_ops, s) :
			ioport_register(io, 0x92, 1, &sysctl_ops, s);
	if (r < 0) {
		free(s);
		return NULL;
	}
	sysctl_reset(s);
	return s;
}

uint8_t sysctl_speaker_bits(const struct sysctl *s)
{
	return s->port_b & 3;
}

static void sysctl_save(void *opaque, struct snap *sn)
{
	struct sysctl *s = opaque;
	snap_put_u8(sn, s->port_b);
	snap_put_u8(sn, s->port_a);
}

static int sysctl_load(void *opaque, struct snap *sn)
{
	struct sysctl *s = opaque;
	s->port_b = snap_get_u8(sn);
	s->port_a = snap_get_u8(sn) & 0x02;
	if (!snap_ok(sn))
		return -EINVAL;
	/* Gate and keyboard bits belong to the PIT's and keyboard's own
	 * saved state; nothing to re-apply. */
	return 0;
}

static void sysctl_free(void *opaque)
{
	free(opaque);
}

const struct device_desc sysctl_desc = {
	.name = "sysctl",
	.reset = sysctl_reset,
	.save = sysctl_save,
	.load = sysctl_load,
	.free = sysctl_free,
};
