/* The "Shutdown" string port and a minimal ACPI PM1a block (apm_port.h). */
#include <errno.h>
#include <stdlib.h>

#include "hw/apm_port.h"
#include "hw/clock.h"
#include "hw/ioport.h"
#include "util/snapshot.h"

#define PM_TIMER_HZ 3579545u
#define PM1_CNT_SCI_EN 0x0001u
#define PM1_CNT_SLP_TYP_SHIFT 10
#define PM1_CNT_SLP_EN 0x2000u

static const char shutdown_str[] = "Shutdown";

struct apm_port {
	struct clock *clk;
	void (*off)(void *opaque);
	void *opaque;
	uint8_t matched;	/* characters of "Shutdown" seen in a row */
	uint16_t pm1_sts, pm1_en, pm1_cnt;
};

static uint32_t shutdown_read(void *opaque, uint16_t port, int size)
{
	(void)opaque;
	(void)port;
	(void)size;
	return 0xff;
}

static void shutdown_write(void *opaque, uint16_t port, uint32_t val, int size)
{
	struct apm_port *a = opaque;
	(void)port;
	(void)size;
	char c = (char)val;
	if (c == shutdown_str[a->matched])
		a->matched++;
	else
		a->matched = c == shutdown_str[0];	/* "SShutdown" still counts */
	if (a->matched == sizeof(shutdown_str) - 1) {
		a->matched = 0;
		a->off(a->opaque);
	}
}

static uint32_t pm1_timer(const struct apm_port *a)
{
	return (uint32_t)clock_ps_to_ticks(clock_now(a->clk), PM_TIMER_HZ) & 0xffffffu;
}

/* Registers are read as a whole block of bytes so any width works. */
static uint32_t pm1_read(void *opaque, uint16_t port, int size)
{
	struct apm_port *a = opaque;
	uint8_t regs[12] = { 0 };
	regs[0] = (uint8_t)a->pm1_sts;
	regs[1] = (uint8_t)(a->pm1_sts >> 8);
	regs[2] = (uint8_t)a->pm1_en;
	regs[3] = (uint8_t)(a->pm1_en >> 8);
	regs[4] = (uint8_t)a->pm1_cnt;
	regs[5] = (uint8_t)(a->pm1_cnt >> 8);
	uint32_t t = pm1_timer(a);
	for (int i = 0; i < 4; i++)
		regs[8 + i] = (uint8_t)(t >> 8 * i);
	unsigned off = (unsigned)(port - APM_PORT_PM1);
	uint32_t v = 0;
	for (int i = 0; i < size; i++)
		v |= (uint32_t)(off + i < sizeof(regs) ? regs[off + i] : 0xff) << 8 * i;
	return v;
}

static void pm1_write_byte(struct apm_port *a, unsigned off, uint8_t b)
{
	switch (off) {
	case 0:		/* status bits are cleared by writing ones */
	case 1:
		a->pm1_sts &= (uint16_t)~((unsigned)b << (off * 8));
		break;
	case 2:
		a->pm1_en = (uint16_t)((a->pm1_en & 0xff00) | b);
		break;
	case 3:
		a->pm1_en = (uint16_t)((a->pm1_en & 0x00ff) | b << 8);
		break;
	case 4:
		a->pm1_cnt = (uint16_t)((a->pm1_cnt & 0xff00) | b);
		break;
	case 5: {
		uint16_t cnt = (uint16_t)((a->pm1_cnt & 0x00ff) | b << 8);
		unsigned typ = (cnt >> PM1_CNT_SLP_TYP_SHIFT) & 7;
		/* SLP_EN is write-only: it triggers the sleep and reads as 0. */
		a->pm1_cnt = cnt & (uint16_t)~PM1_CNT_SLP_EN;
		if ((cnt & PM1_CNT_SLP_EN) && typ == APM_PM1_SLP_TYP_S5)
			a->off(a->opaque);
		break;
	}
	default:	/* the timer and the reserved bytes are read-only */
		break;
	}
}

static void pm1_write(void *opaque, uint16_t port, uint32_t val, int size)
{
	struct apm_port *a = opaque;
	unsigned off = (unsigned)(port - APM_PORT_PM1);
	/* A 16-bit write of PM1_CNT must see both bytes before acting: write
	 * the low byte first, then the one holding SLP_EN. */
	for (int i = 0; i < size; i++)
		pm1_write_byte(a, off + i, (uint8_t)(val >> 8 * i));
}

static const struct ioport_ops shutdown_ops = {
	.read = shutdown_read,
	.write = shutdown_write,
	.widths = 1,
};

static const struct ioport_ops pm1_ops = {
	.read = pm1_read,
	.write = pm1_write,
	.widths = 1 | 2 | 4,
};

struct apm_port *apm_port_new(struct ioport_bus *io, struct clock *clk,
			      void (*off)(void *opaque), void *opaque)
{
	struct apm_port *a = calloc(1, sizeof(*a));
	if (!a)
		return NULL;
	a->clk = clk;
	a->off = off;
	a->opaque = opaque;
	if (ioport_register(io, APM_PORT_SHUTDOWN, 1, &shutdown_ops, a) < 0) {
		free(a);
		return NULL;
	}
	if (ioport_register(io, APM_PORT_PM1, 12, &pm1_ops, a) < 0) {
		ioport_unregister(io, APM_PORT_SHUTDOWN, 1);
		free(a);
		return NULL;
	}
	return a;
}

static void apm_port_reset(void *opaque)
{
	struct apm_port *a = opaque;
	a->matched = 0;
	a->pm1_sts = 0;
	a->pm1_en = 0;
	a->pm1_cnt = PM1_CNT_SCI_EN;	/* always in ACPI mode: no SMI_CMD */
}

static void apm_port_save(void *opaque, struct snap *s)
{
	struct apm_port *a = opaque;
	snap_put_u8(s, a->matched);
	snap_put_u16(s, a->pm1_sts);
	snap_put_u16(s, a->pm1_en);
	snap_put_u16(s, a->pm1_cnt);
}

static int apm_port_load(void *opaque, struct snap *s)
{
	struct apm_port *a = opaque;
	uint8_t m = snap_get_u8(s);
	a->pm1_sts = snap_get_u16(s);
	a->pm1_en = snap_get_u16(s);
	a->pm1_cnt = snap_get_u16(s);
	if (!snap_ok(s) || m >= sizeof(shutdown_str) - 1)
		return -EINVAL;
	a->matched = m;
	return 0;
}

static void apm_port_free(void *opaque)
{
	free(opaque);
}

const struct device_desc apm_port_desc = {
	.name = "apm-port",
	.reset = apm_port_reset,
	.save = apm_port_save,
	.load = apm_port_load,
	.free = apm_port_free,
};
