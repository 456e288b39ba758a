/* Guest physical address space: page tables of host pointers for the fast
 * path, a region list for ROM/host/MMIO ranges, and the A20 gate. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "hw/memory.h"

#define NR_PAGES (1u << (32 - MEM_PAGE_SHIFT))
#define MAX_REGIONS 256
#define MAX_RAM (3ull << 30)

enum region_kind { REGION_ROM, REGION_HOST, REGION_MMIO };

struct region {
	uint32_t base, len;
	enum region_kind kind;
	uint8_t *host;		/* ROM copy or device memory */
	bool writable;
	bool owned;		/* host buffer freed with the region */
	const struct mmio_ops *ops;
	void *opaque;
	/* Pages that still point at this region; at 0 its slot is free, so
	 * a guest moving a PCI BAR again and again never runs out of slots. */
	uint32_t pages;
};

struct mem {
	uint8_t *ram;
	uint64_t ram_size;
	/* Per 4 KiB page: host address of the page start, or NULL. */
	uint8_t **rd;
	uint8_t **wr;
	/* Per page: 1 + index into regions, or 0 for RAM/unmapped. */
	uint16_t *page_region;
	uint8_t *hole;		/* per page below 4 GiB: 1 when not RAM */
	struct region regions[MAX_REGIONS];
	int nregions;
	uint32_t a20_mask;
	uint64_t gen;
	/* Code watch: one bit per page, and who to tell. */
	uint8_t *code;
	void (*code_cb)(void *opaque, uint32_t addr, uint32_t len);
	void *code_opaque;
};

/* Drops page's reference to its region, freeing the region when it was the
 * last page. */
static void page_release(struct mem *m, uint32_t page)
{
	uint16_t ri = m->page_region[page];
	if (!ri)
		return;
	m->page_region[page] = 0;
	struct region *r = &m->regions[ri - 1];
	if (r->pages && --r->pages == 0 && r->owned) {
		free(r->host);
		r->host = NULL;
		r->owned = false;
	}
}

static void page_set_default(struct mem *m, uint32_t page)
{
	uint64_t addr = (uint64_t)page << MEM_PAGE_SHIFT;
	page_release(m, page);
	if (addr < m->ram_size && !m->hole[page]) {
		m->rd[page] = m->ram + addr;
		m->wr[page] = m->ram + addr;
	} else {
		m->rd[page] = NULL;
		m->wr[page] = NULL;
	}
}

struct mem *mem_new(uint64_t ram_bytes)
{
	if (ram_bytes == 0 || ram_bytes > MAX_RAM || ram_bytes % MEM_PAGE_SIZE)
		return NULL;
	struct mem *m = calloc(1, sizeof(*m));
	if (!m)
		return NULL;
	/* Page aligned (and zeroed) so KVM can register it as a memory slot. */
	m->ram = mmap(NULL, ram_bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		      -1, 0);
	if (m->ram == MAP_FAILED)
		m->ram = NULL;
	m->ram_size = ram_bytes;
	m->rd = calloc(NR_PAGES, sizeof(*m->rd));
	m->wr = calloc(NR_PAGES, sizeof(*m->wr));
	m->page_region = calloc(NR_PAGES, sizeof(*m->page_region));
	m->hole = calloc(NR_PAGES, 1);
	m->code = calloc(NR_PAGES / 8, 1);
	if (!m->ram || !m->rd || !m->wr || !m->page_region || !m->hole || !m->code) {
		mem_free(m);
		return NULL;
	}
	m->a20_mask = 0xffffffffu;
	for (uint32_t p = 0; p < ram_bytes >> MEM_PAGE_SHIFT; p++)
		page_set_default(m, p);
	return m;
}

void mem_free(struct mem *m)
{
	if (!m)
		return;
	for (int i = 0; i < m->nregions; i++)
		if (m->regions[i].owned)
			free(m->regions[i].host);
	if (m->ram)
		munmap(m->ram, m->ram_size);
	free(m->rd);
	free(m->wr);
	free(m->page_region);
	free(m->hole);
	free(m->code);
	free(m);
}

uint8_t *mem_ram_ptr(struct mem *m) { return m->ram; }
uint64_t mem_ram_size(const struct mem *m) { return m->ram_size; }
uint64_t mem_generation(const struct mem *m) { return m->gen; }

static int check_range(uint32_t base, uint32_t len)
{
	if (len == 0 || (base | len) & (MEM_PAGE_SIZE - 1))
		return -EINVAL;
	if ((uint64_t)base + len > (1ull << 32))
		return -EINVAL;
	return 0;
}

