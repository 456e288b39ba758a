/* 8259A pair.  Priorities are kept as in the datasheet: priority_add is the
 * IR with the highest priority (after a rotation, the one after the IR last
 * serviced), and every scan walks the eight IRs from there. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "hw/ioport.h"
#include "hw/machine.h"
#include "hw/pic.h"
#include "util/snapshot.h"

struct pic_chip {
	uint8_t irr, isr, imr;
	uint8_t lines;		/* current input levels */
	uint8_t elcr;		/* inputs the PIIX3's ELCR makes level triggered */
	uint8_t base;		/* ICW2 & F8h */
	uint8_t icw3;
	uint8_t priority_add;
	uint8_t init_step;	/* 0: operating; 2/3/4: next ICW expected */
	bool icw4_needed, single, level_trig, auto_eoi, rotate_aeoi;
	bool sfnm, special_mask, poll, read_isr;
};

struct pic {
	struct pic_chip chip[2];
	bool has_slave;
	uint16_t master_base, slave_base;
	struct cpu_intr *intr;
};

/* Highest-priority set bit of mask as a priority level 0-7, or 8 if none. */
static int chip_priority(const struct pic_chip *c, uint8_t mask)
{
	for (int p = 0; p < 8; p++)
		if (mask & (1u << ((p + c->priority_add) & 7)))
			return p;
	return 8;
}

/* The IR this chip would present on INT, or -1. */
static int chip_pending(const struct pic_chip *c, bool is_master)
{
	int p = chip_priority(c, c->irr & ~c->imr);
	if (p == 8)
		return -1;
	uint8_t in_service = c->isr;
	/* Special mask mode: masked in-service levels do not block others. */
	if (c->special_mask)
		in_service &= ~c->imr;
	/* Special fully nested: the slave may interrupt its own in-service
	 * level so higher slave requests get through. */
	if (is_master && c->sfnm)
		in_service &= ~(1u << 2);
	if (p < chip_priority(c, in_service))
		return (p + c->priority_add) & 7;
	return -1;
}

static void pic_update(struct pic *p)
{
	struct pic_chip *m = &p->chip[0];
	if (p->has_slave && !m->single) {
		/* The cascade input follows the slave's INT output as a level. */
		if (chip_pending(&p->chip[1], false) >= 0)
			m->irr |= 1u << 2;
		else
			m->irr &= ~(1u << 2);
	}
	if (p->intr) {
		p->intr->level = chip_pending(m, true) >= 0;
		if (p->intr->changed)
			p->intr->changed(p->intr->changed_opaque);
	}
}

static void chip_set_line(struct pic_chip *c, int n, int level)
{
	uint8_t bit = 1u << n;
	if (c->level_trig || (c->elcr & bit)) {
		if (level)
			c->irr |= bit;
		else
			c->irr &= ~bit;
	} else if (level && !(c->lines & bit)) {
		c->irr |= bit;
	}
	if (level)
		c->lines |= bit;
	else
		c->lines &= ~bit;
}

void pic_set_irq(void *opaque, int irq, int level)
{
	struct pic *p = opaque;
	if (irq < 0 || irq > 15 || (irq > 7 && !p->has_slave))
		return;
	chip_set_line(&p->chip[irq >> 3], irq & 7, level);
	pic_update(p);
}

void pic_set_elcr(struct pic *p, uint16_t level_mask)
{
	for (int i = 0; i < 2; i++) {
		struct pic_chip *c = &p->chip[i];
		uint8_t now = (uint8_t)(level_mask >> (8 * i));
		/* An input turning level triggered requests while it is high. */
		c->irr = (uint8_t)((c->irr & ~now) | (c->lines & now & ~c->elcr) | (c->irr & now & c->elcr));
		c->elcr = now;
	}
	pic_update(p);
}

void pic_irq_line(struct pic *p, int irq, struct irq_line *line)
{
	line->set = pic_set_irq;
	line->opaque = p;
	line->n = irq;
	line->level = 0;
}

/* The acknowledge part of INTA (or of a poll read) on one chip. */
static void chip_ack(struct pic_chip *c, int irq)
{
	if (c->auto_eoi) {
		if (c->rotate_aeoi)
			c->priority_add = (irq + 1) & 7;
	} else {
		c->isr |= 1u << irq;
	}
	/* A level-triggered request stays while its line is high. */
	if (!c->level_trig && !(c->elcr & (1u << irq)))
		c->irr &= ~(1u << irq);
}

