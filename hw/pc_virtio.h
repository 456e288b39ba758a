/* The virtio devices of the "at" board (hw/virtio.h): --nic model=virtio,
 * --virtio-blk and --virtio-console, on PCI or as virtio-mmio pages. */
#ifndef TANDEM_HW_PC_VIRTIO_H
#define TANDEM_HW_PC_VIRTIO_H

#include <stdbool.h>

struct machine;
struct pci_bus;
struct irq_line;
struct net;

/* Creates them all.  PCI: virtio-net for --nic n in slot 5 + n (as the other
 * PCI cards), virtio-blk k in slot 16 + k, the console in slot 20.  MMIO
 * (cfg->virtio_transport "mmio", or a --kernel boot without one): pages at
 * VIRTIO_MMIO_BASE in that order (nets, disks, console), each with its own
 * ISA IRQ out of 9, 7, 5, 10, 11 (skipping the Sound Blaster's and the ISA
 * cards'), and m->kernel_cmdline_extra names them for Linux.  pci is NULL on
 * the xt board (no virtio there); net is NULL without --nic.  Prints the
 * reason and returns -1 on bad configuration. */
int pc_virtio_create(struct machine *m, struct pci_bus *pci, struct irq_line *isa_irq,
		     struct net *net);
/* True when --nic model=virtio belongs to pc_virtio_create, not the NIC code. */
bool pc_virtio_is_nic(const char *model);

#endif
