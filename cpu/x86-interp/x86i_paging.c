/* Paging and the TLB fill: 4 KiB pages through a page directory and page
 * tables (4 MiB pages with CR4.PSE), accessed and dirty bits, the
 * user/supervisor and read/write checks (CR0.WP on the 80486 and later),
 * #PF with its error code and CR2.  With paging off the fill maps the
 * linear address straight to hw/memory's page. */
#include "cpu/x86-interp/x86i_priv.h"
#include "cpu/x86-interp/x86i_prot.h"

enum {
	PG_P = 1u << 0, PG_RW = 1u << 1, PG_US = 1u << 2, PG_A = 1u << 5,
	PG_D = 1u << 6, PG_PS = 1u << 7,
	PF_P = 1u << 0, PF_W = 1u << 1, PF_U = 1u << 2,
	CR0_WP = 1u << 16, CR0_PG = 1u << 31, CR4_PSE = 1u << 4, CR4_PAE = 1u << 5,
};

static int paging(const struct x86i_cpu *c)
{
	return (c->s->cr0 & CR0_PG) != 0;
}

static _Noreturn void page_fault(struct x86i_cpu *c, uint32_t lin, unsigned err)
{
	c->s->cr2 = lin;
	x86i_raise(c, X86I_PF, (int)err);
}

static uint64_t rd64(struct x86i_cpu *c, uint64_t a)
{
	/* hw/memory has a 32-bit physical space: above it reads as ones. */
	if (a > 0xfffffff8u)
		return ~(uint64_t)0;
	return mem_read32(c->mem, (uint32_t)a) |
	       (uint64_t)mem_read32(c->mem, (uint32_t)a + 4) << 32;
}

/* PAE (Pentium II): PDPT -> page directory -> page table, 8-byte entries,
 * 2 MiB pages with PS.  Physical addresses keep their low 32 bits (the
 * memory behind hw/memory ends at 4 GiB). */
static uint32_t walk_pae(struct x86i_cpu *c, uint32_t lin, int write, int user, int *wr_ok)
{
	struct x86_state *s = c->s;
	unsigned err = (write ? PF_W : 0) | (user ? PF_U : 0);
	int wp = (s->cr0 & CR0_WP) != 0;
	uint64_t pdpte = rd64(c, (s->cr3 & 0xffffffe0u) + ((lin >> 30) << 3));
	uint64_t pde_a, pde, pte_a, pte;
	uint32_t rw, us, phys;

	if (!(pdpte & PG_P))
		page_fault(c, lin, err);
	pde_a = (pdpte & 0xffffff000ull) + (((lin >> 21) & 0x1ff) << 3);
	pde = rd64(c, pde_a);
	if (!(pde & PG_P))
		page_fault(c, lin, err);
	if (pde & PG_PS) {
		pte = pde;
		pte_a = pde_a;
		rw = pde & PG_RW;
		us = pde & PG_US;
		phys = (uint32_t)(pde & 0xfffe00000ull) | (lin & 0x001ff000u);
	} else {
		pte_a = (pde & 0xffffff000ull) + (((lin >> 12) & 0x1ff) << 3);
		pte = rd64(c, pte_a);
		if (!(pte & PG_P))
			page_fault(c, lin, err);
		rw = (uint32_t)(pde & pte) & PG_RW;
		us = (uint32_t)(pde & pte) & PG_US;
		phys = (uint32_t)pte & 0xfffff000u;
		if (!(pde & PG_A) && pde_a <= 0xfffffff8u)
			mem_write32(c->mem, (uint32_t)pde_a, (uint32_t)pde | PG_A);
	}
	if (user && !us)
		page_fault(c, lin, err | PF_P);
	*wr_ok = rw || (!user && !wp);
	if (write && !*wr_ok)
		page_fault(c, lin, err | PF_P);
	if ((!(pte & PG_A) || (write && !(pte & PG_D))) && pte_a <= 0xfffffff8u)
		mem_write32(c->mem, (uint32_t)pte_a, (uint32_t)pte | PG_A | (write ? PG_D : 0));
	if (!write && !(pte & PG_D))
		*wr_ok = 0;
	return phys;
}

