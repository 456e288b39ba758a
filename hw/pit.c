/* 8254 PIT.
 *
 * A running channel is described by its count N (1..65536, or 10000 in BCD
 * for 0), the tick `start` at which it began counting down from N, and
 * whether its gate has it frozen (then `frozen_d` ticks had elapsed).  The
 * counter and OUT after d ticks follow from the mode's formula, so a read
 * costs the same however long the guest waited.  Not modelled: the one-tick
 * delay between writing a count and the counter loading it, and (modes 2
 * and 3) finishing the current period before a rewritten count takes
 * effect: a new count restarts the period at once.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "hw/clock.h"
#include "hw/ioport.h"
#include "hw/irq.h"
#include "hw/pit.h"
#include "util/snapshot.h"

enum latch_state { LATCH_NONE, LATCH_LSB, LATCH_MSB, LATCH_WORD_LSB, LATCH_WORD_MSB };

struct pit_channel {
	struct pit *pit;
	struct timer *timer;
	struct irq_line *irq;
	uint8_t ctrl;		/* RW, mode, BCD bits of the control word */
	uint8_t mode;		/* 0-5 (6/7 alias 2/3) */
	uint8_t rw;		/* 1 LSB, 2 MSB, 3 LSB then MSB */
	bool bcd;
	uint32_t n;		/* count in use */
	uint32_t n_next;	/* last count written (modes 1/5 load it on trigger) */
	bool have_count;	/* a complete count was written since the control word */
	bool counting;
	bool frozen;
	uint64_t frozen_d;
	uint64_t start;
	bool gate;
	uint16_t latch;
	uint8_t latch_state;
	bool status_latched;
	uint8_t status;
	bool read_msb;		/* live word reads: MSB next */
	bool write_msb;		/* word writes: MSB next */
	uint8_t write_lsb;
	bool null_count;
	uint64_t next_event;	/* tick of the transition the timer is armed for */
};

struct pit {
	struct clock *clk;
	struct pit_channel ch[3];
};

static uint64_t now_ticks(const struct pit *p)
{
	return clock_ps_to_ticks(clock_now(p->clk), PIT_HZ);
}

static uint64_t elapsed(const struct pit_channel *c, uint64_t now)
{
	if (c->frozen)
		return c->frozen_d;
	return now > c->start ? now - c->start : 0;
}

static int out_at(const struct pit_channel *c, uint64_t d)
{
	uint64_t n = c->n;
	if (!c->counting)
		return c->mode == 0 ? 0 : 1;
	switch (c->mode) {
	case 0:
	case 1:
		return d >= n;
	case 2:
		if (c->frozen)
			return 1;
		return d % n != n - 1;
	case 3:
		if (c->frozen)
			return 1;
		return d % n < (n + 1) / 2;
	default:		/* 4, 5: one low clock when the count reaches 0 */
		return d != n;
	}
}

/* d of the next OUT transition strictly after d, or UINT64_MAX. */
static uint64_t next_transition(const struct pit_channel *c, uint64_t d)
{
	uint64_t n = c->n, phase, half;
	switch (c->mode) {
	case 0:
	case 1:
		return d < n ? n : UINT64_MAX;
	case 2:
		phase = d % n;
		if (n == 1)
			return UINT64_MAX;	/* illegal count: OUT stays low */
		return phase < n - 1 ? d + (n - 1 - phase) : d + 1;
	case 3:
		phase = d % n;
		half = (n + 1) / 2;
		if (n == 1)
			return UINT64_MAX;
		return phase < half ? d + (half - phase) : d + (n - phase);
	default:
		if (d < n)
			return n;
		return d == n ? n + 1 : UINT64_MAX;
	}
}

static void arm(struct pit_channel *c, uint64_t d)
{
	uint64_t nt;
	if (!c->timer || !c->counting || c->frozen ||
	    (nt = next_transition(c, d)) == UINT64_MAX) {
		if (c->timer)
			timer_del(c->timer);
		return;
	}
	c->next_event = c->start + nt;
	timer_mod(c->timer, clock_ticks_to_ps(c->next_event, PIT_HZ));
}

/* After any change of mode, count or gate: OUT onto the IRQ line and the
 * timer re-armed from now. */
