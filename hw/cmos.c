/* MC146818 RTC/CMOS.
 *
 * The time of day is kept as `base_sec` (seconds since the epoch, in the
 * guest's local time) exact at virtual time `base_ps`; the time registers
 * are rendered from it when read or at each update.  While the SET bit is
 * on or the divider is not running the registers hold whatever was written,
 * and the clock restarts from them (at a whole second) when released.
 *
 * An update happens at every whole second after base_ps; UIP reads 1 for
 * the 244 us + 1984 us (update cycle at 32.768 kHz) before it, so polling
 * code sees UIP fall exactly when the seconds change.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hw/clock.h"
#include "hw/cmos.h"
#include "hw/ioport.h"
#include "hw/irq.h"
#include "util/snapshot.h"

#define PS_PER_US 1000000ull
#define UIP_PS ((244 + 1984) * PS_PER_US)

enum {
	B_SET = 0x80, B_PIE = 0x40, B_AIE = 0x20, B_UIE = 0x10,
	B_SQWE = 0x08, B_DM = 0x04, B_24H = 0x02, B_DSE = 0x01,
	C_IRQF = 0x80, C_PF = 0x40, C_AF = 0x20, C_UF = 0x10,
};

struct cmos {
	struct clock *clk;
	struct irq_line *irq;
	struct timer *update_timer, *periodic_timer;
	uint8_t ram[128];
	uint8_t index;
	bool nmi_masked;
	int64_t base_sec;
	uint64_t base_ps;
	uint64_t per_base;	/* periodic ticks happen at per_base + k*period */
	uint64_t pf_seen;	/* periodic tick count already reflected in PF */
};

static bool running(const struct cmos *c)
{
	return !(c->ram[CMOS_REG_B] & B_SET) && (c->ram[CMOS_REG_A] >> 4 & 7) == 2;
}

static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

struct rtc_tm { int64_t year; unsigned mon, mday, hour, min, sec, wday; };

static void civil_from_secs(int64_t t, struct rtc_tm *tm)
{
	int64_t days = t / 86400, rem = t % 86400;
	if (rem < 0) {
		rem += 86400;
		days--;
	}
	tm->hour = rem / 3600;
	tm->min = rem / 60 % 60;
	tm->sec = rem % 60;
	tm->wday = (unsigned)(((days % 7) + 11) % 7);	/* 1970-01-01 was Thursday: 4 */
	int64_t z = days + 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;
	tm->mday = doy - (153 * mp + 2) / 5 + 1;
	tm->mon = mp < 10 ? mp + 3 : mp - 9;
	tm->year = (int64_t)yoe + era * 400 + (tm->mon <= 2);
}

static uint8_t enc(const struct cmos *c, unsigned v)
{
	if (c->ram[CMOS_REG_B] & B_DM)
		return v;
	return (v / 10 % 10) << 4 | v % 10;
}

static unsigned dec(const struct cmos *c, uint8_t v)
{
	if (c->ram[CMOS_REG_B] & B_DM)
		return v;
	return (v >> 4) * 10 + (v & 15);
}

static int64_t now_sec(const struct cmos *c, uint64_t now)
{
	return c->base_sec + (int64_t)((now - c->base_ps) / CLOCK_PS_PER_SEC);
}

/* Renders the current time into the clock registers. */
static void refresh(struct cmos *c)
{
	if (!running(c))
		return;
	uint64_t now = clock_now(c->clk);
	if (now < c->base_ps)
		return;
	struct rtc_tm tm;
	civil_from_secs(now_sec(c, now), &tm);
	c->ram[0] = enc(c, tm.sec);
	c->ram[2] = enc(c, tm.min);
	if (c->ram[CMOS_REG_B] & B_24H) {
		c->ram[4] = enc(c, tm.hour);
	} else {
		unsigned h = tm.hour % 12;
		c->ram[4] = enc(c, h ? h : 12) | (tm.hour >= 12 ? 0x80 : 0);
	}
	c->ram[6] = enc(c, tm.wday + 1);
	c->ram[7] = enc(c, tm.mday);
	c->ram[8] = enc(c, tm.mon);
	c->ram[9] = enc(c, (unsigned)(tm.year % 100));
	c->ram[CMOS_CENTURY] = enc(c, (unsigned)(tm.year / 100 % 100));
}