/* Walks the tables for lin; returns the physical address and whether a
 * write would be allowed in *wr_ok.  write: set D (and check R/W); user:
 * the access is made at CPL 3. */
static uint32_t walk(struct x86i_cpu *c, uint32_t lin, int write, int user, int *wr_ok)
{
	struct x86_state *s = c->s;
	uint32_t pde_a = ((uint32_t)s->cr3 & 0xfffff000u) + ((lin >> 22) << 2);
	uint32_t pde = mem_read32(c->mem, pde_a), pte, pte_a, phys, rw, us;
	unsigned err = (write ? PF_W : 0) | (user ? PF_U : 0);
	int wp = (s->cr0 & CR0_WP) && c->model->family >= CPU_80486;

	if (s->cr4 & CR4_PAE)
		return walk_pae(c, lin, write, user, wr_ok);
	if (!(pde & PG_P))
		page_fault(c, lin, err);
	if ((pde & PG_PS) && (s->cr4 & CR4_PSE)) {
		rw = pde & PG_RW;
		us = pde & PG_US;
		pte = pde;
		pte_a = pde_a;
		phys = (pde & 0xffc00000u) | (lin & 0x003ff000u);
	} else {
		pte_a = (pde & 0xfffff000u) + (((lin >> 12) & 0x3ff) << 2);
		pte = mem_read32(c->mem, pte_a);
		if (!(pte & PG_P))
			page_fault(c, lin, err);
		/* Both levels must allow it. */
		rw = pde & pte & PG_RW;
		us = pde & pte & PG_US;
		phys = pte & 0xfffff000u;
		if (!(pde & PG_A))
			mem_write32(c->mem, pde_a, pde | PG_A);
	}
	if (user && !us)
		page_fault(c, lin, err | PF_P);
	*wr_ok = rw || (!user && !wp);
	if (write && !*wr_ok)
		page_fault(c, lin, err | PF_P);
	if (!(pte & PG_A) || (write && !(pte & PG_D)))
		mem_write32(c->mem, pte_a, pte | PG_A | (write ? PG_D : 0));
	/* Writes go through the fast path only once the page is dirty. */
	if (!write && !(pte & PG_D))
		*wr_ok = 0;
	return phys;
}

static void fill(struct x86i_cpu *c, struct x86i_pcache *e, uint32_t a, int write)
{
	uint32_t page = a & ~(uint32_t)(MEM_PAGE_SIZE - 1), phys = page;
	int wr_ok = 1;

	if (paging(c))
		phys = walk(c, a, write, c->pc_key != 0, &wr_ok);
	e->tag = ((a >> MEM_PAGE_SHIFT) + 1) | c->pc_key;
	e->phys = phys;
	e->rd = mem_page_rd(c->mem, phys);
	e->wr = wr_ok ? mem_page_wr(c->mem, phys) : NULL;
	e->wr_code = NULL;
	if (e->wr && mem_is_code(c->mem, phys)) {
		e->wr_code = e->wr;
		e->wr = NULL;
	}
}

void x86i_pcache_fill(struct x86i_cpu *c, uint32_t a)
{
	fill(c, &c->pc[(a >> MEM_PAGE_SHIFT) % X86I_PCACHE], a, 0);
}

void x86i_pcache_fill_wr(struct x86i_cpu *c, uint32_t a)
{
	fill(c, &c->pc[(a >> MEM_PAGE_SHIFT) % X86I_PCACHE], a, 1);
}

