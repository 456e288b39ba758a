/* Unit tests for the interpreter's 80386 and later models: operand and
 * address size prefixes in real mode, SIB addressing, 32-bit MUL/DIV,
 * paging faults (error code, CR2, A/D bits), CPUID, MMX saturation. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "cpu/x86-interp/interp.h"
#include "cpu/x86-interp/x86i_priv.h"
#include "hw/machine.h"

struct rig {
	struct machine m;
	struct x86i_cpu *c;
};

/* Real mode, CS:IP 1000:0100, SS:SP 2000:1000, DS 3000, IVT n -> 4000:n*16
 * with HLT there. */
static struct rig *rig_new(const char *cpu)
{
	struct rig *r = calloc(1, sizeof(*r));

	ck_assert_ptr_nonnull(r);
	r->m.model = cpu_model_find(cpu);
	ck_assert_ptr_nonnull(r->m.model);
	r->m.mem = mem_new(16u << 20);
	r->m.io = ioport_bus_new();
	r->c = x86i_new(&r->m);
	ck_assert_ptr_nonnull(r->c);
	x86i_reset(r->c);
	for (int n = 0; n < 32; n++) {
		mem_write16(r->m.mem, n * 4, (uint16_t)(n * 16));
		mem_write16(r->m.mem, n * 4 + 2, 0x4000);
		mem_write8(r->m.mem, 0x40000 + n * 16, 0xf4);
	}
	x86i_load_sreg(r->c, X86_CS, 0x1000);
	x86i_load_sreg(r->c, X86_SS, 0x2000);
	x86i_load_sreg(r->c, X86_DS, 0x3000);
	r->m.cpu.rip = 0x100;
	r->m.cpu.gpr[X86_RSP] = 0x1000;
	return r;
}

static void rig_free(struct rig *r)
{
	x86i_free(r->c);
	ioport_bus_free(r->m.io);
	mem_free(r->m.mem);
	free(r);
}

static void code(struct rig *r, const uint8_t *b, size_t n)
{
	for (size_t k = 0; k < n; k++)
		mem_write8(r->m.mem, 0x10100 + (uint32_t)k, b[k]);
}

START_TEST(prefixes_real_mode)
{
	struct rig *r = rig_new("80386");
	/* MOV EAX,89ABCDEFh ; MOV EBX,3000Ch... via 66/67:
	 * 66 B8 ef cd ab 89        mov eax, 0x89abcdef
	 * 66 BB 04 00 00 00        mov ebx, 4
	 * 66 B9 02 00 00 00        mov ecx, 2
	 * 67 66 89 44 8B 08        mov [ebx+ecx*4+8], eax
	 * 67 66 8B 54 8B 08        mov edx, [ebx+ecx*4+8] */
	static const uint8_t b[] = {
		0x66, 0xb8, 0xef, 0xcd, 0xab, 0x89, 0x66, 0xbb, 0x04, 0, 0, 0,
		0x66, 0xb9, 0x02, 0, 0, 0, 0x67, 0x66, 0x89, 0x44, 0x8b, 0x08,
		0x67, 0x66, 0x8b, 0x54, 0x8b, 0x08,
	};

	code(r, b, sizeof(b));
	for (int n = 0; n < 5; n++)
		x86i_step(r->c, 0);
	ck_assert_uint_eq(r->m.cpu.gpr[X86_RAX], 0x89abcdef);
	ck_assert_uint_eq(mem_read32(r->m.mem, 0x30000 + 4 + 8 + 8), 0x89abcdef);
	ck_assert_uint_eq(r->m.cpu.gpr[X86_RDX], 0x89abcdef);
	ck_assert_uint_eq(r->m.cpu.rip, 0x100 + sizeof(b));
	rig_free(r);
}
END_TEST