static uint8_t pic_ack(void *opaque)
{
	struct pic *p = opaque;
	struct pic_chip *m = &p->chip[0], *s = &p->chip[1];
	uint8_t vec;
	int irq = chip_pending(m, true);
	if (irq < 0) {
		/* The request vanished before INTA: spurious IR7, ISR untouched. */
		vec = m->base + 7;
	} else {
		chip_ack(m, irq);
		if (irq == 2 && p->has_slave && !m->single) {
			int sirq = chip_pending(s, false);
			if (sirq >= 0) {
				chip_ack(s, sirq);
				vec = s->base + sirq;
			} else {
				vec = s->base + 7;	/* spurious IRQ15 */
			}
		} else {
			vec = m->base + irq;
		}
	}
	pic_update(p);
	return vec;
}

static void chip_eoi(struct pic_chip *c, uint8_t ocw2)
{
	int level = ocw2 & 7, irq;
	switch (ocw2 >> 5) {
	case 0:		/* clear rotate in auto-EOI mode */
		c->rotate_aeoi = false;
		break;
	case 4:		/* set rotate in auto-EOI mode */
		c->rotate_aeoi = true;
		break;
	case 1:		/* non-specific EOI */
	case 5:		/* rotate on non-specific EOI */
		irq = chip_priority(c, c->isr);
		if (irq == 8)
			break;
		irq = (irq + c->priority_add) & 7;
		c->isr &= ~(1u << irq);
		if (ocw2 >> 5 == 5)
			c->priority_add = (irq + 1) & 7;
		break;
	case 3:		/* specific EOI */
		c->isr &= ~(1u << level);
		break;
	case 7:		/* rotate on specific EOI */
		c->isr &= ~(1u << level);
		c->priority_add = (level + 1) & 7;
		break;
	case 6:		/* set priority: level becomes the lowest */
		c->priority_add = (level + 1) & 7;
		break;
	default:	/* 2: no operation */
		break;
	}
}

static void chip_icw1(struct pic_chip *c, uint8_t v)
{
	c->icw4_needed = v & 1;
	c->single = v & 2;
	c->level_trig = v & 8;
	c->imr = 0;
	c->isr = 0;
	/* Edge inputs need a fresh rising edge after initialization. */
	c->irr = c->level_trig ? c->lines : c->lines & c->elcr;
	c->priority_add = 0;
	c->special_mask = false;
	c->poll = false;
	c->read_isr = false;
	c->auto_eoi = false;
	c->rotate_aeoi = false;
	c->sfnm = false;
	c->init_step = 2;
}

static void chip_write(struct pic_chip *c, int a0, uint8_t v)
{
	if (!a0) {
		if (v & 0x10) {
			chip_icw1(c, v);
		} else if (v & 0x08) {	/* OCW3 */
			if (v & 0x40)
				c->special_mask = v & 0x20;
			c->poll = v & 0x04;
			if (v & 0x02)
				c->read_isr = v & 0x01;
		} else {		/* OCW2 */
			chip_eoi(c, v);
		}
		return;
	}
	switch (c->init_step) {
	case 2:
		c->base = v & 0xf8;
		c->init_step = c->single ? (c->icw4_needed ? 4 : 0) : 3;
		break;
	case 3:
		c->icw3 = v;
		c->init_step = c->icw4_needed ? 4 : 0;
		break;
	case 4:
		/* bit0 8086 mode assumed; bits 2-3 buffered mode have no
		 * effect on a board without bus transceivers to steer. */
		c->auto_eoi = v & 0x02;
		c->sfnm = v & 0x10;
		c->init_step = 0;
		break;
	default:		/* OCW1 */
		c->imr = v;
		break;
	}
}

/* Poll command: the read acts as an INTA without a vector. */
static uint8_t chip_poll(struct pic *p, int idx)
{
	struct pic_chip *c = &p->chip[idx];
	c->poll = false;
	int irq = chip_pending(c, idx == 0);
	if (irq < 0)
		return 0;
	chip_ack(c, irq);
	return 0x80 | irq;
}

static int port_chip(const struct pic *p, uint16_t port)
{
	return p->has_slave && (port & ~1) == p->slave_base ? 1 : 0;
}

