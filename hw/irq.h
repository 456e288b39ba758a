/* Interrupt lines.  A device holds a struct irq_line that the board wired to
 * an input of an interrupt controller; the device only raises and lowers it. */
#ifndef TANDEM_HW_IRQ_H
#define TANDEM_HW_IRQ_H

struct irq_line {
	/* Called on every level change (not on repeated identical levels). */
	void (*set)(void *opaque, int n, int level);
	void *opaque;
	int n;
	int level;
};

static inline void irq_set(struct irq_line *l, int level)
{
	level = level != 0;
	if (!l || !l->set || l->level == level)
		return;
	l->level = level;
	l->set(l->opaque, l->n, level);
}
static inline void irq_raise(struct irq_line *l) { irq_set(l, 1); }
static inline void irq_lower(struct irq_line *l) { irq_set(l, 0); }
/* An edge for edge-triggered inputs: raise then lower. */
static inline void irq_pulse(struct irq_line *l) { irq_set(l, 1); irq_set(l, 0); }

#endif