START_TEST(mul_div_32)
{
	struct rig *r = rig_new("80386");
	/* 66 F7 E3  mul ebx ; 66 F7 F3  div ebx ; 66 F7 F1  div ecx (ecx=0) */
	static const uint8_t b[] = { 0x66, 0xf7, 0xe3, 0x66, 0xf7, 0xf3, 0x66, 0xf7, 0xf1 };

	code(r, b, sizeof(b));
	r->m.cpu.gpr[X86_RAX] = 0x89abcdef;
	r->m.cpu.gpr[X86_RBX] = 0x12345678;
	x86i_step(r->c, 0);
	ck_assert_uint_eq(r->m.cpu.gpr[X86_RDX], 0x09ca39e0);
	ck_assert_uint_eq(r->m.cpu.gpr[X86_RAX], 0xe242d208);
	ck_assert(r->m.cpu.rflags & X86_CF);
	x86i_step(r->c, 0);
	ck_assert_uint_eq(r->m.cpu.gpr[X86_RAX], 0x89abcdef);
	ck_assert_uint_eq(r->m.cpu.gpr[X86_RDX], 0);
	r->m.cpu.gpr[X86_RCX] = 0;
	x86i_step(r->c, 0);
	/* #DE at the DIV. */
	ck_assert_uint_eq(r->m.cpu.seg[X86_CS].sel, 0x4000);
	ck_assert_uint_eq(mem_read16(r->m.mem, 0x20000 + (uint16_t)r->m.cpu.gpr[X86_RSP]), 0x106);
	rig_free(r);
}
END_TEST

/* Flat protected mode with paging: page directory at 20000h, one table
 * at 21000h mapping the first 4 MiB; #PF gate at IDT vector 14. */
static void flat_paging(struct rig *r)
{
	struct x86_state *s = &r->m.cpu;
	static const uint64_t gdt[3] = { 0, 0x00cf9a000000ffffull, 0x00cf92000000ffffull };

	for (int k = 0; k < 3; k++) {
		mem_write32(r->m.mem, 0x1000 + 8 * k, (uint32_t)gdt[k]);
		mem_write32(r->m.mem, 0x1004 + 8 * k, (uint32_t)(gdt[k] >> 32));
	}
	/* IDT at 2000h: vector 14 -> 08:50000h (32-bit interrupt gate). */
	mem_write32(r->m.mem, 0x2000 + 14 * 8, 0x00080000);
	mem_write32(r->m.mem, 0x2004 + 14 * 8, 0x00058e00);
	mem_write8(r->m.mem, 0x50000, 0xf4);
	mem_write32(r->m.mem, 0x20000, 0x21000 | 3);
	for (uint32_t p = 0; p < 1024; p++)
		mem_write32(r->m.mem, 0x21000 + 4 * p, (p << 12) | 3);
	mem_write32(r->m.mem, 0x21000 + 4 * 0x60, 0);	/* 60000h not present */
	s->gdtr.base = 0x1000;
	s->gdtr.limit = 23;
	s->idtr.base = 0x2000;
	s->idtr.limit = 32 * 8 - 1;
	s->cr3 = 0x20000;
	s->cr0 |= 0x80000001u;
	x86i_state_loaded(r->c);
	x86i_load_sreg(r->c, X86_SS, 0x10);
	x86i_load_sreg(r->c, X86_DS, 0x10);
	s->seg[X86_CS] = (struct x86_seg){ .sel = 8, .base = 0, .limit = 0xffffffffu,
					   .attr = 0xc09b };
	s->rip = 0x10000;
	s->gpr[X86_RSP] = 0x90000;
}

