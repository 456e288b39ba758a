/* MADT and MP tables of the at board (hw/apic_tables.h). */
#include <string.h>

#include "hw/apic_tables.h"
#include "hw/lapic.h"
#include "hw/pc_apic.h"
#include "util/le.h"

uint8_t apic_tables_checksum(const uint8_t *p, uint32_t len)
{
	uint8_t s = 0;
	for (uint32_t i = 0; i < len; i++)
		s = (uint8_t)(s + p[i]);
	return (uint8_t)-s;
}

uint32_t apic_madt_len(int ncpus)
{
	return 44 + 8u * (uint32_t)ncpus + 12 + 10;
}

uint32_t apic_madt_build(uint8_t *out, int ncpus)
{
	uint32_t n = 44;
	memset(out, 0, apic_madt_len(ncpus));
	memcpy(out, "APIC", 4);
	out[8] = 1;				/* revision (ACPI 1.0) */
	memcpy(out + 10, "TANDEM", 6);
	memcpy(out + 16, "TANDEMPC", 8);
	le_put32(out + 24, 1);
	memcpy(out + 28, "TNDM", 4);
	le_put32(out + 32, 1);
	le_put32(out + 36, LAPIC_DEFAULT_BASE);
	le_put32(out + 40, 1);			/* PCAT_COMPAT */
	for (int i = 0; i < ncpus; i++, n += 8) {
		out[n] = 0;			/* processor local APIC */
		out[n + 1] = 8;
		out[n + 2] = (uint8_t)i;	/* ACPI processor ID */
		out[n + 3] = (uint8_t)i;	/* APIC ID */
		le_put32(out + n + 4, 1);		/* enabled */
	}
	out[n] = 1;				/* I/O APIC */
	out[n + 1] = 12;
	out[n + 2] = PC_IOAPIC_ID;
	le_put32(out + n + 4, PC_IOAPIC_BASE);
	le_put32(out + n + 8, 0);			/* GSI base */
	n += 12;
	out[n] = 2;				/* interrupt source override */
	out[n + 1] = 10;
	out[n + 2] = 0;				/* ISA */
	out[n + 3] = 0;				/* IRQ 0 */
	le_put32(out + n + 4, (uint32_t)pc_apic_isa_pin(0));
	le_put16(out + n + 8, 0);			/* conforms to the bus */
	n += 10;
	le_put32(out + 4, n);
	out[9] = apic_tables_checksum(out, n);
	return n;
}

/* One 8-byte interrupt assignment entry (I/O: type 3, local: type 4). */
static uint32_t intr_entry(uint8_t *e, uint8_t type, uint8_t kind, uint8_t bus, uint8_t irq,
			   uint8_t dest, uint8_t pin)
{
	e[0] = type;
	e[1] = kind;			/* 0 INT, 1 NMI, 3 ExtINT */
	le_put16(e + 2, 0);		/* polarity and trigger conform to the bus */
	e[4] = bus;
	e[5] = irq;
	e[6] = dest;
	e[7] = pin;
	return 8;
}

enum { MP_BUS_PCI = 0, MP_BUS_ISA = 1 };

uint32_t mp_table_build(uint8_t *out, uint32_t addr, int ncpus, uint32_t cpu_sig,
			uint32_t cpu_features)
{
	uint8_t *fp = out, *ct = out + 16;
	uint32_t n = 44;
	uint16_t count = 0;
	memset(out, 0, MP_TABLE_MAX);

	for (int i = 0; i < ncpus; i++, n += 20, count++) {
		uint8_t *e = ct + n;
		e[0] = 0;			/* processor */
		e[1] = (uint8_t)i;		/* local APIC ID */
		e[2] = 0x11;			/* local APIC version */
		e[3] = (uint8_t)(1 | (i == 0 ? 2 : 0));	/* enabled, BSP */
		le_put32(e + 4, cpu_sig);
		le_put32(e + 8, cpu_features);
	}
	static const char *const buses[] = { "PCI   ", "ISA   " };
	for (int b = 0; b < 2; b++, n += 8, count++) {
		ct[n] = 1;			/* bus */
		ct[n + 1] = (uint8_t)b;
		memcpy(ct + n + 2, buses[b], 6);
	}
	ct[n] = 2;				/* I/O APIC */
	ct[n + 1] = PC_IOAPIC_ID;
	ct[n + 2] = 0x11;
	ct[n + 3] = 1;				/* enabled */
	le_put32(ct + n + 4, PC_IOAPIC_BASE);
	n += 8;
	count++;
	/* The 8259A's INTR as ExtINT on INTIN 0, then the ISA IRQs. */
	n += intr_entry(ct + n, 3, 3, MP_BUS_ISA, 0, PC_IOAPIC_ID, 0);
	count++;
	for (int irq = 0; irq < 16; irq++) {
		if (irq == 2)
			continue;		/* the cascade */
		n += intr_entry(ct + n, 3, 0, MP_BUS_ISA, (uint8_t)irq, PC_IOAPIC_ID,
				(uint8_t)pc_apic_isa_pin(irq));
		count++;
	}
	n += intr_entry(ct + n, 4, 3, MP_BUS_ISA, 0, 0xff, 0);	/* LINT0 ExtINT */
	n += intr_entry(ct + n, 4, 1, MP_BUS_ISA, 0, 0xff, 1);	/* LINT1 NMI */
	count += 2;

	memcpy(ct, "PCMP", 4);
	le_put16(ct + 4, (uint16_t)n);
	ct[6] = 4;				/* spec 1.4 */
	memcpy(ct + 8, "TANDEM  ", 8);
	memcpy(ct + 16, "TANDEM PC   ", 12);
	le_put16(ct + 34, count);
	le_put32(ct + 36, LAPIC_DEFAULT_BASE);
	ct[7] = apic_tables_checksum(ct, n);

	memcpy(fp, "_MP_", 4);
	le_put32(fp + 4, addr + 16);
	fp[8] = 1;				/* length in 16-byte units */
	fp[9] = 4;				/* spec 1.4 */
	/* feature bytes 0: a configuration table is present; no IMCR (the
	 * 8259A reaches LINT0 in virtual wire mode) */
	fp[10] = apic_tables_checksum(fp, 16);
	return 16 + n;
}
