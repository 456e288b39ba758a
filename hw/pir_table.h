/* The PCI IRQ Routing Table ($PIR, PCI IRQ Routing Table Specification
 * 1.0) of our at board: what Linux's pirq code (and any OS that does not
 * use ACPI for interrupts) reads to find the interrupt router and which
 * PIRQ each slot's INTA-D pins drive.  The router is the PIIX3 at 00:01.0
 * (8086:7000); link values are its routing registers 60h-63h, so an OS
 * can read and change a link's IRQ there.  Every device number 0-31 of bus
 * 0 has an entry, wired as the bus wires them (pci_pin_pirq); each link
 * may take IRQ 3-7, 9-12, 14 or 15.  Our BIOS has the same table in its F
 * segment (bios/pcibios.asm); direct boot copies this one there. */
#ifndef TANDEM_HW_PIR_TABLE_H
#define TANDEM_HW_PIR_TABLE_H

#include <stdint.h>

#define PIR_TABLE_SLOTS 32
#define PIR_TABLE_LEN (32 + 16 * PIR_TABLE_SLOTS)
#define PIR_IRQ_BITMAP 0xdef8u

/* Fills out with the table, checksum included (must land 16-byte aligned
 * in F0000h-FFFFFh for an OS to find it). */
void pir_table_build(uint8_t out[PIR_TABLE_LEN]);

#endif
