/* PCI bus 0 with configuration mechanism #1 (ports CF8h address, CFCh-CFFh
 * data) and the reset control register at CF9h.
 *
 * A device adds functions with pci_add_function(), fills the read-only
 * parts of its 256-byte configuration space through pci_config() and
 * declares BARs.  The bus implements the standard header: command/status,
 * BAR size probing (write all ones, read back the size mask) and moving a
 * BAR when the guest writes an address or toggles the command register's
 * I/O / memory enables.  Device-specific registers are writable where the
 * device opens them with pci_config_wmask(); its config_write hook then
 * sees every write after the bus applied it.
 */
#ifndef TANDEM_HW_PCI_H
#define TANDEM_HW_PCI_H

#include <stdbool.h>
#include <stdint.h>

#include "hw/device.h"
#include "hw/ioport.h"
#include "hw/memory.h"

#define PCI_DEVFN(dev, fn) ((uint8_t)((dev) << 3 | (fn)))
#define PCI_BAR_UNMAPPED 0xffffffffu
#define PCI_NUM_BARS 6

/* Standard header offsets. */
enum {
	PCI_VENDOR_ID = 0x00, PCI_DEVICE_ID = 0x02, PCI_COMMAND = 0x04, PCI_STATUS = 0x06,
	PCI_REVISION = 0x08, PCI_CLASS_PROG = 0x09, PCI_HEADER_TYPE = 0x0e,
	PCI_BAR0 = 0x10, PCI_SUBSYS_VENDOR = 0x2c, PCI_SUBSYS_ID = 0x2e,
	PCI_INT_LINE = 0x3c, PCI_INT_PIN = 0x3d,
	PCI_CMD_IO = 0x01, PCI_CMD_MEM = 0x02, PCI_CMD_MASTER = 0x04,
};

struct pci_bus;
struct pci_func;

struct pci_func_ops {
	/* After the bus applied a guest write of size bytes at off (may be NULL). */
	void (*config_write)(void *opaque, uint8_t off, uint32_t val, int size);
	/* Hardware reset of the function, after the bus reset the standard
	 * header (may be NULL). */
	void (*reset)(void *opaque);
};

/* Claims CF8h-CFFh.  reset (may be NULL) is called when the guest writes
 * CF9h with bit 2 set. */
struct pci_bus *pci_bus_new(struct ioport_bus *io, struct mem *mem,
			    void (*reset)(void *opaque), void *reset_opaque);

/* Adds function devfn (PCI_DEVFN(dev, fn)).  class_code is class << 16 |
 * subclass << 8 | prog-if.  NULL if devfn is taken. */
struct pci_func *pci_add_function(struct pci_bus *bus, uint8_t devfn, uint16_t vendor,
				  uint16_t device, uint8_t revision, uint32_t class_code,
				  const struct pci_func_ops *ops, void *opaque);

/* The function's configuration space (256 bytes) and the mask of the bits
 * the guest may write (standard header bits are set by the bus). */
uint8_t *pci_config(struct pci_func *f);
uint8_t *pci_config_wmask(struct pci_func *f);

/* An I/O BAR of size bytes (power of two, 4-256): while enabled the bus
 * registers ops/opaque on the BAR's ports (absolute port numbers). */
int pci_bar_io(struct pci_func *f, int bar, uint32_t size, const struct ioport_ops *ops,
	       void *opaque);
/* A 32-bit memory BAR of size bytes (power of two, >= 4 KiB).  map is
 * called with the new address (PCI_BAR_UNMAPPED when decoding stops) after
 * the bus unmapped the old range; the device maps its memory there. */
int pci_bar_mem(struct pci_func *f, int bar, uint32_t size, bool prefetch,
		void (*map)(void *opaque, int bar, uint32_t addr), void *opaque);
/* Where the BAR decodes now, or PCI_BAR_UNMAPPED. */
uint32_t pci_bar_addr(const struct pci_func *f, int bar);

/* Drives the function's INTx pin (config byte 3Dh, 1 = INTA).  The bus maps
 * device d's pin p to PIRQ (d + p - 2) & 3, as on PIIX boards, and hands it
 * to the router. */
void pci_set_irq(struct pci_func *f, int level);
/* That swizzle: the PIRQ (0-3 = A-D) device dev's INTx pin (1-4) drives. */
static inline int pci_pin_pirq(uint8_t dev, uint8_t pin)
{
	return (dev + pin - 2) & 3;
}
void pci_bus_set_router(struct pci_bus *bus, void (*route)(void *opaque, int pirq, int level),
			void *opaque);

/* Configuration access without the ports (tests, firmware helpers). */
uint32_t pci_bus_config_read(struct pci_bus *bus, uint8_t devfn, uint8_t off, int size);
void pci_bus_config_write(struct pci_bus *bus, uint8_t devfn, uint8_t off, uint32_t val,
			  int size);

/* Resets, saves and loads every function's configuration space (the bus's
 * device_desc; functions with device state save it themselves). */
extern const struct device_desc pci_bus_desc;

#endif