void x86i_write8_slow(struct x86i_cpu *c, uint32_t a, uint8_t v)
{
	struct x86i_pcache *e = &c->pc[(a >> MEM_PAGE_SHIFT) % X86I_PCACHE];

	/* A page the fast path would write but for code on it: the same
	 * store, through hw/memory's code watch. */
	if (e->wr_code) {
		mem_write8(c->mem, e->phys | (a & (MEM_PAGE_SIZE - 1)), v);
		return;
	}
	/* With paging, redo the walk as a write: permission and D bit. */
	if (paging(c))
		fill(c, e, a, 1);
	if (e->wr) {
		e->wr[a & (MEM_PAGE_SIZE - 1)] = v;
	} else {
		mem_write8(c->mem, e->phys | (a & (MEM_PAGE_SIZE - 1)), v);
		/* An MMIO write may remap memory (e.g. a chipset register). */
		x86i_mem_sync(c);
	}
}

void x86i_write_code(struct x86i_cpu *c, const struct x86i_pcache *e, uint32_t a, uint32_t v,
		     unsigned size)
{
	uint32_t pa = e->phys | (a & (MEM_PAGE_SIZE - 1));

	if (size == 2)
		mem_write16(c->mem, pa, (uint16_t)v);
	else
		mem_write32(c->mem, pa, v);
}

/* Descriptor tables and the TSS: supervisor accesses at any CPL, outside
 * the TLB (they are rare). */
uint32_t x86i_read_wide_slow(struct x86i_cpu *c, uint32_t a, int size)
{
	const struct x86i_pcache *e = pce(c, a);
	uint32_t pa = e->phys | (a & (MEM_PAGE_SIZE - 1));
	return size == 4 ? mem_read32(c->mem, pa) : mem_read16(c->mem, pa);
}

void x86i_write_wide_slow(struct x86i_cpu *c, uint32_t a, uint32_t v, int size)
{
	struct x86i_pcache *e = &c->pc[(a >> MEM_PAGE_SHIFT) % X86I_PCACHE];

	if (paging(c))
		fill(c, e, a, 1);
	if (e->wr) {
		for (int i = 0; i < size; i++)
			e->wr[(a & (MEM_PAGE_SIZE - 1)) + i] = (uint8_t)(v >> (8 * i));
		return;
	}
	if (size == 4)
		mem_write32(c->mem, e->phys | (a & (MEM_PAGE_SIZE - 1)), v);
	else
		mem_write16(c->mem, e->phys | (a & (MEM_PAGE_SIZE - 1)), (uint16_t)v);
	x86i_mem_sync(c);
}

uint8_t x86i_sys_read8(struct x86i_cpu *c, uint32_t a)
{
	int wr_ok;
	uint32_t phys = walk(c, a, 0, 0, &wr_ok);

	return mem_read8(c->mem, phys | (a & (MEM_PAGE_SIZE - 1)));
}

void x86i_sys_write8(struct x86i_cpu *c, uint32_t a, uint8_t v)
{
	int wr_ok;
	uint32_t phys = walk(c, a, 1, 0, &wr_ok);

	mem_write8(c->mem, phys | (a & (MEM_PAGE_SIZE - 1)), v);
}

/* The accessors' out-of-line paths (x86i_priv.h). */
uint8_t x86i_rd8_slow(struct x86i_cpu *c, int seg, uint32_t off)
{
	return rd8_full(c, seg, off);
}

void x86i_wr8_slow(struct x86i_cpu *c, int seg, uint32_t off, uint8_t v)
{
	wr8_full(c, seg, off, v);
}

uint16_t x86i_rd16_slow(struct x86i_cpu *c, int seg, uint32_t off)
{
	return rd16_full(c, seg, off);
}

void x86i_wr16_slow(struct x86i_cpu *c, int seg, uint32_t off, uint16_t v)
{
	wr16_full(c, seg, off, v);
}

uint32_t x86i_rd32_slow(struct x86i_cpu *c, int seg, uint32_t off)
{
	return rd32_full(c, seg, off);
}

void x86i_wr32_slow(struct x86i_cpu *c, int seg, uint32_t off, uint32_t v)
{
	wr32_full(c, seg, off, v);
}
