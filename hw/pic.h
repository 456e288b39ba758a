/* 8259A programmable interrupt controller: a master and, on AT machines, a
 * slave cascaded on the master's IR2.
 *
 * Inputs are IRQ lines 0-15 (8-15 only with a slave); the output is the
 * CPU's INTR pin, kept in a struct cpu_intr that the board passes in.  The
 * CPU runs the INTA cycle through cpu_intr.ack, which returns the vector.
 *
 * Edge-triggered inputs latch a request on the rising edge and keep it until
 * it is acknowledged, so a device may irq_pulse() its line.  Level-triggered
 * inputs (ICW1 LTIM) request only while high; one that drops between INTR
 * and INTA yields the spurious vector (IR7 of the chip).
 */
#ifndef TANDEM_HW_PIC_H
#define TANDEM_HW_PIC_H

#include <stdbool.h>
#include <stdint.h>

#include "hw/device.h"
#include "hw/irq.h"

struct ioport_bus;
struct cpu_intr;
struct pic;

/* Claims master_base and master_base+1 (normally 20h); with a slave
 * (slave_base >= 0, normally A0h) also slave_base and slave_base+1, and the
 * slave's INT drives master IR2.  Sets intr->ack and intr->opaque. */
struct pic *pic_new(struct ioport_bus *io, struct cpu_intr *intr, uint16_t master_base,
		    int slave_base);

/* Sets the level of input irq (0-15); usable as struct irq_line.set with
 * the struct pic as opaque.  Out-of-range numbers are ignored. */
void pic_set_irq(void *pic, int irq, int level);

/* Fills *line so that irq_set(line, ...) drives input irq. */
void pic_irq_line(struct pic *p, int irq, struct irq_line *line);
/* Edge/level control (the PIIX3's ELCR at 4D0h/4D1h): bit n makes input n
 * level triggered, as shared PCI interrupts need.  Not saved here: the
 * chipset that owns the register restores it. */
void pic_set_elcr(struct pic *p, uint16_t level_mask);

extern const struct device_desc pic_desc;

#endif