START_TEST(page_fault_and_dirty)
{
	struct rig *r = rig_new("80386");
	/* mov byte [31000h],1 ; mov eax,[60010h] */
	static const uint8_t b[] = { 0xc6, 0x05, 0x00, 0x10, 0x03, 0x00, 0x01,
				     0xa1, 0x10, 0x00, 0x06, 0x00 };

	flat_paging(r);
	for (size_t k = 0; k < sizeof(b); k++)
		mem_write8(r->m.mem, 0x10000 + (uint32_t)k, b[k]);
	x86i_step(r->c, 0);
	/* The write set A and D in the PTE, A in the PDE. */
	ck_assert_uint_eq(mem_read32(r->m.mem, 0x21000 + 4 * 0x31) & 0x60, 0x60);
	ck_assert_uint_eq(mem_read32(r->m.mem, 0x20000) & 0x20, 0x20);
	ck_assert_uint_eq(mem_read8(r->m.mem, 0x31000), 1);
	x86i_step(r->c, 0);
	ck_assert_uint_eq(r->m.cpu.rip, 0x50000);
	ck_assert_uint_eq(r->m.cpu.cr2, 0x60010);
	ck_assert_uint_eq(mem_read32(r->m.mem, 0x90000 - 16), 0);	/* error code */
	ck_assert_uint_eq(mem_read32(r->m.mem, 0x90000 - 12), 0x10007);	/* EIP */
	rig_free(r);
}
END_TEST

START_TEST(cpuid_and_mmx)
{
	struct rig *r = rig_new("pentium-mmx");
	/* CPUID (eax=0); then MOVQ-free MMX: MOVD mm0,eax ; MOVD mm1,ebx ;
	 * PADDUSB mm0,mm1 ; MOVD ecx,mm0 */
	static const uint8_t b[] = { 0x66, 0x31, 0xc0, 0x0f, 0xa2,
				     0x66, 0xb8, 0xf0, 0x10, 0x80, 0x7f,
				     0x66, 0xbb, 0x20, 0xff, 0x80, 0x01,
				     0x0f, 0x6e, 0xc0, 0x0f, 0x6e, 0xcb,
				     0x0f, 0xdc, 0xc1, 0x0f, 0x7e, 0xc1 };
	char vendor[13];

	code(r, b, sizeof(b));
	x86i_step(r->c, 0);
	x86i_step(r->c, 0);
	memcpy(vendor, &r->m.cpu.gpr[X86_RBX], 4);
	memcpy(vendor + 4, &r->m.cpu.gpr[X86_RDX], 4);
	memcpy(vendor + 8, &r->m.cpu.gpr[X86_RCX], 4);
	vendor[12] = 0;
	ck_assert_str_eq(vendor, "GenuineIntel");
	for (int n = 0; n < 6; n++)
		x86i_step(r->c, 0);
	/* Unsigned saturating bytes: F0+20=FF, 10+FF=FF, 80+80=FF, 7F+01=80. */
	ck_assert_uint_eq(r->m.cpu.gpr[X86_RCX] & 0xffffffffu, 0x80ffffff);
	rig_free(r);
}
END_TEST

START_TEST(vme_virtual_interrupts)
{
	struct rig *r = rig_new("pentium");
	struct x86_state *s = &r->m.cpu;
	/* CLI ; STI ; PUSHF ; INT 21h in a V86 task with IOPL 0 */
	static const uint8_t b[] = { 0xfa, 0xfb, 0x9c, 0xcd, 0x21 };
	uint16_t img;

	code(r, b, sizeof(b));
	/* 32-bit TSS at 3000h: redirection bitmap (all zero: every INT n is
	 * redirected) right below the I/O map at offset 88h. */
	mem_write16(r->m.mem, 0x3000 + 0x66, 0x88);
	s->tr = (struct x86_seg){ .sel = 0x18, .base = 0x3000, .limit = 0x88 + 8192,
				  .attr = 0x8b };
	mem_write16(r->m.mem, 0x21 * 4, 0x0210);
	mem_write16(r->m.mem, 0x21 * 4 + 2, 0x4000);
	s->cr0 |= 1;
	s->cr4 = 1;	/* VME */
	s->rflags = X86_VM | X86_VIF | 2;
	for (int k = 0; k < X86_NR_SREG; k++)
		s->seg[k].attr = 0xf3;
	x86i_state_loaded(r->c);
	x86i_step(r->c, 0);
	ck_assert(!(s->rflags & X86_VIF));
	ck_assert_uint_eq(s->rip, 0x101);
	x86i_step(r->c, 0);
	ck_assert(s->rflags & X86_VIF);
	ck_assert(!(s->rflags & X86_IF));
	x86i_step(r->c, 0);
	img = mem_read16(r->m.mem, 0x20000 + (uint16_t)s->gpr[X86_RSP]);
	ck_assert_uint_eq(img & (X86_IF | X86_IOPL), X86_IF | X86_IOPL);
	x86i_step(r->c, 0);
	ck_assert_uint_eq(s->seg[X86_CS].sel, 0x4000);
	ck_assert_uint_eq(s->rip, 0x210);
	ck_assert(!(s->rflags & X86_VIF));
	ck_assert(s->rflags & X86_VM);
	rig_free(r);
}
END_TEST