/* Takes the clock registers as the new time of day, exact at `at`. */
static void adopt_registers(struct cmos *c, uint64_t at)
{
	unsigned sec = dec(c, c->ram[0]) % 60, min = dec(c, c->ram[2]) % 60;
	unsigned hour;
	if (c->ram[CMOS_REG_B] & B_24H) {
		hour = dec(c, c->ram[4]) % 24;
	} else {
		hour = dec(c, c->ram[4] & 0x7f) % 12 + (c->ram[4] & 0x80 ? 12 : 0);
	}
	unsigned mday = dec(c, c->ram[7]), mon = dec(c, c->ram[8]);
	unsigned year = dec(c, c->ram[9]) % 100, cent = dec(c, c->ram[CMOS_CENTURY]);
	if (mday < 1 || mday > 31)
		mday = 1;
	if (mon < 1 || mon > 12)
		mon = 1;
	if (cent < 19 || cent > 99)
		cent = year >= 80 ? 19 : 20;
	int64_t days = days_from_civil(cent * 100 + year, mon, mday);
	c->base_sec = days * 86400 + hour * 3600 + min * 60 + sec;
	c->base_ps = at;
}

static uint64_t periodic_ps(const struct cmos *c)
{
	unsigned rate = c->ram[CMOS_REG_A] & 15;
	if (!rate || (c->ram[CMOS_REG_A] >> 4 & 7) != 2)
		return 0;
	if (rate < 3)
		rate += 7;	/* rates 1 and 2 repeat rates 8 and 9 */
	return CLOCK_PS_PER_SEC * (1ull << (rate - 1)) / 32768;
}

static void update_irq(struct cmos *c)
{
	uint8_t r = c->ram[CMOS_REG_C], b = c->ram[CMOS_REG_B];
	if ((r & b & (C_PF | C_AF | C_UF)) & (B_PIE | B_AIE | B_UIE))
		r |= C_IRQF;
	else
		r &= ~C_IRQF;
	c->ram[CMOS_REG_C] = r;
	irq_set(c->irq, !!(r & C_IRQF));
}

/* Folds periodic ticks that passed since the last look into PF. */
static void account_periodic(struct cmos *c, uint64_t now)
{
	uint64_t p = periodic_ps(c);
	if (!p || now < c->per_base)
		return;
	uint64_t ticks = (now - c->per_base) / p;
	if (ticks > c->pf_seen) {
		c->ram[CMOS_REG_C] |= C_PF;
		c->pf_seen = ticks;
	}
}

static void arm_periodic(struct cmos *c)
{
	uint64_t p = periodic_ps(c);
	if (!c->periodic_timer)
		return;
	if (!p || !(c->ram[CMOS_REG_B] & B_PIE)) {
		timer_del(c->periodic_timer);
		return;
	}
	timer_mod(c->periodic_timer, c->per_base + (c->pf_seen + 1) * p);
}

static void periodic_cb(void *opaque)
{
	struct cmos *c = opaque;
	account_periodic(c, clock_now(c->clk));
	update_irq(c);
	/* PF is now set and stays set until register C is read: further ticks
	 * change nothing, so the timer waits for that read to re-arm. */
}

/* Restarts the periodic divider phase (rate or divider change). */
static void restart_periodic(struct cmos *c)
{
	c->per_base = clock_now(c->clk);
	c->pf_seen = 0;
	arm_periodic(c);
}

static void arm_update(struct cmos *c)
{
	if (!c->update_timer)
		return;
	if (!running(c)) {
		timer_del(c->update_timer);
		return;
	}
	uint64_t now = clock_now(c->clk);
	uint64_t k = now >= c->base_ps ? (now - c->base_ps) / CLOCK_PS_PER_SEC + 1 : 1;
	timer_mod(c->update_timer, c->base_ps + k * CLOCK_PS_PER_SEC);
}

static bool alarm_match(uint8_t alarm, uint8_t v)
{
	return (alarm & 0xc0) == 0xc0 || alarm == v;
}

