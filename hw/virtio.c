/* Virtio core: device status and feature negotiation, queue registers,
 * split virtqueue walking with bounds checks, interrupts, snapshots.
 * Layouts from the virtio v1.1 specification, sections 2 (basic
 * facilities) and 2.6 (split virtqueues). */
#include <errno.h>
#include <string.h>

#include "hw/memory.h"
#include "hw/virtio.h"
#include "util/log.h"
#include "util/snapshot.h"

/* ---- guest memory helpers ------------------------------------------------- */

static int rd16(struct mem *m, uint64_t addr, uint16_t *v)
{
	uint8_t b[2];
	if (addr > 0xfffffffeull || mem_copy_from_guest(m, b, (uint32_t)addr, 2) < 0)
		return -1;
	*v = (uint16_t)(b[0] | b[1] << 8);
	return 0;
}

static int wr16(struct mem *m, uint64_t addr, uint16_t v)
{
	uint8_t b[2] = { (uint8_t)v, (uint8_t)(v >> 8) };
	if (addr > 0xfffffffeull)
		return -1;
	return mem_copy_to_guest(m, (uint32_t)addr, b, 2) < 0 ? -1 : 0;
}

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

/* True when [addr, addr+len) lies inside guest RAM. */
static bool in_ram(struct mem *m, uint64_t addr, uint64_t len)
{
	uint64_t ram = mem_ram_size(m);
	return addr <= ram && len <= ram - addr;
}

/* ---- split virtqueues ----------------------------------------------------- */

static int bad(const char **why, const char *text)
{
	if (why)
		*why = text;
	return -1;
}

int virtq_check_rings(struct mem *m, const struct virtq *q, const char **why)
{
	uint32_t n = q->size;
	if (n == 0 || n > q->max || (n & (n - 1)))
		return bad(why, "queue size is not a power of two up to the maximum");
	/* Alignment from spec 2.6: descriptors 16, avail 2, used 4. */
	if ((q->desc & 15) || (q->avail & 1) || (q->used & 3))
		return bad(why, "misaligned ring");
	if (!in_ram(m, q->desc, 16ull * n) || !in_ram(m, q->avail, 6 + 2ull * n) ||
	    !in_ram(m, q->used, 6 + 8ull * n))
		return bad(why, "ring outside guest RAM");
	return 0;
}

int virtq_pop(struct mem *m, struct virtq *q, bool indirect, struct virtq_elem *e,
	      const char **why)
{
	uint16_t avail_idx, head;
	if (!q->ready || q->size == 0)
		return 0;
	if (rd16(m, q->avail + 2, &avail_idx) < 0)
		return bad(why, "avail ring outside guest RAM");
	uint16_t pending = (uint16_t)(avail_idx - q->last_avail);
	if (pending == 0)
		return 0;
	if (pending > q->size)
		return bad(why, "avail index more than the queue size ahead");
	if (rd16(m, q->avail + 4 + 2ull * (q->last_avail & (q->size - 1)), &head) < 0)
		return bad(why, "avail ring outside guest RAM");
	if (head >= q->size)
		return bad(why, "avail ring names a descriptor beyond the queue");

	e->head = head;
	e->nout = e->nin = 0;
	e->out_len = e->in_len = 0;
	uint64_t table = q->desc;
	uint32_t tsize = q->size, limit = q->size, steps = 0;
	bool in_indirect = false;
	uint16_t i = head;
	for (;;) {
		uint8_t d[16];
		if (++steps > limit)
			return bad(why, "descriptor chain loops or is longer than its table");
		if (!in_ram(m, table + 16ull * i, 16) ||
		    mem_copy_from_guest(m, d, (uint32_t)(table + 16ull * i), 16) < 0)
			return bad(why, "descriptor table outside guest RAM");
		uint64_t addr = le32(d) | (uint64_t)le32(d + 4) << 32;
		uint32_t len = le32(d + 8);
		uint16_t flags = (uint16_t)(d[12] | d[13] << 8);
		uint16_t next = (uint16_t)(d[14] | d[15] << 8);
		if (flags & VIRTQ_DESC_F_INDIRECT) {
			if (!indirect)
				return bad(why, "indirect descriptor not negotiated");
			if (in_indirect)
				return bad(why, "indirect descriptor inside an indirect table");
			if (flags & VIRTQ_DESC_F_NEXT)
				return bad(why, "indirect descriptor with NEXT set");
			if (len == 0 || len % 16 || len / 16 > VIRTQ_MAX_SIZE ||
			    (addr & 15) || !in_ram(m, addr, len))
				return bad(why, "malformed indirect table");
			table = addr;
			tsize = limit = len / 16;
			steps = 0;
			i = 0;
			in_indirect = true;
			continue;
		}
		if (!in_ram(m, addr, len))
			return bad(why, "buffer outside guest RAM");
		if (e->nout + e->nin >= VIRTQ_MAX_SIZE)
			return bad(why, "chain of more than 256 buffers");
		if (flags & VIRTQ_DESC_F_WRITE) {
			e->in_len += len;
			e->nin++;
		} else {
			if (e->nin)
				return bad(why, "device-readable buffer after a writable one");
			e->out_len += len;
			e->nout++;
		}
		e->seg[e->nout + e->nin - 1] = (struct virtq_seg){ (uint32_t)addr, len };
		if (!(flags & VIRTQ_DESC_F_NEXT))
			break;
		if (next >= tsize)
			return bad(why, "next index beyond the descriptor table");
		i = next;
	}
	q->last_avail++;
	return 1;
}

