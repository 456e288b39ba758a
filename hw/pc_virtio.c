/* Wiring of the virtio devices into the "at" board: transport, slot or
 * page, IRQ, and the backends (disk image, net client, output file). */
#include <stdio.h>
#include <string.h>

#include "hw/disk.h"
#include "hw/machine.h"
#include "hw/pc_virtio.h"
#include "hw/pci.h"
#include "hw/virtio_blk.h"
#include "hw/virtio_console.h"
#include "hw/virtio_net.h"
#include "net/net.h"
#include "util/chardev.h"
#include "util/log.h"

struct wiring {
	struct machine *m;
	struct pci_bus *pci;
	struct irq_line *isa_irq;
	enum virtio_transport kind;
	uint16_t irq_used;	/* ISA IRQs other devices hold */
	int pages;		/* virtio-mmio pages handed out */
};

bool pc_virtio_is_nic(const char *model)
{
	return strcmp(model, "virtio") == 0;
}

/* IRQs the board's fixed devices, the Sound Blaster and ISA NICs use. */
static uint16_t irqs_in_use(const struct machine_config *c)
{
	uint16_t used = 0xf15f;	/* 0-4, 6, 8, 12-15 */
	const char *snd = c->sound ? c->sound : "sb16";
	if (strcmp(snd, "none"))
		used |= (uint16_t)(1u << (c->sb_base ? c->sb_irq : 5));
	static const int def_irq[] = { 3, 10, 11, 9, 7 };
	int isa = 0;
	for (int i = 0; i < c->nnics; i++) {
		struct net_nic_config nc;
		char err[256];
		if (net_nic_parse(c->nics[i], &nc, err, sizeof(err)) < 0 ||
		    strcmp(nc.model, "ne2k"))
			continue;
		int irq = nc.irq >= 0 ? nc.irq : isa < 5 ? def_irq[isa] : -1;
		isa++;
		if (irq >= 0)
			used |= (uint16_t)(1u << irq);
	}
	return used;
}

/* Puts v on its transport; name and what for messages. */
static int attach(struct wiring *w, struct virtio *v, uint8_t slot, uint32_t class_code,
		  const char *what)
{
	struct machine *m = w->m;
	struct virtio_attach a = { .kind = w->kind, .pci = w->pci, .devfn = PCI_DEVFN(slot, 0),
				   .class_code = class_code, .mem = m->mem, .apic = m->apic };
	int irq = -1;
	if (w->kind == VIRTIO_MMIO) {
		static const int order[] = { 9, 7, 5, 10, 11 };
		for (size_t i = 0; i < sizeof(order) / sizeof(order[0]) && irq < 0; i++)
			if (!(w->irq_used & (1u << order[i])))
				irq = order[i];
		if (irq < 0) {
			log_error("%s: no free IRQ left for another virtio-mmio device (9, 7, 5, "
				  "10 and 11 are taken)", what);
			return -1;
		}
		w->irq_used |= (uint16_t)(1u << irq);
		a.irq = &w->isa_irq[irq];
		a.mmio_base = VIRTIO_MMIO_BASE + (uint32_t)w->pages * VIRTIO_MMIO_SIZE;
	}
	if (virtio_attach(v, &a) < 0) {
		if (w->kind == VIRTIO_PCI)
			log_error("%s: PCI slot %d is taken", what, slot);
		else
			log_error("%s: cannot map the virtio-mmio page at %#x", what, a.mmio_base);
		return -1;
	}
	if (w->kind == VIRTIO_MMIO) {
		char *x = m->kernel_cmdline_extra;
		size_t len = strlen(x);
		snprintf(x + len, sizeof(m->kernel_cmdline_extra) - len,
			 "%svirtio_mmio.device=4K@%#x:%d", len ? " " : "", a.mmio_base, irq);
		w->pages++;
	}
	return 0;
}

static void nic_send(void *opaque, const uint8_t *frame, size_t len)
{
	net_client_send(opaque, frame, len);
}