static void channel_changed(struct pit_channel *c)
{
	uint64_t d = elapsed(c, now_ticks(c->pit));
	irq_set(c->irq, out_at(c, d));
	arm(c, d);
}

static void channel_timer(void *opaque)
{
	struct pit_channel *c = opaque;
	/* Deliver the transition the timer was armed for, even if the main
	 * loop ran it late, so each edge reaches the PIC. */
	uint64_t d = c->next_event - c->start;
	irq_set(c->irq, out_at(c, d));
	uint64_t now = elapsed(c, now_ticks(c->pit));
	/* Far behind (host stall): skip the periods nobody could see. */
	if (now > d + 2 * (uint64_t)c->n)
		d = now - 1;
	arm(c, d);
}

static uint32_t from_bcd(uint16_t v)
{
	return (v >> 12 & 15) * 1000 + (v >> 8 & 15) * 100 + (v >> 4 & 15) * 10 + (v & 15);
}

static uint16_t to_bcd(uint32_t v)
{
	return (v / 1000 % 10) << 12 | (v / 100 % 10) << 8 | (v / 10 % 10) << 4 | v % 10;
}

static uint16_t counter_value(const struct pit_channel *c)
{
	if (!c->counting)
		return c->bcd ? to_bcd(c->n_next % 10000) : (uint16_t)c->n_next;
	uint64_t d = elapsed(c, now_ticks(c->pit)), n = c->n;
	uint64_t mod = c->bcd ? 10000 : 65536, v;
	switch (c->mode) {
	case 2:
		v = n - d % n;
		break;
	case 3:
		v = (n - (2 * d) % n) & ~1ull;
		break;
	default:	/* one-shot modes keep counting down past 0 and wrap */
		v = (n % mod + mod - d % mod) % mod;
		break;
	}
	v %= mod;
	return c->bcd ? to_bcd(v) : (uint16_t)v;
}

static void load_count(struct pit_channel *c, uint16_t raw)
{
	uint32_t n = c->bcd ? from_bcd(raw) : raw;
	if (n == 0)
		n = c->bcd ? 10000 : 65536;
	c->n_next = n;
	c->have_count = true;
	uint64_t now = now_ticks(c->pit);
	switch (c->mode) {
	case 1:
	case 5:
		/* Loaded into the counter by the next gate trigger. */
		break;
	default:
		c->n = n;
		c->counting = true;
		c->null_count = false;
		c->start = now;
		c->frozen = !c->gate;
		c->frozen_d = 0;
		break;
	}
	channel_changed(c);
}

static void write_control(struct pit *p, uint8_t v)
{
	int sel = v >> 6;
	if (sel == 3) {		/* read-back */
		for (int i = 0; i < 3; i++) {
			struct pit_channel *c = &p->ch[i];
			if (!(v & (2 << i)))
				continue;
			if (!(v & 0x20) && c->latch_state == LATCH_NONE) {
				c->latch = counter_value(c);
				c->latch_state = c->rw == 1 ? LATCH_LSB :
					c->rw == 2 ? LATCH_MSB : LATCH_WORD_LSB;
			}
			if (!(v & 0x10) && !c->status_latched) {
				c->status = (uint8_t)(pit_get_out(p, i) << 7 |
						      c->null_count << 6 | c->ctrl);
				c->status_latched = true;
			}
		}
		return;
	}
	struct pit_channel *c = &p->ch[sel];
	int rw = v >> 4 & 3;
	if (rw == 0) {		/* counter latch command */
		if (c->latch_state == LATCH_NONE) {
			c->latch = counter_value(c);
			c->latch_state = c->rw == 1 ? LATCH_LSB :
				c->rw == 2 ? LATCH_MSB : LATCH_WORD_LSB;
		}
		return;
	}
	c->ctrl = v & 0x3f;
	c->rw = rw;
	c->mode = v >> 1 & 7;
	if (c->mode > 5)
		c->mode -= 4;
	c->bcd = v & 1;
	c->have_count = false;
	c->counting = false;
	c->frozen = false;
	c->latch_state = LATCH_NONE;
	c->status_latched = false;
	c->read_msb = false;
	c->write_msb = false;
	c->null_count = true;
	channel_changed(c);
}