void virtq_unpop(struct virtq *q)
{
	q->last_avail--;
}

int virtq_push(struct mem *m, struct virtq *q, const struct virtq_elem *e, uint32_t len)
{
	uint8_t b[8];
	uint32_t id = e->head;
	for (int i = 0; i < 4; i++) {
		b[i] = (uint8_t)(id >> (8 * i));
		b[4 + i] = (uint8_t)(len >> (8 * i));
	}
	uint64_t at = q->used + 4 + 8ull * (q->used_idx & (q->size - 1));
	if (!in_ram(m, at, 8) || mem_copy_to_guest(m, (uint32_t)at, b, 8) < 0)
		return -1;
	/* The element before the index (spec 2.6.8.2): under KVM the guest
	 * may read the ring while we write it. */
	__atomic_thread_fence(__ATOMIC_RELEASE);
	q->used_idx++;
	return wr16(m, q->used + 2, q->used_idx);
}

bool virtq_wants_interrupt(struct mem *m, const struct virtq *q)
{
	uint16_t flags;
	if (rd16(m, q->avail, &flags) < 0)
		return true;
	return !(flags & 1);	/* VRING_AVAIL_F_NO_INTERRUPT */
}

/* Walks the readable (in = false) or writable segments from byte off. */
static long copy_segs(struct mem *m, const struct virtq_elem *e, bool in, uint32_t off,
		      uint8_t *buf, uint32_t len)
{
	int first = in ? e->nout : 0, n = in ? e->nin : e->nout;
	uint32_t done = 0;
	for (int k = first; k < first + n && done < len; k++) {
		const struct virtq_seg *s = &e->seg[k];
		if (off >= s->len) {
			off -= s->len;
			continue;
		}
		uint32_t chunk = s->len - off;
		if (chunk > len - done)
			chunk = len - done;
		int err = in ? mem_copy_to_guest(m, s->addr + off, buf + done, chunk) :
			       mem_copy_from_guest(m, buf + done, s->addr + off, chunk);
		if (err < 0)
			return -1;
		done += chunk;
		off = 0;
	}
	return done;
}

long virtq_read(struct mem *m, const struct virtq_elem *e, uint32_t off, void *buf,
		uint32_t len)
{
	return copy_segs(m, e, false, off, buf, len);
}

long virtq_write(struct mem *m, const struct virtq_elem *e, uint32_t off, const void *buf,
		 uint32_t len)
{
	return copy_segs(m, e, true, off, (uint8_t *)buf, len);
}

/* ---- device state --------------------------------------------------------- */

static void set_isr(struct virtio *v, uint8_t isr)
{
	int old = virtio_irq_level(v);
	v->isr = isr;
	if (virtio_irq_level(v) != old && v->set_irq)
		v->set_irq(v->transport, virtio_irq_level(v));
}

int virtio_irq_level(const struct virtio *v)
{
	return v->isr != 0;
}

uint64_t virtio_device_features(const struct virtio *v)
{
	return v->info->features | VIRTIO_F_VERSION_1 | VIRTIO_F_INDIRECT_DESC;
}

bool virtio_running(const struct virtio *v)
{
	return (v->status & (VIRTIO_STATUS_DRIVER_OK | VIRTIO_STATUS_NEEDS_RESET)) ==
	       VIRTIO_STATUS_DRIVER_OK;
}

