/* The at board's APICs (hw/pc_apic.h). */
#include <stdlib.h>
#include <string.h>

#include "hw/fw_cfg.h"
#include "hw/ioapic.h"
#include "hw/lapic.h"
#include "hw/machine.h"
#include "hw/pc_apic.h"
#include "hw/pic.h"
#include "util/log.h"

/* ISA interrupt lines fan out to both controllers. */
struct pc_apic_wires {
	struct pic *pic;
	struct ioapic *ioapic;
};

bool pc_apic_wanted(const struct machine *m)
{
	return strcmp(m->cfg->machine, "at") == 0 && (m->model->features & CPUF_APIC);
}

int pc_apic_isa_pin(int irq)
{
	return irq == 0 ? 2 : irq;
}

static void isa_irq_set(void *opaque, int n, int level)
{
	struct pc_apic_wires *w = opaque;
	pic_set_irq(w->pic, n, level);
	ioapic_set_irq(w->ioapic, pc_apic_isa_pin(n), level);
}

static void wires_free(void *opaque)
{
	free(opaque);
}

static const struct device_desc wires_desc = {
	.name = "isa-irq-wires",
	.free = wires_free,
};

int pc_apic_create(struct machine *m, struct irq_line *isa_irq)
{
	/* The APIC bus clock: the front-side bus of the model's boards. */
	bool p6 = m->model->family >= CPU_PENTIUM2;
	uint64_t bus_hz = p6 ? 100000000 : 66666667;
	/* Version 11h with LVT entries up to the performance counter's (P6)
	 * or up to the error entry (P54C). */
	uint32_t version = p6 ? 0x00040011 : 0x00030010;
	int n = m->ncpus < 1 ? 1 : m->ncpus;

	m->apic = apic_bus_new(m->mem, m->clock, bus_hz, version, &m->kick);
	if (!m->apic)
		return -1;
	machine_add_device(m, &apic_bus_desc, m->apic);
	for (int i = 0; i < n; i++) {
		struct lapic *l = apic_bus_add_cpu(m->apic, i ? &m->ap_cpu[i - 1] : &m->cpu,
						   i ? &m->ap_intr[i - 1] : &m->intr);
		if (!l)
			return -1;
		machine_add_device(m, &lapic_desc, l);
	}
	apic_bus_set_pic(m->apic, &m->pic_intr);

	m->ioapic = ioapic_new(m->mem, PC_IOAPIC_BASE, PC_IOAPIC_ID, m->apic);
	if (!m->ioapic) {
		log_error("cannot map the I/O APIC at %#x", PC_IOAPIC_BASE);
		return -1;
	}
	machine_add_device(m, &ioapic_desc, m->ioapic);
	apic_bus_set_eoi_hook(m->apic, ioapic_eoi, m->ioapic);

	struct pc_apic_wires *w = calloc(1, sizeof(*w));
	if (!w)
		return -1;
	w->pic = m->pic;
	w->ioapic = m->ioapic;
	machine_add_device(m, &wires_desc, w);
	m->apic_wires = w;
	for (int i = 0; i < 16; i++)
		pc_apic_irq_line(m, i, &isa_irq[i]);
	return 0;
}

int pc_apic_fw_cfg(struct machine *m, struct fw_cfg *fw)
{
	static const uint8_t one[8] = { 1 };
	int err = fw_cfg_add_i16(fw, FW_CFG_NB_CPUS, (uint16_t)m->ncpus);
	if (!err)
		err = fw_cfg_add_i16(fw, FW_CFG_MAX_CPUS, (uint16_t)m->ncpus);
	if (!err)
		err = fw_cfg_add_file(fw, "etc/irq0-override", one, sizeof(one));
	return err;
}

void pc_apic_irq_line(struct machine *m, int irq, struct irq_line *line)
{
	line->set = isa_irq_set;
	line->opaque = m->apic_wires;
	line->n = irq;
	line->level = 0;
}