static int add_region(struct mem *m, const struct region *r)
{
	int err = check_range(r->base, r->len);
	if (err)
		return err;
	int idx = 0;
	while (idx < m->nregions && m->regions[idx].pages)
		idx++;
	if (idx == MAX_REGIONS)
		return -ENOSPC;
	if (idx == m->nregions)
		m->nregions++;
	m->regions[idx] = *r;
	m->regions[idx].pages = 0;
	for (uint32_t off = 0; off < r->len; off += MEM_PAGE_SIZE) {
		uint32_t page = (r->base + off) >> MEM_PAGE_SHIFT;
		page_release(m, page);
		m->page_region[page] = idx + 1;
		m->regions[idx].pages++;
		if (r->kind == REGION_MMIO) {
			m->rd[page] = NULL;
			m->wr[page] = NULL;
		} else {
			m->rd[page] = r->host + off;
			m->wr[page] = r->writable ? r->host + off : NULL;
		}
	}
	m->gen++;
	return 0;
}

int mem_map_rom(struct mem *m, uint32_t base, const void *data, uint32_t len)
{
	uint32_t alloc_len = (len + MEM_PAGE_SIZE - 1) & ~(MEM_PAGE_SIZE - 1);
	if (check_range(base, alloc_len))
		return -EINVAL;
	uint8_t *copy = aligned_alloc(MEM_PAGE_SIZE, alloc_len);	/* KVM slots */
	if (!copy)
		return -ENOMEM;
	memset(copy, 0xff, alloc_len);
	memcpy(copy, data, len);
	struct region r = { .base = base, .len = alloc_len, .kind = REGION_ROM,
			    .host = copy, .owned = true };
	int err = add_region(m, &r);
	if (err)
		free(copy);
	return err;
}

int mem_map_host(struct mem *m, uint32_t base, uint32_t len, uint8_t *host,
		 bool writable)
{
	struct region r = { .base = base, .len = len, .kind = REGION_HOST,
			    .host = host, .writable = writable };
	return add_region(m, &r);
}

int mem_map_mmio(struct mem *m, uint32_t base, uint32_t len,
		 const struct mmio_ops *ops, void *opaque)
{
	struct region r = { .base = base, .len = len, .kind = REGION_MMIO,
			    .ops = ops, .opaque = opaque };
	return add_region(m, &r);
}

void mem_unmap(struct mem *m, uint32_t base, uint32_t len)
{
	if (check_range(base, len))
		return;
	for (uint32_t off = 0; off < len; off += MEM_PAGE_SIZE)
		page_set_default(m, (base + off) >> MEM_PAGE_SHIFT);
	m->gen++;
}

int mem_reserve_hole(struct mem *m, uint32_t base, uint32_t len)
{
	int err = check_range(base, len);
	if (err)
		return err;
	for (uint32_t off = 0; off < len; off += MEM_PAGE_SIZE) {
		uint32_t page = (base + off) >> MEM_PAGE_SHIFT;
		m->hole[page] = 1;
		if (!m->page_region[page])
			page_set_default(m, page);
	}
	m->gen++;
	return 0;
}

void mem_set_a20(struct mem *m, bool enabled)
{
	uint32_t mask = enabled ? 0xffffffffu : ~(1u << 20);
	if (mask != m->a20_mask) {
		m->a20_mask = mask;
		m->gen++;
	}
}

bool mem_a20(const struct mem *m) { return m->a20_mask & (1u << 20); }

uint8_t *mem_page_rd(struct mem *m, uint32_t addr)
{
	addr &= m->a20_mask;
	uint8_t *p = m->rd[addr >> MEM_PAGE_SHIFT];
	return p ? p + (addr & (MEM_PAGE_SIZE - 1)) : NULL;
}

uint8_t *mem_page_wr(struct mem *m, uint32_t addr)
{
	addr &= m->a20_mask;
	uint8_t *p = m->wr[addr >> MEM_PAGE_SHIFT];
	return p ? p + (addr & (MEM_PAGE_SIZE - 1)) : NULL;
}

void mem_set_code_watch(struct mem *m, void (*cb)(void *opaque, uint32_t addr, uint32_t len),
			void *opaque)
{
	m->code_cb = cb;
	m->code_opaque = opaque;
	mem_code_unmark_all(m);
}

