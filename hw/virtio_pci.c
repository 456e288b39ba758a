/* The modern virtio-pci transport (virtio v1.1 section 4.1): vendor 1AF4h,
 * device 1040h + virtio ID, revision 1, and one 4 KiB memory BAR (BAR0)
 * laid out as
 *     000h  common configuration (struct virtio_pci_common_cfg, 38h bytes)
 *     100h  ISR status (read to clear)
 *     200h  device-specific configuration
 *     300h  notifications: queue n at 300h + 4n (notify_off_multiplier 4)
 *     800h  MSI-X table (APIC boards), 16 bytes per vector
 *     C00h  MSI-X pending bits
 * described by vendor-specific capabilities (ID 09h) at 40h, 50h, 60h, 70h.
 * Interrupts are INTx (pin A) and, on a board with APICs, MSI-X (capability
 * ID 11h at 84h): one vector per queue plus one for configuration changes.
 * With MSI-X enabled a queue or configuration interrupt goes to the vector
 * its msix_config / queue_msix_vector register names (none for NO_VECTOR,
 * FFFFh, which a vector out of range also reads back as), pends in the PBA
 * while its entry or the function is masked and goes out when unmasked; the
 * ISR is not used.  Without APICs there is no MSI-X capability and the
 * vector registers read NO_VECTOR.  The optional VIRTIO_PCI_CAP_PCI_CFG
 * access window is not provided. */
#include <errno.h>
#include <stdlib.h>

#include "hw/lapic.h"
#include "hw/memory.h"
#include "hw/pci.h"
#include "hw/virtio.h"
#include "util/snapshot.h"

enum {
	BAR_COMMON = 0x000, BAR_ISR = 0x100, BAR_DEVICE = 0x200, BAR_NOTIFY = 0x300,
	NOTIFY_MULT = 4,
	CAP_PTR = 0x34, CAP_VNDR = 0x09, PCI_STATUS_CAP_LIST = 0x10,
	CFG_COMMON = 1, CFG_NOTIFY = 2, CFG_ISR = 3, CFG_DEVICE = 4,
	COMMON_LEN = 0x38,
	BAR_SIZE = 0x1000,
	BAR_MSIX_TABLE = 0x800, BAR_MSIX_PBA = 0xc00,
	CAP_MSIX = 0x11, CAP_MSIX_AT = 0x84,	/* after the 20-byte notify cap */
	MSIX_ENABLE = 0x80, MSIX_MASKALL = 0x40,	/* message control, high byte */
	NO_VECTOR = 0xffff,
};

#define MSIX_MAX (VIRTIO_MAX_QUEUES + 1)

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
	struct apic_bus *apic;		/* NULL: no MSI-X */
	int nvec;			/* MSI-X table entries */
	uint16_t config_vec, queue_vec[VIRTIO_MAX_QUEUES];
	uint32_t table[MSIX_MAX][4];	/* address low, high, data, vector control */
	uint32_t pending;		/* PBA */
};