static void reset_state(struct virtio *v)
{
	v->driver_features = 0;
	v->dev_feat_sel = v->drv_feat_sel = 0;
	v->queue_sel = 0;
	v->status = 0;
	for (int i = 0; i < VIRTIO_MAX_QUEUES; i++) {
		struct virtq *q = &v->q[i];
		uint16_t max = i < v->info->num_queues ? v->info->queue_max : 0;
		*q = (struct virtq){ .size = max, .max = max };
	}
	set_isr(v, 0);
}

void virtio_init(struct virtio *v, const struct virtio_device_info *info, void *opaque,
		 struct mem *mem)
{
	memset(v, 0, sizeof(*v));
	v->info = info;
	v->opaque = opaque;
	v->mem = mem;
	reset_state(v);
}

void virtio_reset(struct virtio *v)
{
	reset_state(v);
	if (v->info->reset)
		v->info->reset(v->opaque);
}

void virtio_error(struct virtio *v, const char *why)
{
	if (v->status & VIRTIO_STATUS_NEEDS_RESET)
		return;
	log_warn("%s: %s; the device needs a reset", v->info->name, why);
	v->status |= VIRTIO_STATUS_NEEDS_RESET;
	/* Spec 2.1.2: with DRIVER_OK set, a configuration change notification. */
	if (v->status & VIRTIO_STATUS_DRIVER_OK && !(v->notify && v->notify(v->transport, -1)))
		set_isr(v, v->isr | VIRTIO_ISR_CONFIG);
}

void virtio_set_status(struct virtio *v, uint8_t val)
{
	if (val == 0) {
		virtio_reset(v);
		return;
	}
	uint8_t old = v->status;
	if ((val & VIRTIO_STATUS_FEATURES_OK) && !(old & VIRTIO_STATUS_FEATURES_OK)) {
		/* Only what we offered, and a modern driver (spec 6.1). */
		uint64_t f = v->driver_features;
		if ((f & ~virtio_device_features(v)) || !(f & VIRTIO_F_VERSION_1))
			val &= (uint8_t)~VIRTIO_STATUS_FEATURES_OK;
	}
	/* NEEDS_RESET is the device's bit; the others only go away by reset. */
	v->status = (uint8_t)((val & ~VIRTIO_STATUS_NEEDS_RESET) |
			      (old & VIRTIO_STATUS_NEEDS_RESET));
	if (!(old & VIRTIO_STATUS_DRIVER_OK) && virtio_running(v) && v->info->notify) {
		for (int i = 0; i < v->info->num_queues; i++)
			if (v->q[i].ready)
				v->info->notify(v->opaque, i);
	}
}

uint32_t virtio_device_features32(const struct virtio *v, uint32_t sel)
{
	return sel < 2 ? (uint32_t)(virtio_device_features(v) >> (32 * sel)) : 0;
}

void virtio_set_driver_features32(struct virtio *v, uint32_t sel, uint32_t val)
{
	if (sel >= 2 || (v->status & VIRTIO_STATUS_FEATURES_OK))
		return;
	uint64_t mask = 0xffffffffull << (32 * sel);
	v->driver_features = (v->driver_features & ~mask) | ((uint64_t)val << (32 * sel));
}

struct virtq *virtio_sel_queue(struct virtio *v)
{
	return v->queue_sel < v->info->num_queues ? &v->q[v->queue_sel] : NULL;
}

void virtio_set_queue_size(struct virtio *v, uint16_t size)
{
	struct virtq *q = virtio_sel_queue(v);
	if (q && !q->ready)
		q->size = size;	/* checked when the queue is enabled */
}

void virtio_set_queue_ready(struct virtio *v, bool ready)
{
	struct virtq *q = virtio_sel_queue(v);
	const char *why;
	if (!q || ready == q->ready)
		return;
	if (!ready) {
		q->ready = false;
		return;
	}
	if (virtq_check_rings(v->mem, q, &why) < 0) {
		virtio_error(v, why);
		return;
	}
	q->ready = true;
	q->last_avail = q->used_idx = 0;
}

void virtio_set_queue_addr32(struct virtio *v, int which, bool high, uint32_t val)
{
	struct virtq *q = virtio_sel_queue(v);
	if (!q || q->ready || which < 0 || which > 2)
		return;
	uint64_t *a = which == 0 ? &q->desc : which == 1 ? &q->avail : &q->used;
	uint64_t mask = high ? 0xffffffff00000000ull : 0xffffffffull;
	*a = (*a & ~mask) | ((uint64_t)val << (high ? 32 : 0));
}