static void update_cb(void *opaque)
{
	struct cmos *c = opaque;
	if (running(c)) {
		refresh(c);
		c->ram[CMOS_REG_C] |= C_UF;
		if (alarm_match(c->ram[1], c->ram[0]) && alarm_match(c->ram[3], c->ram[2]) &&
		    alarm_match(c->ram[5], c->ram[4]))
			c->ram[CMOS_REG_C] |= C_AF;
		update_irq(c);
	}
	arm_update(c);
}

static bool uip(const struct cmos *c)
{
	if (!running(c))
		return false;
	uint64_t now = clock_now(c->clk);
	if (now < c->base_ps)
		return false;
	uint64_t frac = (now - c->base_ps) % CLOCK_PS_PER_SEC;
	return frac >= CLOCK_PS_PER_SEC - UIP_PS;
}

static uint8_t reg_read(struct cmos *c, uint8_t idx)
{
	uint8_t v;
	switch (idx) {
	case 0: case 2: case 4: case 6: case 7: case 8: case 9: case CMOS_CENTURY:
		refresh(c);
		return c->ram[idx];
	case CMOS_REG_A:
		return (c->ram[idx] & 0x7f) | (uip(c) ? 0x80 : 0);
	case CMOS_REG_C:
		account_periodic(c, clock_now(c->clk));
		update_irq(c);
		v = c->ram[idx];
		c->ram[idx] = 0;
		irq_set(c->irq, 0);
		arm_periodic(c);
		return v;
	case CMOS_REG_D:
		return 0x80;	/* valid RAM and time: the battery is fine */
	default:
		return c->ram[idx];
	}
}

static void reg_write(struct cmos *c, uint8_t idx, uint8_t v)
{
	uint64_t now = clock_now(c->clk);
	uint8_t old;
	switch (idx) {
	case 0: case 2: case 4: case 6: case 7: case 8: case 9: case CMOS_CENTURY:
		if (running(c)) {
			/* Keep the phase within the second: only the fields
			 * change. */
			refresh(c);
			uint64_t frac = now >= c->base_ps ?
				(now - c->base_ps) % CLOCK_PS_PER_SEC : 0;
			c->ram[idx] = v;
			adopt_registers(c, now - frac);
			arm_update(c);
		} else {
			c->ram[idx] = v;
		}
		break;
	case CMOS_REG_A:
		old = c->ram[idx];
		if (running(c))
			refresh(c);
		c->ram[idx] = v & 0x7f;
		if ((old >> 4 & 7) != 2 && (v >> 4 & 7) == 2 && !(c->ram[CMOS_REG_B] & B_SET))
			adopt_registers(c, now);
		if ((old ^ v) & 0x7f)
			restart_periodic(c);
		arm_update(c);
		break;
	case CMOS_REG_B:
		old = c->ram[idx];
		if (running(c))
			refresh(c);
		if (v & B_SET)
			v &= ~B_UIE;
		c->ram[idx] = v;
		if ((old & B_SET) && !(v & B_SET) && (c->ram[CMOS_REG_A] >> 4 & 7) == 2)
			adopt_registers(c, now);
		/* A format change re-renders the registers in the new format. */
		refresh(c);
		account_periodic(c, now);
		update_irq(c);
		arm_periodic(c);
		arm_update(c);
		break;
	case CMOS_REG_C:
	case CMOS_REG_D:
		break;		/* read-only */
	default:
		c->ram[idx] = v;
		break;
	}
}

static uint32_t cmos_port_read(void *opaque, uint16_t port, int size)
{
	struct cmos *c = opaque;
	(void)size;
	if (!(port & 1))
		return 0xff;
	return reg_read(c, c->index);
}

static void cmos_port_write(void *opaque, uint16_t port, uint32_t val, int size)
{
	struct cmos *c = opaque;
	(void)size;
	if (!(port & 1)) {
		c->index = val & 0x7f;
		c->nmi_masked = val & 0x80;
	} else {
		reg_write(c, c->index, val);
	}
}

static const struct ioport_ops cmos_ops = {
	.read = cmos_port_read,
	.write = cmos_port_write,
	.widths = 1,
};

void cmos_set_byte(struct cmos *c, int index, uint8_t v)
{
	if (index >= 0 && index < 128)
		c->ram[index] = v;
}

