/* The APIC half of the at board.  A CPU model with an on-chip local APIC
 * (CPUF_APIC: the P54C and later) gets one per CPU on an APIC bus, and the
 * board an 82093AA I/O APIC at FEC00000h (hw/ioapic.h).  The 8259A pair
 * stays: its INTR reaches the CPUs through LINT0 (virtual wire), and every
 * ISA interrupt line drives both its 8259A input and an I/O APIC pin, IRQ0
 * on pin 2 as PC firmware describes it (the MADT's interrupt source
 * override), the others on the pin of their number.
 */
#ifndef TANDEM_HW_PC_APIC_H
#define TANDEM_HW_PC_APIC_H

#include <stdbool.h>

struct machine;
struct irq_line;

#define PC_IOAPIC_BASE 0xfec00000u
#define PC_IOAPIC_ID 8		/* above every CPU's APIC ID (0-7) */
#define PC_IOAPIC_PINS 24

/* Does this board get APICs (an at machine whose CPU has one)? */
bool pc_apic_wanted(const struct machine *m);
/* I/O APIC pin of ISA IRQ n. */
int pc_apic_isa_pin(int irq);
/* What SeaBIOS reads from fw_cfg about the CPUs and APICs: the CPU counts
 * and etc/irq0-override (its MP table then puts IRQ 0 on INTIN 2).  0 or
 * -errno. */
struct fw_cfg;
int pc_apic_fw_cfg(struct machine *m, struct fw_cfg *fw);
/* Fills *line so that it drives ISA IRQ irq on both controllers, for a
 * device with a line of its own (an ISA NIC); after pc_apic_create. */
void pc_apic_irq_line(struct machine *m, int irq, struct irq_line *line);
/* Creates the APIC bus with a local APIC for each of the m->ncpus CPUs
 * (the boot CPU's drives m->intr, an AP's m->ap_intr[i - 1]; the 8259A must
 * already drive m->pic_intr) and the I/O APIC, and rewires isa_irq[0..15]
 * (now 8259A inputs) to drive both controllers.  0, or -1 (logged). */
int pc_apic_create(struct machine *m, struct irq_line *isa_irq);

#endif
