/* The modern virtio-pci transport (virtio v1.1 section 4.1): vendor 1AF4h,
 * device 1040h + virtio ID, revision 1, and one 4 KiB memory BAR (BAR0)
 * laid out as
 *     000h  common configuration (struct virtio_pci_common_cfg, 38h bytes)
 *     100h  ISR status (read to clear)
 *     200h  device-specific configuration
 *     300h  notifications: queue n at 300h + 4n (notify_off_multiplier 4)
 * described by vendor-specific capabilities (ID 09h) at 40h, 50h, 60h, 70h.
 * Interrupts are INTx (pin A) only: no MSI-X capability, so drivers use the
 * ISR; the MSI-X vector registers read NO_VECTOR (FFFFh).  The optional
 * VIRTIO_PCI_CAP_PCI_CFG access window is not provided. */
#include <stdlib.h>

#include "hw/memory.h"
#include "hw/pci.h"
#include "hw/virtio.h"

enum {
	BAR_COMMON = 0x000, BAR_ISR = 0x100, BAR_DEVICE = 0x200, BAR_NOTIFY = 0x300,
	NOTIFY_MULT = 4,
	CAP_PTR = 0x34, CAP_VNDR = 0x09, PCI_STATUS_CAP_LIST = 0x10,
	CFG_COMMON = 1, CFG_NOTIFY = 2, CFG_ISR = 3, CFG_DEVICE = 4,
	COMMON_LEN = 0x38,
	BAR_SIZE = 0x1000,
};

/* Common configuration offsets. */
enum {
	C_DFSELECT = 0x00, C_DF = 0x04, C_GFSELECT = 0x08, C_GF = 0x0c, C_MSIX = 0x10,
	C_NUMQ = 0x12, C_STATUS = 0x14, C_CFGGEN = 0x15, C_Q_SELECT = 0x16, C_Q_SIZE = 0x18,
	C_Q_MSIX = 0x1a, C_Q_ENABLE = 0x1c, C_Q_NOFF = 0x1e, C_Q_DESC = 0x20,
	C_Q_AVAIL = 0x28, C_Q_USED = 0x30,
};

struct virtio_pci {
	struct pci_func *pci;
	struct virtio *v;
	struct mem *mem;
};