uint8_t cmos_get_byte(struct cmos *c, int index)
{
	return index >= 0 && index < 128 ? c->ram[index] : 0xff;
}

void cmos_update_checksum(struct cmos *c)
{
	unsigned sum = 0;
	for (int i = 0x10; i <= 0x2d; i++)
		sum += c->ram[i];
	c->ram[CMOS_CHECKSUM_HI] = sum >> 8;
	c->ram[CMOS_CHECKSUM_LO] = sum & 0xff;
}

bool cmos_nmi_masked(const struct cmos *c)
{
	return c->nmi_masked;
}

/* The chip is battery backed: a system reset keeps the time and RAM and
 * only clears the interrupt enables and flags (RESET pin behaviour). */
static void cmos_reset(void *opaque)
{
	struct cmos *c = opaque;
	c->ram[CMOS_REG_B] &= ~(B_PIE | B_AIE | B_UIE | B_SQWE);
	c->ram[CMOS_REG_C] = 0;
	c->nmi_masked = false;
	irq_set(c->irq, 0);
	arm_periodic(c);
	arm_update(c);
}

static int64_t host_local_time(void)
{
	time_t t = time(NULL);
	struct tm lt;
	if (!localtime_r(&t, &lt))
		return (int64_t)t;
	return (int64_t)t + lt.tm_gmtoff;
}

struct cmos *cmos_new(struct ioport_bus *io, uint16_t base, struct clock *clk,
		      struct irq_line *irq, int64_t rtc_base)
{
	struct cmos *c = calloc(1, sizeof(*c));
	if (!c)
		return NULL;
	c->clk = clk;
	c->irq = irq;
	c->update_timer = timer_new(clk, update_cb, c);
	c->periodic_timer = timer_new(clk, periodic_cb, c);
	if (!c->update_timer || !c->periodic_timer ||
	    ioport_register(io, base, 2, &cmos_ops, c) < 0) {
		if (c->update_timer)
			timer_free(c->update_timer);
		if (c->periodic_timer)
			timer_free(c->periodic_timer);
		free(c);
		return NULL;
	}
	c->ram[CMOS_REG_A] = 0x26;	/* 32.768 kHz, 1024 Hz periodic rate */
	c->ram[CMOS_REG_B] = B_24H;	/* BCD, 24 hour */
	c->ram[CMOS_REG_D] = 0x80;
	c->base_sec = rtc_base < 0 ? host_local_time() : rtc_base;
	c->base_ps = clock_now(clk);
	c->per_base = c->base_ps;
	refresh(c);
	cmos_reset(c);
	return c;
}

static void cmos_save(void *opaque, struct snap *s)
{
	struct cmos *c = opaque;
	snap_put_bytes(s, c->ram, sizeof(c->ram));
	snap_put_u8(s, c->index | (c->nmi_masked ? 0x80 : 0));
	snap_put_u64(s, (uint64_t)c->base_sec);
	snap_put_u64(s, c->base_ps);
	snap_put_u64(s, c->per_base);
	snap_put_u64(s, c->pf_seen);
	snap_put_u8(s, c->irq ? c->irq->level : 0);
}

static int cmos_load(void *opaque, struct snap *s)
{
	struct cmos *c = opaque;
	snap_get_bytes(s, c->ram, sizeof(c->ram));
	uint8_t idx = snap_get_u8(s);
	c->index = idx & 0x7f;
	c->nmi_masked = idx & 0x80;
	c->base_sec = (int64_t)snap_get_u64(s);
	c->base_ps = snap_get_u64(s);
	c->per_base = snap_get_u64(s);
	c->pf_seen = snap_get_u64(s);
	uint8_t level = snap_get_u8(s);
	if (!snap_ok(s))
		return -EINVAL;
	irq_set(c->irq, level);
	arm_periodic(c);
	arm_update(c);
	return 0;
}

static void cmos_free(void *opaque)
{
	struct cmos *c = opaque;
	timer_free(c->update_timer);
	timer_free(c->periodic_timer);
	free(c);
}

const struct device_desc cmos_desc = {
	.name = "mc146818",
	.reset = cmos_reset,
	.save = cmos_save,
	.load = cmos_load,
	.free = cmos_free,
};
