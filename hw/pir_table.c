/* The $PIR table of our at board (pir_table.h). */
#include <string.h>

#include "hw/pci.h"
#include "hw/pci_post.h"
#include "hw/pir_table.h"
#include "util/le.h"

#define PIIX3_VENDOR 0x8086
#define PIIX3_DEVICE 0x7000
#define PIRQ_LINK0 0x60		/* link value of PIRQA: its routing register */

void pir_table_build(uint8_t out[PIR_TABLE_LEN])
{
	memset(out, 0, PIR_TABLE_LEN);
	memcpy(out, "$PIR", 4);
	le_put16(out + 4, 0x0100);			/* version 1.0 */
	le_put16(out + 6, PIR_TABLE_LEN);
	out[8] = 0;				/* router's bus */
	out[9] = PCI_POST_PIIX3_DEVFN;
	le_put16(out + 10, 0);			/* no IRQ reserved for PCI alone */
	le_put16(out + 12, PIIX3_VENDOR);
	le_put16(out + 14, PIIX3_DEVICE);
	for (int dev = 0; dev < PIR_TABLE_SLOTS; dev++) {
		uint8_t *e = out + 32 + 16 * dev;
		e[0] = 0;			/* bus */
		e[1] = (uint8_t)(dev << 3);
		for (int pin = 1; pin <= 4; pin++) {
			uint8_t *p = e + 2 + 3 * (pin - 1);
			p[0] = (uint8_t)(PIRQ_LINK0 + pci_pin_pirq((uint8_t)dev, (uint8_t)pin));
			le_put16(p + 1, PIR_IRQ_BITMAP);
		}
		e[14] = dev < 2 ? 0 : (uint8_t)dev;	/* 0: built in (chipset) */
	}
	uint8_t sum = 0;
	for (int i = 0; i < PIR_TABLE_LEN; i++)
		sum = (uint8_t)(sum + out[i]);
	out[31] = (uint8_t)-sum;
}
