/* Coprocessor error latch on IRQ13, the XT's NMI path and the --fpu choice
 * (hw/fpu_irq.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cpu/x87/x87.h"
#include "hw/fpu_irq.h"
#include "hw/ioport.h"
#include "hw/irq.h"
#include "hw/machine.h"
#include "cpu/state.h"
#include "util/snapshot.h"

struct fpu_irq {
	struct irq_line *irq;		/* AT: IRQ13; NULL on the XT */
	struct x86_state *nmi;		/* XT: the CPU taking the NMI */
	uint8_t latched;		/* AT: IRQ13 latch */
	uint8_t nmi_on;			/* XT: port A0h bit 7 */
	uint8_t int_high;		/* XT: the 8087's INT output */
};

static uint32_t fpu_port_read(void *opaque, uint16_t port, int size)
{
	(void)opaque;
	(void)port;
	(void)size;
	return 0xff;
}

static void fpu_port_write(void *opaque, uint16_t port, uint32_t val, int size)
{
	struct fpu_irq *d = opaque;
	(void)port;
	(void)val;
	(void)size;
	d->latched = 0;
	irq_lower(d->irq);
}

/* XT: port A0h is write-only; bit 7 set lets NMI through. */
static void nmi_port_write(void *opaque, uint16_t port, uint32_t val, int size)
{
	struct fpu_irq *d = opaque;
	uint8_t on = (val & 0x80) != 0;
	(void)port;
	(void)size;
	/* The mask gates a level into an edge-triggered input: opening it
	 * while INT is high is a rising edge too. */
	if (on && !d->nmi_on && d->int_high)
		d->nmi->nmi_pending = 1;
	d->nmi_on = on;
}

static const struct ioport_ops nmi_ops = {
	.read = fpu_port_read,
	.write = nmi_port_write,
	.widths = 1,
};

static const struct ioport_ops fpu_ops = {
	.read = fpu_port_read,
	.write = fpu_port_write,
	.widths = 1,
};

struct fpu_irq *fpu_irq_new(struct ioport_bus *io, struct irq_line *irq13)
{
	struct fpu_irq *d = calloc(1, sizeof(*d));
	if (!d)
		return NULL;
	d->irq = irq13;
	if (ioport_register(io, FPU_IRQ_PORT, 2, &fpu_ops, d) < 0) {
		free(d);
		return NULL;
	}
	return d;
}

struct fpu_irq *fpu_irq_new_xt(struct ioport_bus *io, struct x86_state *cpu)
{
	struct fpu_irq *d = calloc(1, sizeof(*d));
	if (!d)
		return NULL;
	d->nmi = cpu;
	if (ioport_register(io, FPU_NMI_MASK_PORT, 1, &nmi_ops, d) < 0) {
		free(d);
		return NULL;
	}
	return d;
}

void fpu_irq_ferr(struct fpu_irq *d)
{
	if (!d)
		return;
	if (d->nmi) {
		/* The CPU's NMI input is edge-triggered: one NMI per rise. */
		d->int_high = 1;
		if (d->nmi_on)
			d->nmi->nmi_pending = 1;
		return;
	}
	d->latched = 1;
	irq_raise(d->irq);
}

int fpu_irq_model(const struct machine *m)
{
	const char *f = m->cfg ? m->cfg->fpu : NULL;

	if (f) {
		if (strcmp(f, "8087") == 0)
			return X87_8087;
		if (strcmp(f, "287") == 0)
			return X87_287;
		if (strcmp(f, "387") == 0)
			return X87_387;
		return X87_NONE;
	}
	return (m->model->features & CPUF_FPU) ? X87_387 : X87_NONE;
}

void fpu_irq_ferr_low(struct fpu_irq *d)
{
	if (d)
		d->int_high = 0;
}

static void fpu_irq_reset(void *opaque)
{
	struct fpu_irq *d = opaque;
	d->latched = 0;
	d->nmi_on = 0;
	d->int_high = 0;
	if (d->irq)
		irq_lower(d->irq);
}

static void fpu_irq_save(void *opaque, struct snap *s)
{
	struct fpu_irq *d = opaque;
	snap_put_u8(s, (uint8_t)(d->latched | d->nmi_on << 1 | d->int_high << 2));
}

static int fpu_irq_load(void *opaque, struct snap *s)
{
	struct fpu_irq *d = opaque;
	uint8_t l = snap_get_u8(s);
	if (!snap_ok(s) || (d->irq ? l > 1 : (l & 1) || l > 7))
		return -EINVAL;
	d->latched = l & 1;
	d->nmi_on = l >> 1 & 1;
	d->int_high = l >> 2 & 1;
	if (d->irq)
		irq_set(d->irq, d->latched);
	return 0;
}

static void fpu_irq_free(void *opaque)
{
	free(opaque);
}

const struct device_desc fpu_irq_desc = {
	.name = "fpu-irq",
	.reset = fpu_irq_reset,
	.save = fpu_irq_save,
	.load = fpu_irq_load,
	.free = fpu_irq_free,
};