bool mem_code_mark(struct mem *m, uint32_t page_addr)
{
	uint32_t page = page_addr >> MEM_PAGE_SHIFT;
	uint16_t ri = m->page_region[page];

	if (!m->rd[page])
		return false;
	/* RAM, or memory nothing can write (ROM); a device's writable host
	 * memory (VGA) changes behind this file's back. */
	if (ri && m->regions[ri - 1].kind == REGION_HOST && m->wr[page])
		return false;
	m->code[page >> 3] |= (uint8_t)(1u << (page & 7));
	return true;
}

void mem_code_unmark(struct mem *m, uint32_t page_addr)
{
	uint32_t page = page_addr >> MEM_PAGE_SHIFT;
	m->code[page >> 3] &= (uint8_t)~(1u << (page & 7));
}

void mem_code_unmark_all(struct mem *m)
{
	memset(m->code, 0, NR_PAGES / 8);
}

static inline bool code_page(const struct mem *m, uint32_t addr)
{
	uint32_t page = addr >> MEM_PAGE_SHIFT;
	return (m->code[page >> 3] >> (page & 7)) & 1;
}

bool mem_is_code(const struct mem *m, uint32_t addr)
{
	return code_page(m, addr & m->a20_mask);
}

/* After a write of [addr, addr+len) inside one page: tell the watcher. */
static inline void code_written(struct mem *m, uint32_t addr, uint32_t len)
{
	if (code_page(m, addr) && m->code_cb)
		m->code_cb(m->code_opaque, addr, len);
}

/* Slow path for one byte: MMIO, ROM writes and unmapped space. */
static uint8_t slow_read8(struct mem *m, uint32_t addr)
{
	uint16_t ri = m->page_region[addr >> MEM_PAGE_SHIFT];
	if (ri) {
		struct region *r = &m->regions[ri - 1];
		if (r->kind == REGION_MMIO)
			return r->ops->read(r->opaque, addr - r->base, 1);
	}
	return 0xff;
}

static void slow_write8(struct mem *m, uint32_t addr, uint8_t val)
{
	uint16_t ri = m->page_region[addr >> MEM_PAGE_SHIFT];
	if (ri) {
		struct region *r = &m->regions[ri - 1];
		if (r->kind == REGION_MMIO)
			r->ops->write(r->opaque, addr - r->base, val, 1);
	}
}

/* An MMIO region that handles this width itself, aligned, inside one page. */
static struct region *mmio_for(struct mem *m, uint32_t addr, int size)
{
	if (addr & (size - 1))
		return NULL;
	uint16_t ri = m->page_region[addr >> MEM_PAGE_SHIFT];
	if (!ri)
		return NULL;
	struct region *r = &m->regions[ri - 1];
	if (r->kind != REGION_MMIO || !(r->ops->widths & size))
		return NULL;
	return r;
}

uint8_t mem_read8(struct mem *m, uint32_t addr)
{
	addr &= m->a20_mask;
	uint8_t *p = m->rd[addr >> MEM_PAGE_SHIFT];
	if (p)
		return p[addr & (MEM_PAGE_SIZE - 1)];
	return slow_read8(m, addr);
}

void mem_write8(struct mem *m, uint32_t addr, uint8_t val)
{
	addr &= m->a20_mask;
	uint8_t *p = m->wr[addr >> MEM_PAGE_SHIFT];
	if (p) {
		p[addr & (MEM_PAGE_SIZE - 1)] = val;
		code_written(m, addr, 1);
	} else {
		slow_write8(m, addr, val);
	}
}

static uint32_t read_n(struct mem *m, uint32_t addr, int size)
{
	uint32_t a = addr & m->a20_mask;
	uint32_t off = a & (MEM_PAGE_SIZE - 1);
	if (off + size <= MEM_PAGE_SIZE) {
		uint8_t *p = m->rd[a >> MEM_PAGE_SHIFT];
		if (p) {
			uint32_t v = 0;
			memcpy(&v, p + off, size);	/* little-endian host */
			return v;
		}
		struct region *r = mmio_for(m, a, size);
		if (r)
			return r->ops->read(r->opaque, a - r->base, size);
	}
	uint32_t v = 0;
	for (int i = 0; i < size; i++)
		v |= (uint32_t)mem_read8(m, addr + i) << (8 * i);
	return v;
}

