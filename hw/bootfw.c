/* Platform set-up for direct boot (bootfw.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "hw/acpi_place.h"
#include "hw/apic_tables.h"
#include "hw/apm_port.h"
#include "hw/bootfw.h"
#include "hw/fpu_irq.h"
#include "hw/machine.h"
#include "hw/pci.h"
#include "hw/pci_post.h"
#include "hw/pir_table.h"
#include "util/log.h"

#define I440FX_PAM0 0x59
#define PAM_F_SEG_RW 0x30	/* PAM0 high nibble 3: reads and writes go to DRAM */

struct low_mmio {
	uint32_t lowest;
};

/* Memory BARs go below the lowest thing already decoded between the BARs'
 * floor and the BIOS's top (virtio-mmio pages with --kernel). */
static void note_range(void *opaque, const struct mem_range *r)
{
	struct low_mmio *l = opaque;
	if (r->base >= PCI_POST_MEM_BOTTOM && r->base < l->lowest)
		l->lowest = (uint32_t)r->base;
}

int bootfw_setup(struct machine *m, uint32_t *rsdp)
{
	*rsdp = 0;
	if (!m->pci)
		return 0;
	/* Decoding off first: the BARs' reset-time addresses (the VGA's
	 * framebuffer at E0000000h) are not in the way of where they go. */
	for (int devfn = 0; devfn < 256; devfn++) {
		uint32_t cmd = pci_bus_config_read(m->pci, (uint8_t)devfn, PCI_COMMAND, 2);
		if (cmd != 0xffff)
			pci_bus_config_write(m->pci, (uint8_t)devfn, PCI_COMMAND,
					     cmd & ~(uint32_t)(PCI_CMD_IO | PCI_CMD_MEM), 2);
	}
	struct low_mmio l = { .lowest = PCI_POST_MEM_TOP };
	mem_for_each_range(m->mem, note_range, &l);
	pci_post(m->pci, m->io, l.lowest);

	pci_bus_config_write(m->pci, 0, I440FX_PAM0, PAM_F_SEG_RW, 1);
	uint8_t *seg = calloc(1, BOOTFW_SEG_LEN);
	if (!seg)
		return -ENOMEM;
	pir_table_build(seg + (BOOTFW_PIR - BOOTFW_SEG));
	uint32_t used;
	uint32_t off = BOOTFW_ACPI - BOOTFW_SEG;
	int apic_cpus = m->apic ? m->ncpus : 0;
	int err = acpi_place(seg + off, BOOTFW_ACPI, BOOTFW_MP - BOOTFW_ACPI, APM_PORT_PM1,
			     APM_PM1_SLP_TYP_S5, apic_cpus, rsdp, &used);
	/* CPUID leaf 1 EDX as far as the MP spec's readers look: FPU, APIC. */
	if (apic_cpus)
		mp_table_build(seg + (BOOTFW_MP - BOOTFW_SEG), BOOTFW_MP, apic_cpus,
			       m->model->cpuid_sig, (fpu_irq_model(m) ? 1u : 0) | 1u << 9);
	if (err)
		log_error("--kernel: cannot lay out the ACPI tables (%s)", strerror(-err));
	else if (mem_copy_to_guest(m->mem, BOOTFW_SEG, seg, BOOTFW_SEG_LEN) < 0) {
		log_error("--kernel: the F segment is not RAM after the PAM write");
		err = -EFAULT;
	}
	free(seg);
	if (!err)
		log_debug("direct boot: $PIR at %#x, ACPI RSDP at %#x (%u bytes of tables)",
			  BOOTFW_PIR, *rsdp, used);
	return err;
}