static int add_nets(struct wiring *w, struct net *net)
{
	const struct machine_config *c = w->m->cfg;
	char err[256];
	for (int i = 0; i < c->nnics && i < NET_MAX_NICS; i++) {
		struct net_nic_config nc;
		if (net_nic_parse(c->nics[i], &nc, err, sizeof(err)) < 0) {
			log_error("%s", err);
			return -1;
		}
		if (!pc_virtio_is_nic(nc.model))
			continue;
		if (!nc.mac_given)
			net_default_mac(i, nc.mac);
		struct virtio_net *n = virtio_net_new(w->m->mem, nc.mac);
		if (!n)
			return -1;
		machine_add_device(w->m, &virtio_net_desc, n);
		if (attach(w, virtio_net_virtio(n), (uint8_t)(5 + i), 0x020000,
			   "--nic model=virtio") < 0)
			return -1;
		struct net_client *nci = net_client_new(net, &nc, virtio_net_rx, n, err,
							sizeof(err));
		if (!nci) {
			log_error("--nic: %s", err);
			return -1;
		}
		virtio_net_set_send(n, nic_send, nci);
	}
	return 0;
}

static int add_disks(struct wiring *w)
{
	const struct machine_config *c = w->m->cfg;
	char err[512];
	for (int k = 0; k < c->nvirtio_blks; k++) {
		struct disk *d = disk_open(c->virtio_blks[k], DISK_HARD, err, sizeof(err));
		if (!d) {
			log_error("--virtio-blk: %s", err);
			return -1;
		}
		if (disk_readonly(d))
			log_warn("--virtio-blk: '%s' is read-only: the guest sees a read-only disk",
				 c->virtio_blks[k]);
		struct virtio_blk *b = virtio_blk_new(w->m->mem, d);
		if (!b) {
			disk_close(d);
			return -1;
		}
		machine_add_device(w->m, &virtio_blk_desc, b);
		if (attach(w, virtio_blk_virtio(b), (uint8_t)(16 + k), 0x010000,
			   "--virtio-blk") < 0)
			return -1;
	}
	return 0;
}

static int add_console(struct wiring *w)
{
	const struct machine_config *c = w->m->cfg;
	if (!c->virtio_console)
		return 0;
	FILE *out;
	if (chardev_open(c->virtio_console, "--virtio-console", &out) < 0)
		return -1;
	struct virtio_console *con = virtio_console_new(w->m->mem, out);
	if (!con) {
		chardev_close(out);
		return -1;
	}
	machine_add_device(w->m, &virtio_console_desc, con);
	return attach(w, virtio_console_virtio(con), 20, 0x078000, "--virtio-console");
}

static bool any_virtio(const struct machine_config *c)
{
	for (int i = 0; i < c->nnics; i++) {
		struct net_nic_config nc;
		char err[256];
		if (net_nic_parse(c->nics[i], &nc, err, sizeof(err)) == 0 &&
		    pc_virtio_is_nic(nc.model))
			return true;
	}
	return c->nvirtio_blks || c->virtio_console;
}

int pc_virtio_create(struct machine *m, struct pci_bus *pci, struct irq_line *isa_irq,
		     struct net *net)
{
	const struct machine_config *c = m->cfg;
	if (!any_virtio(c))
		return 0;
	if (!pci) {
		log_error("virtio devices need the at machine (the %s has no PCI bus)",
			  c->machine);
		return -1;
	}
	struct wiring w = { .m = m, .pci = pci, .isa_irq = isa_irq };
	bool mmio = c->virtio_transport ? strcmp(c->virtio_transport, "mmio") == 0 :
		    c->direct_boot;
	w.kind = mmio ? VIRTIO_MMIO : VIRTIO_PCI;
	w.irq_used = irqs_in_use(c);
	if (add_nets(&w, net) < 0 || add_disks(&w) < 0 || add_console(&w) < 0)
		return -1;
	if (mmio && !c->direct_boot)
		log_info("virtio-mmio devices: %s", m->kernel_cmdline_extra);
	return 0;
}
