/* The guest physical address space.
 *
 * Guest RAM is one host mapping (mem_ram_ptr) so that an engine can index it
 * directly and KVM can register it as a memory slot.  ROM, device-backed RAM
 * (VGA text memory) and MMIO are ranges layered on top at page (4 KiB)
 * granularity.  Every guest-supplied address is checked here: accesses
 * outside anything mapped read as all ones and writes are dropped.
 *
 * The A20 gate is applied in every accessor (address bit 20 forced to 0 while
 * the gate is closed).  CPUs with a 20-bit bus mask the address themselves.
 */
#ifndef TANDEM_HW_MEMORY_H
#define TANDEM_HW_MEMORY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MEM_PAGE_SHIFT 12
#define MEM_PAGE_SIZE (1u << MEM_PAGE_SHIFT)

struct mem;

/* MMIO callbacks.  addr is the offset from the region's base; size is 1, 2
 * or 4.  Wider or unaligned CPU accesses are split into bytes by the caller
 * unless the region sets the matching bit in .widths. */
struct mmio_ops {
	uint32_t (*read)(void *opaque, uint32_t addr, int size);
	void (*write)(void *opaque, uint32_t addr, uint32_t val, int size);
	unsigned widths;	/* bitmask of 1|2|4 the device handles itself */
};

/* Creates an address space with ram_bytes of zeroed RAM at address 0 (a
 * multiple of 4 KiB, at most 3 GiB).  NULL on allocation failure. */
struct mem *mem_new(uint64_t ram_bytes);
void mem_free(struct mem *m);

uint8_t *mem_ram_ptr(struct mem *m);
uint64_t mem_ram_size(const struct mem *m);

/* Maps len bytes of a read-only copy of data at base (page aligned).
 * Returns 0 or -errno. */
int mem_map_rom(struct mem *m, uint32_t base, const void *data, uint32_t len);
/* Maps host memory owned by a device (e.g. VGA text buffer) at base; both
 * base and len page aligned.  Reads and (if writable) writes go straight to
 * host; the device may set *dirty to learn about writes. */
int mem_map_host(struct mem *m, uint32_t base, uint32_t len, uint8_t *host,
		 bool writable);
int mem_map_mmio(struct mem *m, uint32_t base, uint32_t len,
		 const struct mmio_ops *ops, void *opaque);
/* Removes whatever is mapped at [base, base+len) and puts RAM back where RAM
 * exists outside holes. */
void mem_unmap(struct mem *m, uint32_t base, uint32_t len);
/* Declares [base, base+len) a hole in RAM (the PC's A0000h-FFFFFh): those
 * pages read as all ones until a device maps something there. */
int mem_reserve_hole(struct mem *m, uint32_t base, uint32_t len);

void mem_set_a20(struct mem *m, bool enabled);
bool mem_a20(const struct mem *m);

/* Bumped whenever the layout changes (map, unmap, A20), so engines that
 * cache host pointers know to drop them. */
uint64_t mem_generation(const struct mem *m);

/* CPU-side accessors: little endian, any alignment, A20 applied. */
uint8_t mem_read8(struct mem *m, uint32_t addr);
uint16_t mem_read16(struct mem *m, uint32_t addr);
uint32_t mem_read32(struct mem *m, uint32_t addr);
void mem_write8(struct mem *m, uint32_t addr, uint8_t val);
void mem_write16(struct mem *m, uint32_t addr, uint16_t val);
void mem_write32(struct mem *m, uint32_t addr, uint32_t val);

/* Host pointer to the page holding addr for reading/writing, or NULL when
 * that page is MMIO/unmapped (read) or ROM/MMIO/unmapped (write).  The
 * pointer addresses the byte at addr; it stays valid until the generation
 * changes.  A20 applied. */
uint8_t *mem_page_rd(struct mem *m, uint32_t addr);
uint8_t *mem_page_wr(struct mem *m, uint32_t addr);

/* Code watch, for an engine that caches decoded guest code (tcg-lite).
 * It marks the physical pages it has decoded code from; every write that
 * goes through this file (mem_write*, mem_copy_to_guest: device DMA, page
 * walks, the CPU's slow store path) and reaches a marked page then calls
 * cb(opaque, addr, len) after the bytes changed, addr being the RAM
 * address written (A20 applied).  Host pointers from mem_page_wr bypass
 * it: an engine must not store through them into a marked page.
 * mem_code_mark returns false (marking nothing) for a page this file cannot
 * watch: MMIO, unmapped, or writable memory a device owns (it may write it
 * directly). */
void mem_set_code_watch(struct mem *m, void (*cb)(void *opaque, uint32_t addr, uint32_t len),
			void *opaque);
bool mem_code_mark(struct mem *m, uint32_t page_addr);
void mem_code_unmark(struct mem *m, uint32_t page_addr);
void mem_code_unmark_all(struct mem *m);
/* Is the page holding addr (A20 applied) marked? */
bool mem_is_code(const struct mem *m, uint32_t addr);

/* Bulk copies for DMA, firmware loading and disk transfers.  Fail with
 * -EFAULT (copying nothing) if any byte is not RAM/host-mapped.  Writes
 * ignore ROM protection only through mem_load_rom_shadow (not provided
 * here); no A20 masking (devices see physical addresses). */
int mem_copy_from_guest(struct mem *m, void *dst, uint32_t addr, uint32_t len);
int mem_copy_to_guest(struct mem *m, uint32_t addr, const void *src, uint32_t len);

/* The layout as maximal runs of pages of one kind with contiguous host
 * memory, in address order, for engines that map guest memory themselves
 * (KVM memory slots).  host is NULL for MMIO.  A20 is not applied: this is
 * the physical layout.  Unmapped pages are skipped. */
enum mem_range_kind { MEM_RANGE_RAM, MEM_RANGE_ROM, MEM_RANGE_HOST, MEM_RANGE_MMIO };
struct mem_range {
	uint64_t base, len;
	enum mem_range_kind kind;
	uint8_t *host;
	bool writable;
};
void mem_for_each_range(struct mem *m, void (*cb)(void *opaque, const struct mem_range *r),
			void *opaque);

#endif