uint32_t virtio_queue_addr32(struct virtio *v, int which, bool high)
{
	struct virtq *q = virtio_sel_queue(v);
	if (!q || which < 0 || which > 2)
		return 0;
	uint64_t a = which == 0 ? q->desc : which == 1 ? q->avail : q->used;
	return (uint32_t)(high ? a >> 32 : a);
}

void virtio_queue_notify(struct virtio *v, uint32_t n)
{
	if (n < v->info->num_queues && v->q[n].ready && virtio_running(v) && v->info->notify)
		v->info->notify(v->opaque, (int)n);
}

uint8_t virtio_isr_read_clear(struct virtio *v)
{
	uint8_t isr = v->isr;
	set_isr(v, 0);
	return isr;
}

void virtio_isr_ack(struct virtio *v, uint8_t bits)
{
	set_isr(v, v->isr & (uint8_t)~bits);
}

void virtio_notify_queue(struct virtio *v, int n)
{
	if (n >= 0 && n < v->info->num_queues && virtq_wants_interrupt(v->mem, &v->q[n]) &&
	    !(v->notify && v->notify(v->transport, n)))
		set_isr(v, v->isr | VIRTIO_ISR_QUEUE);
}

uint32_t virtio_config_read(const struct virtio *v, uint32_t off, int size)
{
	uint32_t val = 0;
	for (int i = 0; i < size; i++)
		if (off + i < v->info->config_len)
			val |= (uint32_t)v->config[off + i] << (8 * i);
	return val;
}

/* ---- snapshots ------------------------------------------------------------ */

void virtio_save(const struct virtio *v, struct snap *s)
{
	snap_put_u64(s, v->driver_features);
	snap_put_u32(s, v->dev_feat_sel);
	snap_put_u32(s, v->drv_feat_sel);
	snap_put_u16(s, v->queue_sel);
	snap_put_u8(s, v->status);
	snap_put_u8(s, v->isr);
	snap_put_u8(s, v->config_gen);
	snap_put_u8(s, (uint8_t)v->info->num_queues);
	for (int i = 0; i < v->info->num_queues; i++) {
		const struct virtq *q = &v->q[i];
		snap_put_u16(s, q->size);
		snap_put_u8(s, q->ready);
		snap_put_u64(s, q->desc);
		snap_put_u64(s, q->avail);
		snap_put_u64(s, q->used);
		snap_put_u16(s, q->last_avail);
		snap_put_u16(s, q->used_idx);
	}
	if (v->transport_save)
		v->transport_save(v->transport, s);
}

int virtio_load(struct virtio *v, struct snap *s)
{
	struct virtio t = *v;
	t.driver_features = snap_get_u64(s);
	t.dev_feat_sel = snap_get_u32(s);
	t.drv_feat_sel = snap_get_u32(s);
	t.queue_sel = snap_get_u16(s);
	t.status = snap_get_u8(s);
	uint8_t isr = snap_get_u8(s);
	t.config_gen = snap_get_u8(s);
	if (snap_get_u8(s) != v->info->num_queues || isr > 3)
		return -EINVAL;
	for (int i = 0; i < v->info->num_queues; i++) {
		struct virtq *q = &t.q[i];
		q->size = snap_get_u16(s);
		q->ready = snap_get_u8(s) != 0;
		q->desc = snap_get_u64(s);
		q->avail = snap_get_u64(s);
		q->used = snap_get_u64(s);
		q->last_avail = snap_get_u16(s);
		q->used_idx = snap_get_u16(s);
		if (q->ready && virtq_check_rings(v->mem, q, NULL) < 0)
			return -EINVAL;
	}
	if (!snap_ok(s) || (t.driver_features & ~virtio_device_features(v)))
		return -EINVAL;
	if (v->transport_load && v->transport_load(v->transport, s) < 0)
		return -EINVAL;
	t.isr = v->isr;
	*v = t;
	set_isr(v, isr);
	return 0;
}

/* ---- transport choice ----------------------------------------------------- */

int virtio_attach(struct virtio *v, const struct virtio_attach *a)
{
	if (a->kind == VIRTIO_MMIO)
		return virtio_mmio_new(a->mem, a->mmio_base, a->irq, v) ? 0 : -1;
	return virtio_pci_new(a->pci, a->devfn, v, a->class_code, a->apic) ? 0 : -1;
}

void virtio_detach(struct virtio *v)
{
	if (v->transport_free)
		v->transport_free(v->transport);
	v->transport = NULL;
	v->transport_free = NULL;
	v->set_irq = NULL;
	v->notify = NULL;
	v->transport_save = NULL;
	v->transport_load = NULL;
}