static void put(uint8_t *p, uint32_t v, int n)
{
	for (int i = 0; i < n; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/* The common configuration as the guest sees it now. */
static void common_image(struct virtio *v, uint8_t *c)
{
	struct virtq *q = virtio_sel_queue(v);
	put(c + C_DFSELECT, v->dev_feat_sel, 4);
	put(c + C_DF, virtio_device_features32(v, v->dev_feat_sel), 4);
	put(c + C_GFSELECT, v->drv_feat_sel, 4);
	put(c + C_GF, v->drv_feat_sel < 2 ? (uint32_t)(v->driver_features >>
						       (32 * v->drv_feat_sel)) : 0, 4);
	put(c + C_MSIX, 0xffff, 2);
	put(c + C_NUMQ, v->info->num_queues, 2);
	c[C_STATUS] = v->status;
	c[C_CFGGEN] = v->config_gen;
	put(c + C_Q_SELECT, v->queue_sel, 2);
	put(c + C_Q_SIZE, q ? q->size : 0, 2);
	put(c + C_Q_MSIX, 0xffff, 2);
	put(c + C_Q_ENABLE, q ? q->ready : 0, 2);
	put(c + C_Q_NOFF, q ? v->queue_sel : 0, 2);
	for (int w = 0; w < 3; w++) {
		put(c + C_Q_DESC + 8 * w, virtio_queue_addr32(v, w, false), 4);
		put(c + C_Q_DESC + 8 * w + 4, virtio_queue_addr32(v, w, true), 4);
	}
}

/* A write of size bytes at off; narrower writes merge into the field. */
static void common_write(struct virtio *v, uint32_t off, uint32_t val, int size)
{
	uint8_t c[COMMON_LEN];
	common_image(v, c);
	/* The field holding off, as (start, width): 64-bit fields are two
	 * 32-bit halves. */
	uint32_t start, width;
	if (off >= C_Q_DESC) {
		start = off & ~3u;
		width = 4;
	} else if (off == C_STATUS || off == C_CFGGEN) {
		start = off;
		width = 1;
	} else if (off >= C_MSIX) {
		start = off & ~1u;
		width = 2;
	} else {
		start = off & ~3u;
		width = 4;
	}
	for (int i = 0; i < size && off + i < start + width; i++)
		c[off + i] = (uint8_t)(val >> (8 * i));
	uint32_t f = 0;
	for (uint32_t i = 0; i < width; i++)
		f |= (uint32_t)c[start + i] << (8 * i);
	switch (start) {
	case C_DFSELECT: v->dev_feat_sel = f; break;
	case C_GFSELECT: v->drv_feat_sel = f; break;
	case C_GF: virtio_set_driver_features32(v, v->drv_feat_sel, f); break;
	case C_STATUS: virtio_set_status(v, (uint8_t)f); break;
	case C_Q_SELECT: v->queue_sel = (uint16_t)f; break;
	case C_Q_SIZE: virtio_set_queue_size(v, (uint16_t)f); break;
	case C_Q_ENABLE: if (f == 1) virtio_set_queue_ready(v, true); break;
	default:
		if (start >= C_Q_DESC && start < COMMON_LEN)
			virtio_set_queue_addr32(v, (int)(start - C_Q_DESC) / 8, start & 4, f);
		break;	/* read-only fields and MSI-X vectors */
	}
}

static uint32_t bar_read(void *opaque, uint32_t addr, int size)
{
	struct virtio_pci *t = opaque;
	struct virtio *v = t->v;
	addr &= BAR_SIZE - 1;
	if (addr < BAR_COMMON + COMMON_LEN) {
		uint8_t c[COMMON_LEN];
		common_image(v, c);
		uint32_t val = 0;
		for (int i = 0; i < size && addr + i < COMMON_LEN; i++)
			val |= (uint32_t)c[addr + i] << (8 * i);
		return val;
	}
	if (addr == BAR_ISR)
		return virtio_isr_read_clear(v);
	if (addr >= BAR_DEVICE && addr < BAR_DEVICE + 0x100)
		return virtio_config_read(v, addr - BAR_DEVICE, size);
	return 0;
}

static void bar_write(void *opaque, uint32_t addr, uint32_t val, int size)
{
	struct virtio_pci *t = opaque;
	addr &= BAR_SIZE - 1;
	if (addr < BAR_COMMON + COMMON_LEN)
		common_write(t->v, addr, val, size);
	else if (addr >= BAR_NOTIFY && addr < BAR_NOTIFY + NOTIFY_MULT * VIRTIO_MAX_QUEUES)
		virtio_queue_notify(t->v, (addr - BAR_NOTIFY) / NOTIFY_MULT);
	/* Device config writes: none of our devices has a writable field. */
}

static const struct mmio_ops bar_ops = { bar_read, bar_write, 1 | 2 | 4 };

static void bar_map(void *opaque, int bar, uint32_t addr)
{
	struct virtio_pci *t = opaque;
	(void)bar;
	if (addr != PCI_BAR_UNMAPPED)
		mem_map_mmio(t->mem, addr, BAR_SIZE, &bar_ops, t);
}

static void set_irq(void *opaque, int level)
{
	struct virtio_pci *t = opaque;
	pci_set_irq(t->pci, level);
}

static void func_reset(void *opaque)
{
	struct virtio_pci *t = opaque;
	virtio_reset(t->v);
}

static const struct pci_func_ops func_ops = { .reset = func_reset };

/* One virtio_pci_cap (16 bytes, or 20 for notify) at cfg[at]. */
static void add_cap(uint8_t *cfg, uint8_t at, uint8_t next, uint8_t type, uint32_t off,
		    uint32_t len)
{
	cfg[at] = CAP_VNDR;
	cfg[at + 1] = next;
	cfg[at + 2] = type == CFG_NOTIFY ? 20 : 16;
	cfg[at + 3] = type;
	cfg[at + 4] = 0;	/* BAR0 */
	put(cfg + at + 8, off, 4);
	put(cfg + at + 12, len, 4);
	if (type == CFG_NOTIFY)
		put(cfg + at + 16, NOTIFY_MULT, 4);
}

static void transport_free(void *opaque)
{
	free(opaque);
}

struct virtio_pci *virtio_pci_new(struct pci_bus *bus, uint8_t devfn, struct virtio *v,
				  uint32_t class_code)
{
	struct virtio_pci *t = calloc(1, sizeof(*t));
	if (!t)
		return NULL;
	t->v = v;
	t->mem = v->mem;
	t->pci = pci_add_function(bus, devfn, 0x1af4, (uint16_t)(0x1040 + v->info->device_id),
				  1, class_code, &func_ops, t);
	if (!t->pci || pci_bar_mem(t->pci, 0, BAR_SIZE, false, bar_map, t) < 0) {
		free(t);
		return NULL;
	}
	uint8_t *cfg = pci_config(t->pci);
	cfg[PCI_INT_PIN] = 1;
	/* Subsystem: Red Hat vendor, device = virtio ID + 40h is what QEMU
	 * gives modern devices (spec 4.1.2.1: at least 40h). */
	put(cfg + PCI_SUBSYS_VENDOR, 0x1af4, 2);
	put(cfg + PCI_SUBSYS_ID, 0x40u + v->info->device_id, 2);
	cfg[PCI_STATUS] |= PCI_STATUS_CAP_LIST;
	cfg[CAP_PTR] = 0x40;
	add_cap(cfg, 0x40, 0x50, CFG_COMMON, BAR_COMMON, COMMON_LEN);
	add_cap(cfg, 0x50, 0x60, CFG_ISR, BAR_ISR, 4);
	add_cap(cfg, 0x60, 0x70, CFG_DEVICE, BAR_DEVICE, v->info->config_len);
	add_cap(cfg, 0x70, 0x00, CFG_NOTIFY, BAR_NOTIFY,
		(uint32_t)NOTIFY_MULT * v->info->num_queues);
	v->set_irq = set_irq;
	v->transport = t;
	v->transport_free = transport_free;
	return t;
}

void virtio_pci_free(struct virtio_pci *t)
{
	free(t);
}