static void write_n(struct mem *m, uint32_t addr, uint32_t val, int size)
{
	uint32_t a = addr & m->a20_mask;
	uint32_t off = a & (MEM_PAGE_SIZE - 1);
	if (off + size <= MEM_PAGE_SIZE) {
		uint8_t *p = m->wr[a >> MEM_PAGE_SHIFT];
		if (p) {
			memcpy(p + off, &val, size);
			code_written(m, a, (uint32_t)size);
			return;
		}
		struct region *r = mmio_for(m, a, size);
		if (r) {
			r->ops->write(r->opaque, a - r->base, val, size);
			return;
		}
	}
	for (int i = 0; i < size; i++)
		mem_write8(m, addr + i, val >> (8 * i));
}

uint16_t mem_read16(struct mem *m, uint32_t addr) { return read_n(m, addr, 2); }
uint32_t mem_read32(struct mem *m, uint32_t addr) { return read_n(m, addr, 4); }
void mem_write16(struct mem *m, uint32_t addr, uint16_t v) { write_n(m, addr, v, 2); }
void mem_write32(struct mem *m, uint32_t addr, uint32_t v) { write_n(m, addr, v, 4); }

/* Checks every page of [addr, addr+len) has a host mapping in tbl. */
static bool range_mapped(uint8_t **tbl, uint32_t addr, uint32_t len)
{
	if (len == 0)
		return true;
	if ((uint64_t)addr + len > (1ull << 32))
		return false;
	uint32_t first = addr >> MEM_PAGE_SHIFT;
	uint32_t last = (uint32_t)(((uint64_t)addr + len - 1) >> MEM_PAGE_SHIFT);
	for (uint32_t p = first; p <= last; p++)
		if (!tbl[p])
			return false;
	return true;
}

int mem_copy_from_guest(struct mem *m, void *dst, uint32_t addr, uint32_t len)
{
	if (!range_mapped(m->rd, addr, len))
		return -EFAULT;
	uint8_t *d = dst;
	while (len) {
		uint32_t off = addr & (MEM_PAGE_SIZE - 1);
		uint32_t n = MEM_PAGE_SIZE - off;
		if (n > len)
			n = len;
		memcpy(d, m->rd[addr >> MEM_PAGE_SHIFT] + off, n);
		d += n;
		addr += n;
		len -= n;
	}
	return 0;
}

int mem_copy_to_guest(struct mem *m, uint32_t addr, const void *src, uint32_t len)
{
	if (!range_mapped(m->wr, addr, len))
		return -EFAULT;
	const uint8_t *s = src;
	while (len) {
		uint32_t off = addr & (MEM_PAGE_SIZE - 1);
		uint32_t n = MEM_PAGE_SIZE - off;
		if (n > len)
			n = len;
		memcpy(m->wr[addr >> MEM_PAGE_SHIFT] + off, s, n);
		code_written(m, addr, n);
		s += n;
		addr += n;
		len -= n;
	}
	return 0;
}

static enum mem_range_kind page_kind(struct mem *m, uint32_t page, uint8_t **host,
				     bool *writable)
{
	uint16_t ri = m->page_region[page];
	*host = m->rd[page];
	*writable = m->wr[page] != NULL;
	if (!ri)
		return MEM_RANGE_RAM;
	switch (m->regions[ri - 1].kind) {
	case REGION_ROM: return MEM_RANGE_ROM;
	case REGION_HOST: return MEM_RANGE_HOST;
	default: return MEM_RANGE_MMIO;
	}
}

void mem_for_each_range(struct mem *m, void (*cb)(void *opaque, const struct mem_range *r),
			void *opaque)
{
	struct mem_range cur = { 0 };
	bool open = false;

	for (uint64_t page = 0; page < NR_PAGES; page++) {
		uint8_t *host;
		bool wr;
		enum mem_range_kind k = page_kind(m, (uint32_t)page, &host, &wr);
		bool mapped = host || m->page_region[page];
		uint64_t addr = page << MEM_PAGE_SHIFT;
		if (open && mapped && k == cur.kind && wr == cur.writable &&
		    cur.base + cur.len == addr &&
		    (k == MEM_RANGE_MMIO || host == cur.host + cur.len)) {
			cur.len += MEM_PAGE_SIZE;
			continue;
		}
		if (open)
			cb(opaque, &cur);
		open = mapped;
		if (mapped)
			cur = (struct mem_range){ .base = addr, .len = MEM_PAGE_SIZE, .kind = k,
						  .host = k == MEM_RANGE_MMIO ? NULL : host,
						  .writable = wr };
	}
	if (open)
		cb(opaque, &cur);
}