static void put(uint8_t *p, uint32_t v, int n)
{
	for (int i = 0; i < n; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/* ---- MSI-X ---- */

static uint8_t msix_control(const struct virtio_pci *t)
{
	return pci_config(t->pci)[CAP_MSIX_AT + 3];
}

static bool msix_on(const struct virtio_pci *t)
{
	return t->apic && (msix_control(t) & MSIX_ENABLE);
}

/* Sends vector n's message, or leaves it pending while masked. */
static void msix_fire(struct virtio_pci *t, int n)
{
	uint32_t *e = t->table[n];
	if ((msix_control(t) & MSIX_MASKALL) || (e[3] & 1)) {
		t->pending |= 1u << n;
		return;
	}
	t->pending &= ~(1u << n);
	/* Only a bus master may write the message (PCI 6.8.3.5). */
	if (pci_config(t->pci)[PCI_COMMAND] & PCI_CMD_MASTER)
		apic_bus_msi(t->apic, (uint64_t)e[1] << 32 | e[0], e[2]);
}

/* Pending vectors whose masks opened go out now. */
static void msix_unmasked(struct virtio_pci *t)
{
	if (!msix_on(t) || (msix_control(t) & MSIX_MASKALL))
		return;
	for (int n = 0; n < t->nvec; n++)
		if ((t->pending >> n & 1) && !(t->table[n][3] & 1))
			msix_fire(t, n);
}

/* virtio's notify hook: n is a queue, or -1 for a configuration change. */
static bool msix_notify(void *opaque, int n)
{
	struct virtio_pci *t = opaque;
	if (!msix_on(t))
		return false;
	uint16_t vec = n < 0 ? t->config_vec : t->queue_vec[n];
	if (vec < t->nvec)
		msix_fire(t, vec);
	return true;
}

static uint16_t vector_or_none(const struct virtio_pci *t, uint32_t v)
{
	return t->apic && v < (uint32_t)t->nvec ? (uint16_t)v : NO_VECTOR;
}

static uint32_t msix_read(struct virtio_pci *t, uint32_t addr)
{
	if (addr >= BAR_MSIX_PBA)
		return addr == BAR_MSIX_PBA ? t->pending : 0;
	uint32_t n = (addr - BAR_MSIX_TABLE) / 16;
	return n < (uint32_t)t->nvec ? t->table[n][(addr / 4) & 3] : 0;
}

static void msix_write(struct virtio_pci *t, uint32_t addr, uint32_t val)
{
	uint32_t n = (addr - BAR_MSIX_TABLE) / 16;
	if (addr >= BAR_MSIX_PBA || n >= (uint32_t)t->nvec)
		return;	/* the PBA is read-only */
	int field = (addr / 4) & 3;
	t->table[n][field] = field == 3 ? val & 1 : val;
	if (field == 3)
		msix_unmasked(t);
}

static void msix_reset(struct virtio_pci *t)
{
	t->config_vec = NO_VECTOR;
	for (int i = 0; i < VIRTIO_MAX_QUEUES; i++)
		t->queue_vec[i] = NO_VECTOR;
	for (int n = 0; n < MSIX_MAX; n++) {
		t->table[n][0] = t->table[n][1] = t->table[n][2] = 0;
		t->table[n][3] = 1;	/* masked */
	}
	t->pending = 0;
	if (t->apic)
		pci_config(t->pci)[CAP_MSIX_AT + 3] &= (uint8_t)~(MSIX_ENABLE | MSIX_MASKALL);
}

static void config_write(void *opaque, uint8_t off, uint32_t val, int size)
{
	struct virtio_pci *t = opaque;
	(void)val;
	/* Message control changed: enabling or unmasking sends what pends. */
	if (t->apic && off <= CAP_MSIX_AT + 3 && off + size > CAP_MSIX_AT + 2)
		msix_unmasked(t);
}

static void msix_save(void *opaque, struct snap *s)
{
	struct virtio_pci *t = opaque;
	snap_put_u16(s, t->config_vec);
	for (int i = 0; i < t->v->info->num_queues; i++)
		snap_put_u16(s, t->queue_vec[i]);
	for (int n = 0; n < t->nvec; n++)
		for (int k = 0; k < 4; k++)
			snap_put_u32(s, t->table[n][k]);
	snap_put_u32(s, t->pending);
}

static int msix_load(void *opaque, struct snap *s)
{
	struct virtio_pci *t = opaque;
	uint16_t cv = snap_get_u16(s), qv[VIRTIO_MAX_QUEUES];
	uint32_t table[MSIX_MAX][4];
	for (int i = 0; i < t->v->info->num_queues; i++)
		qv[i] = snap_get_u16(s);
	for (int n = 0; n < t->nvec; n++)
		for (int k = 0; k < 4; k++)
			table[n][k] = snap_get_u32(s);
	uint32_t pending = snap_get_u32(s);
	if (!snap_ok(s))
		return -EINVAL;
	t->config_vec = vector_or_none(t, cv);
	for (int i = 0; i < t->v->info->num_queues; i++)
		t->queue_vec[i] = vector_or_none(t, qv[i]);
	for (int n = 0; n < t->nvec; n++) {
		for (int k = 0; k < 3; k++)
			t->table[n][k] = table[n][k];
		t->table[n][3] = table[n][3] & 1;
	}
	t->pending = pending & ((1u << t->nvec) - 1);
	return 0;
}

/* The common configuration as the guest sees it now. */
static void common_image(struct virtio_pci *t, uint8_t *c)
{
	struct virtio *v = t->v;
	struct virtq *q = virtio_sel_queue(v);
	put(c + C_DFSELECT, v->dev_feat_sel, 4);
	put(c + C_DF, virtio_device_features32(v, v->dev_feat_sel), 4);
	put(c + C_GFSELECT, v->drv_feat_sel, 4);
	put(c + C_GF, v->drv_feat_sel < 2 ? (uint32_t)(v->driver_features >>
						       (32 * v->drv_feat_sel)) : 0, 4);
	put(c + C_MSIX, t->config_vec, 2);
	put(c + C_NUMQ, v->info->num_queues, 2);
	c[C_STATUS] = v->status;
	c[C_CFGGEN] = v->config_gen;
	put(c + C_Q_SELECT, v->queue_sel, 2);
	put(c + C_Q_SIZE, q ? q->size : 0, 2);
	put(c + C_Q_MSIX, q ? t->queue_vec[v->queue_sel] : NO_VECTOR, 2);
	put(c + C_Q_ENABLE, q ? q->ready : 0, 2);
	put(c + C_Q_NOFF, q ? v->queue_sel : 0, 2);
	for (int w = 0; w < 3; w++) {
		put(c + C_Q_DESC + 8 * w, virtio_queue_addr32(v, w, false), 4);
		put(c + C_Q_DESC + 8 * w + 4, virtio_queue_addr32(v, w, true), 4);
	}
}

/* A write of size bytes at off; narrower writes merge into the field. */
static void common_write(struct virtio_pci *t, uint32_t off, uint32_t val, int size)
{
	struct virtio *v = t->v;
	uint8_t c[COMMON_LEN];
	common_image(t, c);
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
	case C_STATUS:
		/* A device reset forgets the vectors (not the table). */
		if ((uint8_t)f == 0) {
			t->config_vec = NO_VECTOR;
			for (int i = 0; i < VIRTIO_MAX_QUEUES; i++)
				t->queue_vec[i] = NO_VECTOR;
		}
		virtio_set_status(v, (uint8_t)f);
		break;
	case C_Q_SELECT: v->queue_sel = (uint16_t)f; break;
	case C_Q_SIZE: virtio_set_queue_size(v, (uint16_t)f); break;
	case C_Q_ENABLE: if (f == 1) virtio_set_queue_ready(v, true); break;
	case C_MSIX: t->config_vec = vector_or_none(t, f); break;
	case C_Q_MSIX:
		if (virtio_sel_queue(v))
			t->queue_vec[v->queue_sel] = vector_or_none(t, f);
		break;
	default:
		if (start >= C_Q_DESC && start < COMMON_LEN)
			virtio_set_queue_addr32(v, (int)(start - C_Q_DESC) / 8, start & 4, f);
		break;	/* read-only fields */
	}
}

static uint32_t bar_read(void *opaque, uint32_t addr, int size)
{
	struct virtio_pci *t = opaque;
	struct virtio *v = t->v;
	addr &= BAR_SIZE - 1;
	if (addr < BAR_COMMON + COMMON_LEN) {
		uint8_t c[COMMON_LEN];
		common_image(t, c);
		uint32_t val = 0;
		for (int i = 0; i < size && addr + i < COMMON_LEN; i++)
			val |= (uint32_t)c[addr + i] << (8 * i);
		return val;
	}
	if (addr == BAR_ISR)
		return virtio_isr_read_clear(v);
	if (addr >= BAR_DEVICE && addr < BAR_DEVICE + 0x100)
		return virtio_config_read(v, addr - BAR_DEVICE, size);
	if (addr >= BAR_MSIX_TABLE && t->apic) {
		uint32_t val = msix_read(t, addr & ~3u) >> (8 * (addr & 3));
		return size == 4 ? val : val & ((1u << (8 * size)) - 1);
	}
	return 0;
}

static void bar_write(void *opaque, uint32_t addr, uint32_t val, int size)
{
	struct virtio_pci *t = opaque;
	addr &= BAR_SIZE - 1;
	if (addr < BAR_COMMON + COMMON_LEN)
		common_write(t, addr, val, size);
	else if (addr >= BAR_MSIX_TABLE && t->apic && size == 4 && !(addr & 3))
		msix_write(t, addr, val);
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
	msix_reset(t);
}

static const struct pci_func_ops func_ops = { .config_write = config_write,
					      .reset = func_reset };

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
				  uint32_t class_code, struct apic_bus *apic)
{
	struct virtio_pci *t = calloc(1, sizeof(*t));
	if (!t)
		return NULL;
	t->v = v;
	t->mem = v->mem;
	t->apic = apic;
	t->nvec = v->info->num_queues + 1;
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
	add_cap(cfg, 0x70, apic ? CAP_MSIX_AT : 0x00, CFG_NOTIFY, BAR_NOTIFY,
		(uint32_t)NOTIFY_MULT * v->info->num_queues);
	if (apic) {
		/* Table size N-1; table and PBA in BAR0 (BIR 0); enable and
		 * function mask writable. */
		cfg[CAP_MSIX_AT] = CAP_MSIX;
		cfg[CAP_MSIX_AT + 1] = 0;
		put(cfg + CAP_MSIX_AT + 2, (uint32_t)t->nvec - 1, 2);
		put(cfg + CAP_MSIX_AT + 4, BAR_MSIX_TABLE, 4);
		put(cfg + CAP_MSIX_AT + 8, BAR_MSIX_PBA, 4);
		pci_config_wmask(t->pci)[CAP_MSIX_AT + 3] = MSIX_ENABLE | MSIX_MASKALL;
		v->notify = msix_notify;
		v->transport_save = msix_save;
		v->transport_load = msix_load;
	}
	msix_reset(t);
	v->set_irq = set_irq;
	v->transport = t;
	v->transport_free = transport_free;
	return t;
}

void virtio_pci_free(struct virtio_pci *t)
{
	free(t);
}
