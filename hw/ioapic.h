/* 82093AA I/O APIC: 24 interrupt input pins, each with a redirection
 * entry that turns it into a message on the APIC bus (hw/lapic.h).
 *
 * Registers are reached through two MMIO locations: IOREGSEL (base + 0,
 * the register index) and IOWIN (base + 10h, the 32-bit data): 00h ID,
 * 01h version (00170011h: 24 entries), 02h arbitration ID, 10h + 2n and
 * 11h + 2n the low and high halves of entry n (vector, delivery mode,
 * logical destination mode, polarity, remote IRR, trigger mode, mask,
 * destination).
 *
 * Inputs take the line's asserted state (polarity only describes the
 * wire, which the board's lines already abstract).  An edge-triggered pin
 * sends a message on each rising edge while unmasked.  A level-triggered
 * pin sends one while asserted and unmasked and its remote IRR is clear,
 * sets remote IRR, and sends again after the EOI for its vector (broadcast
 * by the local APIC, ioapic_eoi) if still asserted.  Delivery status never
 * reads pending: messages are delivered at once.
 */
#ifndef TANDEM_HW_IOAPIC_H
#define TANDEM_HW_IOAPIC_H

#include <stdint.h>

#include "hw/device.h"

struct apic_bus;
struct mem;
struct ioapic;

#define IOAPIC_PINS 24

/* Maps the registers at base (page aligned) with APIC ID id. */
struct ioapic *ioapic_new(struct mem *mem, uint32_t base, uint8_t id, struct apic_bus *bus);
/* Sets the level of input pin (0-23; others ignored); usable as struct
 * irq_line.set with the ioapic as opaque. */
void ioapic_set_irq(void *ioapic, int pin, int level);
/* A local APIC's EOI of a level-triggered vector (apic_eoi_fn). */
void ioapic_eoi(void *ioapic, uint8_t vector);

extern const struct device_desc ioapic_desc;

#endif