static void write_counter(struct pit_channel *c, uint8_t v)
{
	switch (c->rw) {
	case 1:
		load_count(c, v);
		break;
	case 2:
		load_count(c, v << 8);
		break;
	default:
		if (!c->write_msb) {
			c->write_lsb = v;
			c->write_msb = true;
			/* Mode 0 stops counting when the first byte arrives. */
			if (c->mode == 0 && c->counting && !c->frozen) {
				c->frozen_d = elapsed(c, now_ticks(c->pit));
				c->frozen = true;
				channel_changed(c);
			}
		} else {
			c->write_msb = false;
			load_count(c, c->write_lsb | v << 8);
		}
		break;
	}
}

static uint8_t read_counter(struct pit_channel *c)
{
	uint8_t v;
	if (c->status_latched) {
		c->status_latched = false;
		return c->status;
	}
	switch (c->latch_state) {
	case LATCH_LSB:
		c->latch_state = LATCH_NONE;
		return c->latch & 0xff;
	case LATCH_MSB:
		c->latch_state = LATCH_NONE;
		return c->latch >> 8;
	case LATCH_WORD_LSB:
		c->latch_state = LATCH_WORD_MSB;
		return c->latch & 0xff;
	case LATCH_WORD_MSB:
		c->latch_state = LATCH_NONE;
		return c->latch >> 8;
	default:
		break;
	}
	uint16_t cv = counter_value(c);
	switch (c->rw) {
	case 1:
		return cv & 0xff;
	case 2:
		return cv >> 8;
	default:
		v = c->read_msb ? cv >> 8 : cv & 0xff;
		c->read_msb = !c->read_msb;
		return v;
	}
}

static uint32_t pit_port_read(void *opaque, uint16_t port, int size)
{
	struct pit *p = opaque;
	(void)size;
	int idx = port & 3;
	if (idx == 3)
		return 0xff;	/* the control register is write-only */
	return read_counter(&p->ch[idx]);
}

static void pit_port_write(void *opaque, uint16_t port, uint32_t val, int size)
{
	struct pit *p = opaque;
	(void)size;
	int idx = port & 3;
	if (idx == 3)
		write_control(p, val);
	else
		write_counter(&p->ch[idx], val);
}

static const struct ioport_ops pit_ops = {
	.read = pit_port_read,
	.write = pit_port_write,
	.widths = 1,
};

void pit_set_gate(struct pit *p, int ch, int level)
{
	if (ch < 0 || ch > 2)
		return;
	struct pit_channel *c = &p->ch[ch];
	bool g = level != 0;
	if (g == c->gate)
		return;
	c->gate = g;
	uint64_t now = now_ticks(p);
	switch (c->mode) {
	case 1:
	case 5:
		if (g && c->have_count) {	/* trigger */
			c->n = c->n_next;
			c->counting = true;
			c->null_count = false;
			c->start = now;
		}
		break;
	case 2:
	case 3:
		if (!c->counting)
			break;
		if (!g) {
			c->frozen_d = elapsed(c, now);
			c->frozen = true;
		} else {	/* a rising gate reloads the counter */
			c->frozen = false;
			c->start = now;
		}
		break;
	default:		/* 0, 4: gate low pauses counting */
		if (!c->counting)
			break;
		if (!g) {
			c->frozen_d = elapsed(c, now);
			c->frozen = true;
		} else if (c->frozen && !(c->mode == 0 && c->write_msb)) {
			c->frozen = false;
			c->start = now - c->frozen_d;
		}
		break;
	}
	channel_changed(c);
}

int pit_get_out(struct pit *p, int ch)
{
	if (ch < 0 || ch > 2)
		return 0;
	struct pit_channel *c = &p->ch[ch];
	return out_at(c, elapsed(c, now_ticks(p)));
}

int pit_get_out_at(struct pit *p, int ch, uint64_t ps)
{
	if (ch < 0 || ch > 2)
		return 0;
	struct pit_channel *c = &p->ch[ch];
	return out_at(c, elapsed(c, clock_ps_to_ticks(ps, PIT_HZ)));
}

