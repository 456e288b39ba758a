/* The ACPI tables and table-loader script tandem hands SeaBIOS: run the
 * script the way firmware does and walk the result as an OS would. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "hw/acpi_fw_cfg.h"

struct blob {
	const char *name;
	uint8_t *data;
	uint32_t len;
	uint32_t addr;		/* where ALLOCATE put it; 0 before */
};

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static struct blob *find(struct blob *b, int n, const uint8_t *name)
{
	for (int i = 0; i < n; i++)
		if (strcmp(b[i].name, (const char *)name) == 0)
			return &b[i];
	return NULL;
}

static uint8_t sum(const uint8_t *p, uint32_t len)
{
	uint8_t s = 0;
	while (len--)
		s = (uint8_t)(s + *p++);
	return s;
}

/* Executes the loader: the high zone at 0xfe0000 and the F segment at
 * 0xf5000, each allocation aligned as asked. */
static void run_loader(struct blob *b, int n, const uint8_t *l, uint32_t len)
{
	uint32_t high = 0xfe0000, fseg = 0xf5000;
	ck_assert_uint_eq(len % 128, 0);
	for (uint32_t off = 0; off < len; off += 128) {
		const uint8_t *c = l + off;
		switch (le32(c)) {
		case 1: {
			struct blob *f = find(b, n, c + 4);
			ck_assert_ptr_nonnull(f);
			uint32_t align = le32(c + 60);
			ck_assert_uint_eq(align & (align - 1), 0);
			uint32_t *zone = c[64] == 1 ? &high : &fseg;
			ck_assert(c[64] == 1 || c[64] == 2);
			*zone = (*zone + align - 1) & ~(align - 1);
			f->addr = *zone;
			*zone += f->len;
			break;
		}
		case 2: {
			struct blob *d = find(b, n, c + 4), *s = find(b, n, c + 60);
			ck_assert_ptr_nonnull(d);
			ck_assert_ptr_nonnull(s);
			ck_assert(d->addr && s->addr);
			uint32_t at = le32(c + 116);
			ck_assert_uint_eq(c[120], 4);
			ck_assert_uint_le(at + 4, d->len);
			uint32_t v = le32(d->data + at) + s->addr;
			for (int i = 0; i < 4; i++)
				d->data[at + i] = (uint8_t)(v >> (8 * i));
			break;
		}
		case 3: {
			struct blob *f = find(b, n, c + 4);
			ck_assert_ptr_nonnull(f);
			uint32_t at = le32(c + 60), start = le32(c + 64), n2 = le32(c + 68);
			ck_assert_uint_lt(at, f->len);
			ck_assert_uint_le(start + n2, f->len);
			f->data[at] = (uint8_t)(f->data[at] - sum(f->data + start, n2));
			break;
		}
		default:
			ck_abort_msg("unknown loader command %u", le32(c));
		}
	}
}

/* The table at physical addr inside blob t. */
static const uint8_t *at(const struct blob *t, uint32_t addr)
{
	ck_assert_uint_ge(addr, t->addr);
	ck_assert_uint_lt(addr - t->addr, t->len);
	return t->data + (addr - t->addr);
}

START_TEST(acpi_fw_cfg_tables_walk)
{
	uint8_t *rsdp, *tables, *loader;
	uint32_t rl, tl, ll;
	ck_assert_int_eq(acpi_fw_cfg_build(0x600, 5, 0, &rsdp, &rl, &tables, &tl, &loader, &ll), 0);
	struct blob b[2] = {
		{ "etc/acpi/rsdp", rsdp, rl, 0 },
		{ "etc/acpi/tables", tables, tl, 0 },
	};
	run_loader(b, 2, loader, ll);
	ck_assert_uint_eq(b[0].addr & 15, 0);
	ck_assert_uint_ge(b[0].addr, 0xf0000);

	ck_assert_mem_eq(rsdp, "RSD PTR ", 8);
	ck_assert_uint_eq(rl, 20);
	ck_assert_uint_eq(sum(rsdp, 20), 0);
	const uint8_t *rsdt = at(&b[1], le32(rsdp + 16));
	ck_assert_mem_eq(rsdt, "RSDT", 4);
	ck_assert_uint_eq(sum(rsdt, le32(rsdt + 4)), 0);
	ck_assert_uint_eq(le32(rsdt + 4), 40);
	const uint8_t *fadt = at(&b[1], le32(rsdt + 36));
	ck_assert_mem_eq(fadt, "FACP", 4);
	ck_assert_uint_eq(sum(fadt, le32(fadt + 4)), 0);
	ck_assert_uint_eq(le32(fadt + 56), 0x600);	/* PM1a_EVT */
	ck_assert_uint_eq(le32(fadt + 64), 0x604);	/* PM1a_CNT */
	ck_assert_uint_eq(le32(fadt + 76), 0x608);	/* PM_TMR */
	ck_assert_uint_eq(fadt[89], 2);
	uint32_t facs_addr = le32(fadt + 36);
	ck_assert_uint_eq(facs_addr & 63, 0);
	const uint8_t *facs = at(&b[1], facs_addr);
	ck_assert_mem_eq(facs, "FACS", 4);
	ck_assert_uint_ge(le32(facs + 4), 64);
	const uint8_t *dsdt = at(&b[1], le32(fadt + 40));
	ck_assert_mem_eq(dsdt, "DSDT", 4);
	uint32_t dl = le32(dsdt + 4);
	ck_assert_uint_eq(sum(dsdt, dl), 0);
	/* Name (_S5, Package (4) { 5, 5, 0, 0 }) and the PCI root bridge with
	 * its routing (hw/acpi_dsdt.h). */
	static const uint8_t s5[] = { '_', 'S', '5', '_', 0x12, 0x08, 0x04,
				      0x0a, 5, 0x0a, 5, 0, 0 };
	ck_assert_ptr_nonnull(memmem(dsdt + 36, dl - 36, s5, sizeof(s5)));
	ck_assert_ptr_nonnull(memmem(dsdt + 36, dl - 36, "PCI0", 4));
	ck_assert_ptr_nonnull(memmem(dsdt + 36, dl - 36, "_PRT", 4));
	free(rsdp);
	free(tables);
	free(loader);
}
END_TEST

Suite *acpi_fw_cfg_suite(void)
{
	Suite *s = suite_create("acpi_fw_cfg");
	TCase *tc = tcase_create("acpi_fw_cfg");
	tcase_add_test(tc, acpi_fw_cfg_tables_walk);
	suite_add_tcase(s, tc);
	return s;
}