/* 0F B0 / 0F C0 are the byte forms (found by tools/diffcpu): AH is
 * register 4, not SP, and only 8 bits change. */
START_TEST(cmpxchg_xadd_byte)
{
	struct rig *r = rig_new("pentium2");
	/* 0F B0 EC cmpxchg ah,ch  (AL == AH: AH <- CH, ZF=1)
	 * 0F B0 EC cmpxchg ah,ch  (AL != AH: AL <- AH, ZF=0)
	 * 0F C0 D1 xadd cl,dl     (DL <- CL, CL <- CL + DL) */
	static const uint8_t b[] = { 0x0f, 0xb0, 0xec, 0x0f, 0xb0, 0xec, 0x0f, 0xc0, 0xd1 };

	code(r, b, sizeof(b));
	r->m.cpu.gpr[X86_RAX] = 0x25c40000;
	r->m.cpu.gpr[X86_RCX] = 0xa108ad05;
	r->m.cpu.gpr[X86_RDX] = 0x12345680;
	x86i_step(r->c, 0);
	ck_assert_uint_eq(r->m.cpu.gpr[X86_RAX], 0x25c4ad00);
	ck_assert_uint_eq(r->m.cpu.gpr[X86_RSP], 0x1000);
	ck_assert(r->m.cpu.rflags & X86_ZF);
	x86i_step(r->c, 0);
	ck_assert_uint_eq(r->m.cpu.gpr[X86_RAX], 0x25c4adad);
	ck_assert(!(r->m.cpu.rflags & X86_ZF));
	x86i_step(r->c, 0);
	ck_assert_uint_eq(r->m.cpu.gpr[X86_RCX], 0xa108ad85);
	ck_assert_uint_eq(r->m.cpu.gpr[X86_RDX], 0x12345605);
	ck_assert_uint_eq(r->m.cpu.rip, 0x100 + sizeof(b));
	rig_free(r);
}
END_TEST

/* Real-mode interrupt delivery clears AC with IF and TF (found by
 * tools/diffcpu against KVM). */
START_TEST(real_int_clears_ac)
{
	struct rig *r = rig_new("pentium2");
	static const uint8_t b[] = { 0xcd, 0x05 };	/* int 5 */

	code(r, b, sizeof(b));
	r->m.cpu.rflags = 0x2 | X86_AC | X86_IF | X86_CF;
	x86i_step(r->c, 0);
	ck_assert_uint_eq(r->m.cpu.seg[X86_CS].sel, 0x4000);
	ck_assert_uint_eq(r->m.cpu.rip, 5 * 16);
	ck_assert_uint_eq(r->m.cpu.rflags & (X86_AC | X86_IF | X86_CF), X86_CF);
	ck_assert_uint_eq(mem_read16(r->m.mem, 0x20000 + 0x1000 - 2), 0x2 | X86_IF | X86_CF);
	rig_free(r);
}
END_TEST

Suite *x86i_386_suite(void)
{
	Suite *s = suite_create("x86i_386");
	TCase *tc = tcase_create("x86i_386");

	tcase_add_test(tc, prefixes_real_mode);
	tcase_add_test(tc, mul_div_32);
	tcase_add_test(tc, page_fault_and_dirty);
	tcase_add_test(tc, cpuid_and_mmx);
	tcase_add_test(tc, vme_virtual_interrupts);
	tcase_add_test(tc, cmpxchg_xadd_byte);
	tcase_add_test(tc, real_int_clears_ac);
	suite_add_tcase(s, tc);
	return s;
}