static uint32_t pic_port_read(void *opaque, uint16_t port, int size)
{
	struct pic *p = opaque;
	int idx = port_chip(p, port);
	struct pic_chip *c = &p->chip[idx];
	uint8_t v;
	(void)size;
	if (c->poll) {
		v = chip_poll(p, idx);
		pic_update(p);
		return v;
	}
	if (port & 1)
		return c->imr;
	return c->read_isr ? c->isr : c->irr;
}

static void pic_port_write(void *opaque, uint16_t port, uint32_t val, int size)
{
	struct pic *p = opaque;
	(void)size;
	chip_write(&p->chip[port_chip(p, port)], port & 1, val);
	pic_update(p);
}

static const struct ioport_ops pic_ops = {
	.read = pic_port_read,
	.write = pic_port_write,
	.widths = 1,
};

static void pic_reset(void *opaque)
{
	struct pic *p = opaque;
	for (int i = 0; i < 2; i++) {
		uint8_t lines = p->chip[i].lines;
		memset(&p->chip[i], 0, sizeof(p->chip[i]));
		p->chip[i].lines = lines;
	}
	pic_update(p);
}

struct pic *pic_new(struct ioport_bus *io, struct cpu_intr *intr, uint16_t master_base,
		    int slave_base)
{
	struct pic *p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	p->intr = intr;
	p->has_slave = slave_base >= 0;
	p->master_base = master_base & ~1;
	p->slave_base = p->has_slave ? (slave_base & ~1) : 0;
	if (ioport_register(io, p->master_base, 2, &pic_ops, p) < 0 ||
	    (p->has_slave && ioport_register(io, p->slave_base, 2, &pic_ops, p) < 0)) {
		free(p);
		return NULL;
	}
	if (intr) {
		intr->ack = pic_ack;
		intr->opaque = p;
	}
	pic_reset(p);
	return p;
}

static void chip_save(const struct pic_chip *c, struct snap *s)
{
	snap_put_u8(s, c->irr);
	snap_put_u8(s, c->isr);
	snap_put_u8(s, c->imr);
	snap_put_u8(s, c->lines);
	snap_put_u8(s, c->base);
	snap_put_u8(s, c->icw3);
	snap_put_u8(s, c->priority_add);
	snap_put_u8(s, c->init_step);
	snap_put_u16(s, c->icw4_needed | c->single << 1 | c->level_trig << 2 |
		     c->auto_eoi << 3 | c->rotate_aeoi << 4 | c->sfnm << 5 |
		     c->special_mask << 6 | c->poll << 7 | c->read_isr << 8);
}

static void chip_load(struct pic_chip *c, struct snap *s)
{
	c->irr = snap_get_u8(s);
	c->isr = snap_get_u8(s);
	c->imr = snap_get_u8(s);
	c->lines = snap_get_u8(s);
	c->base = snap_get_u8(s) & 0xf8;
	c->icw3 = snap_get_u8(s);
	c->priority_add = snap_get_u8(s) & 7;
	c->init_step = snap_get_u8(s);
	if (c->init_step > 4 || c->init_step == 1)
		c->init_step = 0;
	unsigned f = snap_get_u16(s);
	c->icw4_needed = f & 1;
	c->single = f & 2;
	c->level_trig = f & 4;
	c->auto_eoi = f & 8;
	c->rotate_aeoi = f & 16;
	c->sfnm = f & 32;
	c->special_mask = f & 64;
	c->poll = f & 128;
	c->read_isr = f & 256;
}

static void pic_save(void *opaque, struct snap *s)
{
	struct pic *p = opaque;
	snap_put_u8(s, p->has_slave);
	for (int i = 0; i < 2; i++)
		chip_save(&p->chip[i], s);
}

static int pic_load(void *opaque, struct snap *s)
{
	struct pic *p = opaque;
	if (snap_get_u8(s) != p->has_slave)
		return -EINVAL;
	for (int i = 0; i < 2; i++)
		chip_load(&p->chip[i], s);
	if (!snap_ok(s))
		return -EINVAL;
	pic_update(p);
	return 0;
}

static void pic_free(void *opaque)
{
	free(opaque);
}

const struct device_desc pic_desc = {
	.name = "i8259",
	.reset = pic_reset,
	.save = pic_save,
	.load = pic_load,
	.free = pic_free,
};