static void pit_reset(void *opaque)
{
	struct pit *p = opaque;
	for (int i = 0; i < 3; i++) {
		struct pit_channel *c = &p->ch[i];
		/* Mode 0 waiting for a count: OUT low until programmed. */
		c->ctrl = 0x30;
		c->mode = 0;
		c->rw = 3;
		c->bcd = false;
		c->n = c->n_next = 65536;
		c->have_count = false;
		c->counting = false;
		c->frozen = false;
		c->frozen_d = 0;
		c->start = 0;
		c->gate = i != 2;
		c->latch_state = LATCH_NONE;
		c->status_latched = false;
		c->read_msb = c->write_msb = false;
		c->write_lsb = 0;
		c->null_count = true;
		channel_changed(c);
	}
}

struct pit *pit_new(struct ioport_bus *io, uint16_t base, struct clock *clk,
		    struct irq_line *irq0)
{
	struct pit *p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	p->clk = clk;
	for (int i = 0; i < 3; i++)
		p->ch[i].pit = p;
	p->ch[0].irq = irq0;
	if (irq0 && !(p->ch[0].timer = timer_new(clk, channel_timer, &p->ch[0])))
		goto fail;
	if (ioport_register(io, base, 4, &pit_ops, p) < 0)
		goto fail;
	pit_reset(p);
	return p;
fail:
	if (p->ch[0].timer)
		timer_free(p->ch[0].timer);
	free(p);
	return NULL;
}

static void pit_save(void *opaque, struct snap *s)
{
	struct pit *p = opaque;
	for (int i = 0; i < 3; i++) {
		struct pit_channel *c = &p->ch[i];
		snap_put_u8(s, c->ctrl);
		snap_put_u32(s, c->n);
		snap_put_u32(s, c->n_next);
		snap_put_u8(s, c->have_count | c->counting << 1 | c->frozen << 2 |
			    c->gate << 3 | c->status_latched << 4 | c->read_msb << 5 |
			    c->write_msb << 6 | c->null_count << 7);
		snap_put_u64(s, c->frozen_d);
		snap_put_u64(s, c->start);
		snap_put_u16(s, c->latch);
		snap_put_u8(s, c->latch_state);
		snap_put_u8(s, c->status);
		snap_put_u8(s, c->write_lsb);
		snap_put_u64(s, c->next_event);
		snap_put_u8(s, c->irq ? c->irq->level : 0);
	}
}

static int pit_load(void *opaque, struct snap *s)
{
	struct pit *p = opaque;
	for (int i = 0; i < 3; i++) {
		struct pit_channel *c = &p->ch[i];
		c->ctrl = snap_get_u8(s) & 0x3f;
		c->rw = c->ctrl >> 4 & 3;
		c->mode = c->ctrl >> 1 & 7;
		if (c->mode > 5)
			c->mode -= 4;
		c->bcd = c->ctrl & 1;
		c->n = snap_get_u32(s);
		c->n_next = snap_get_u32(s);
		uint8_t f = snap_get_u8(s);
		c->have_count = f & 1;
		c->counting = f & 2;
		c->frozen = f & 4;
		c->gate = f & 8;
		c->status_latched = f & 16;
		c->read_msb = f & 32;
		c->write_msb = f & 64;
		c->null_count = f & 128;
		c->frozen_d = snap_get_u64(s);
		c->start = snap_get_u64(s);
		c->latch = snap_get_u16(s);
		c->latch_state = snap_get_u8(s);
		c->status = snap_get_u8(s);
		c->write_lsb = snap_get_u8(s);
		c->next_event = snap_get_u64(s);
		uint8_t level = snap_get_u8(s);
		if (c->rw == 0 || c->n == 0 || c->n > 65536 || c->n_next == 0 ||
		    c->n_next > 65536 || c->latch_state > LATCH_WORD_MSB)
			return -EINVAL;
		if (c->irq)
			irq_set(c->irq, level);
	}
	if (!snap_ok(s))
		return -EINVAL;
	for (int i = 0; i < 3; i++) {
		struct pit_channel *c = &p->ch[i];
		if (c->timer && c->counting && !c->frozen && c->next_event > c->start)
			arm(c, c->next_event - c->start - 1);
		else if (c->timer)
			timer_del(c->timer);
	}
	return 0;
}

static void pit_free(void *opaque)
{
	struct pit *p = opaque;
	if (p->ch[0].timer)
		timer_free(p->ch[0].timer);
	free(p);
}

const struct device_desc pit_desc = {
	.name = "i8254",
	.reset = pit_reset,
	.save = pit_save,
	.load = pit_load,
	.free = pit_free,
};
