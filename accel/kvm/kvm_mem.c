/* KVM memory slots from the machine's address space.
 *
 * RAM, ROM (read-only slots) and page-aligned host-mapped device memory
 * (VGA text buffer) become slots; MMIO is left out so accesses exit to the
 * hw/ callbacks.  On any layout change (mem_generation) every slot is
 * dropped and registered again: layouts change a handful of times per boot.
 *
 * A20: KVM cannot mask address bit 20.  While the gate is closed we alias
 * the 64 KiB above 1 MiB (the HMA, all a real-mode program can reach with
 * FFFF:xxxx) to the first 64 KiB of RAM, which is what DOS-era wrap-around
 * tests look at; other odd megabytes are not aliased (README.md).
 */
#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>

#include "accel/kvm/kvm_priv.h"
#include "hw/machine.h"
#include "util/log.h"

#define HMA_BASE 0x100000ull
#define HMA_LEN 0x10000ull

struct build {
	struct vcpu *v;
	struct kvm_slot slots[KVM_SLOTS_MAX];
	int n;
	bool overflow;
};

static void add_slot(struct build *b, uint64_t base, uint64_t len, uint8_t *host, bool ro)
{
	if (len == 0)
		return;
	if (b->n == KVM_SLOTS_MAX) {
		b->overflow = true;
		return;
	}
	b->slots[b->n++] = (struct kvm_slot){ .base = base, .len = len, .host = host,
					      .readonly = ro };
}

/* Adds [base, base+len) of a range, leaving out the HMA when it is aliased. */
static void add_clipped(struct build *b, uint64_t base, uint64_t len, uint8_t *host, bool ro,
			bool a20_closed)
{
	uint64_t end = base + len;
	if (!a20_closed || end <= HMA_BASE || base >= HMA_BASE + HMA_LEN) {
		add_slot(b, base, len, host, ro);
		return;
	}
	if (base < HMA_BASE)
		add_slot(b, base, HMA_BASE - base, host, ro);
	if (end > HMA_BASE + HMA_LEN)
		add_slot(b, HMA_BASE + HMA_LEN, end - (HMA_BASE + HMA_LEN),
			 host + (HMA_BASE + HMA_LEN - base), ro);
}

static void on_range(void *opaque, const struct mem_range *r)
{
	struct build *b = opaque;
	struct vcpu *v = b->v;
	bool a20_closed = !mem_a20(v->m->mem);
	bool ro = false;

	switch (r->kind) {
	case MEM_RANGE_MMIO:
		return;
	case MEM_RANGE_ROM:
		ro = v->readonly_mem;
		break;
	case MEM_RANGE_HOST:
		/* KVM maps whole host pages; a device buffer that is not page
		 * aligned stays out and is reached through MMIO exits. */
		if ((uintptr_t)r->host & (MEM_PAGE_SIZE - 1)) {
			if (!v->warned_unaligned)
				log_debug("kvm: device memory at %#llx is not page aligned "
					  "on the host; accesses will exit",
					  (unsigned long long)r->base);
			v->warned_unaligned = true;
			return;
		}
		ro = !r->writable && v->readonly_mem;
		break;
	case MEM_RANGE_RAM:
		break;
	}
	add_clipped(b, r->base, r->len, r->host, ro, a20_closed);
}

static int set_slot(struct vcpu *v, int id, const struct kvm_slot *s)
{
	struct kvm_userspace_memory_region reg = {
		.slot = (uint32_t)id,
		.flags = s && s->readonly ? KVM_MEM_READONLY : 0,
		.guest_phys_addr = s ? s->base : 0,
		.memory_size = s ? s->len : 0,
		.userspace_addr = s ? (uintptr_t)s->host : 0,
	};
	if (ioctl(v->vm_fd, KVM_SET_USER_MEMORY_REGION, &reg) < 0)
		return -errno;
	return 0;
}

int kvm_mem_sync(struct vcpu *v)
{
	struct mem *mem = v->m->mem;
	struct build b = { .v = v };

	mem_for_each_range(mem, on_range, &b);
	if (!mem_a20(mem)) {
		/* The first 64 KiB are always RAM on our boards. */
		uint8_t *low = mem_page_rd(mem, 0);
		if (low && mem_ram_size(mem) >= HMA_LEN)
			add_slot(&b, HMA_BASE, HMA_LEN, low, false);
	}
	if (b.overflow) {
		log_error("kvm: the memory layout needs more than %d slots", KVM_SLOTS_MAX);
		return -ENOSPC;
	}
	for (int i = 0; i < v->nslots; i++) {
		int err = set_slot(v, i, NULL);
		if (err) {
			log_error("kvm: cannot remove memory slot %d: %s", i, strerror(-err));
			return err;
		}
	}
	v->nslots = 0;
	for (int i = 0; i < b.n; i++) {
		int err = set_slot(v, i, &b.slots[i]);
		if (err) {
			log_error("kvm: cannot map %#llx-%#llx: %s",
				  (unsigned long long)b.slots[i].base,
				  (unsigned long long)(b.slots[i].base + b.slots[i].len - 1),
				  strerror(-err));
			return err;
		}
		v->slots[i] = b.slots[i];
		v->nslots = i + 1;
	}
	v->mem_gen = mem_generation(mem);
	return 0;
}
