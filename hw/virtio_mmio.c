/* The virtio-mmio transport, version 2 (virtio v1.1 section 4.2.2): one
 * page of 32-bit registers, the device config from 100h, and a dedicated
 * interrupt line that stays high while InterruptStatus is nonzero. */
#include <stdlib.h>

#include "hw/irq.h"
#include "hw/memory.h"
#include "hw/virtio.h"

enum {
	R_MAGIC = 0x000, R_VERSION = 0x004, R_DEVICE_ID = 0x008, R_VENDOR_ID = 0x00c,
	R_DEV_FEATURES = 0x010, R_DEV_FEATURES_SEL = 0x014, R_DRV_FEATURES = 0x020,
	R_DRV_FEATURES_SEL = 0x024, R_QUEUE_SEL = 0x030, R_QUEUE_NUM_MAX = 0x034,
	R_QUEUE_NUM = 0x038, R_QUEUE_READY = 0x044, R_QUEUE_NOTIFY = 0x050,
	R_INT_STATUS = 0x060, R_INT_ACK = 0x064, R_STATUS = 0x070,
	R_QUEUE_DESC_LOW = 0x080, R_QUEUE_DESC_HIGH = 0x084, R_QUEUE_DRIVER_LOW = 0x090,
	R_QUEUE_DRIVER_HIGH = 0x094, R_QUEUE_DEVICE_LOW = 0x0a0, R_QUEUE_DEVICE_HIGH = 0x0a4,
	R_CONFIG_GEN = 0x0fc, R_CONFIG = 0x100,
	MAGIC = 0x74726976,	/* "virt" */
	VENDOR = 0x4d444e54,	/* "TNDM" */
};

struct virtio_mmio {
	struct virtio *v;
	struct mem *mem;
	uint32_t base;
	struct irq_line *irq;
};

/* The value of the 32-bit register at addr (reads have no side effects). */
static uint32_t reg_value(struct virtio *v, uint32_t addr)
{
	struct virtq *q = virtio_sel_queue(v);
	switch (addr) {
	case R_MAGIC: return MAGIC;
	case R_VERSION: return 2;
	case R_DEVICE_ID: return v->info->device_id;
	case R_VENDOR_ID: return VENDOR;
	case R_DEV_FEATURES: return virtio_device_features32(v, v->dev_feat_sel);
	case R_QUEUE_NUM_MAX: return q ? q->max : 0;
	case R_QUEUE_READY: return q ? q->ready : 0;
	case R_INT_STATUS: return v->isr;
	case R_STATUS: return v->status;
	case R_CONFIG_GEN: return v->config_gen;
	default: return 0;
	}
}

/* Registers are 32 bits wide (spec 4.2.2.2); a narrower read takes its
 * part of the register. */
static uint32_t reg_read(void *opaque, uint32_t addr, int size)
{
	struct virtio_mmio *t = opaque;
	addr &= VIRTIO_MMIO_SIZE - 1;
	if (addr >= R_CONFIG)
		return virtio_config_read(t->v, addr - R_CONFIG, size);
	uint32_t val = reg_value(t->v, addr & ~3u) >> (8 * (addr & 3));
	return size == 4 ? val : val & ((1u << (8 * size)) - 1);
}

static void reg_apply(struct virtio *v, uint32_t addr, uint32_t val)
{
	switch (addr) {
	case R_DEV_FEATURES_SEL: v->dev_feat_sel = val; break;
	case R_DRV_FEATURES: virtio_set_driver_features32(v, v->drv_feat_sel, val); break;
	case R_DRV_FEATURES_SEL: v->drv_feat_sel = val; break;
	case R_QUEUE_SEL: v->queue_sel = (uint16_t)(val > 0xffff ? 0xffff : val); break;
	case R_QUEUE_NUM: virtio_set_queue_size(v, (uint16_t)(val > 0xffff ? 0 : val)); break;
	case R_QUEUE_READY: virtio_set_queue_ready(v, val & 1); break;
	case R_QUEUE_NOTIFY: virtio_queue_notify(v, val); break;
	case R_INT_ACK: virtio_isr_ack(v, (uint8_t)val); break;
	case R_STATUS: virtio_set_status(v, (uint8_t)val); break;
	case R_QUEUE_DESC_LOW: virtio_set_queue_addr32(v, 0, false, val); break;
	case R_QUEUE_DESC_HIGH: virtio_set_queue_addr32(v, 0, true, val); break;
	case R_QUEUE_DRIVER_LOW: virtio_set_queue_addr32(v, 1, false, val); break;
	case R_QUEUE_DRIVER_HIGH: virtio_set_queue_addr32(v, 1, true, val); break;
	case R_QUEUE_DEVICE_LOW: virtio_set_queue_addr32(v, 2, false, val); break;
	case R_QUEUE_DEVICE_HIGH: virtio_set_queue_addr32(v, 2, true, val); break;
	default: break;
	}
}

/* The driver must write registers as aligned dwords (spec 4.2.2.2); other
 * writes are ignored. */
static void reg_write(void *opaque, uint32_t addr, uint32_t val, int size)
{
	struct virtio_mmio *t = opaque;
	addr &= VIRTIO_MMIO_SIZE - 1;
	if (addr >= R_CONFIG || size != 4 || (addr & 3))
		return;	/* config space: no writable fields in our devices */
	reg_apply(t->v, addr, val);
}

static const struct mmio_ops reg_ops = { reg_read, reg_write, 1 | 2 | 4 };

static void set_irq(void *opaque, int level)
{
	struct virtio_mmio *t = opaque;
	irq_set(t->irq, level);
}

static void transport_free(void *opaque)
{
	free(opaque);
}

struct virtio_mmio *virtio_mmio_new(struct mem *mem, uint32_t base, struct irq_line *irq,
				    struct virtio *v)
{
	struct virtio_mmio *t = calloc(1, sizeof(*t));
	if (!t)
		return NULL;
	t->v = v;
	t->mem = mem;
	t->base = base;
	t->irq = irq;
	if (mem_map_mmio(mem, base, VIRTIO_MMIO_SIZE, &reg_ops, t) < 0) {
		free(t);
		return NULL;
	}
	v->set_irq = set_irq;
	v->transport = t;
	v->transport_free = transport_free;
	return t;
}

void virtio_mmio_free(struct virtio_mmio *t)
{
	free(t);
}
