/* The virtio core (hw/virtio.c): split-ring walking and its bounds checks
 * against a hostile driver, scatter/gather copies, the used ring, status and
 * feature negotiation, NEEDS_RESET, and snapshots. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "hw/memory.h"
#include "hw/virtio.h"
#include "util/snapshot.h"

#define RAM (1u << 20)
#define DESC 0x10000u
#define AVAIL 0x11000u
#define USED 0x12000u
#define QS 8

static struct mem *mem;
static struct virtq q;
static struct virtq_elem e;

static void w16(uint32_t a, uint16_t v) { mem_write16(mem, a, v); }
static void w32(uint32_t a, uint32_t v) { mem_write32(mem, a, v); }

static void desc(int i, uint32_t addr, uint32_t len, uint16_t flags, uint16_t next)
{
	uint32_t d = DESC + 16 * i;
	w32(d, addr);
	w32(d + 4, 0);
	w32(d + 8, len);
	w16(d + 12, flags);
	w16(d + 14, next);
}

/* Puts head on the avail ring and bumps avail->idx. */
static void offer(uint16_t head)
{
	uint16_t idx = mem_read16(mem, AVAIL + 2);
	w16(AVAIL + 4 + 2 * (idx % QS), head);
	w16(AVAIL + 2, (uint16_t)(idx + 1));
}

static void setup(void)
{
	mem = mem_new(RAM);
	ck_assert_ptr_nonnull(mem);
	q = (struct virtq){ .size = QS, .max = QS, .ready = true, .desc = DESC,
			    .avail = AVAIL, .used = USED };
}

static void teardown(void)
{
	mem_free(mem);
}

START_TEST(empty_ring)
{
	const char *why = NULL;
	ck_assert_int_eq(virtq_pop(mem, &q, false, &e, &why), 0);
	ck_assert_int_eq(q.last_avail, 0);
}
END_TEST

START_TEST(chain_read_write_push)
{
	const char *why = NULL;
	for (int i = 0; i < 16; i++)
		mem_write8(mem, 0x20000 + i, (uint8_t)(i + 1));
	for (int i = 0; i < 16; i++)
		mem_write8(mem, 0x30000 + i, (uint8_t)(0x40 + i));
	desc(3, 0x20000, 10, VIRTQ_DESC_F_NEXT, 5);
	desc(5, 0x30000, 6, VIRTQ_DESC_F_NEXT, 1);
	desc(1, 0x40000, 4, VIRTQ_DESC_F_WRITE | VIRTQ_DESC_F_NEXT, 2);
	desc(2, 0x50000, 100, VIRTQ_DESC_F_WRITE, 0);
	offer(3);
	ck_assert_int_eq(virtq_pop(mem, &q, false, &e, &why), 1);
	ck_assert_int_eq(e.head, 3);
	ck_assert_int_eq(e.nout, 2);
	ck_assert_int_eq(e.nin, 2);
	ck_assert_uint_eq(e.out_len, 16);
	ck_assert_uint_eq(e.in_len, 104);
	ck_assert_int_eq(q.last_avail, 1);
	/* Readable bytes across the two segments, from an offset. */
	uint8_t buf[16];
	ck_assert_int_eq(virtq_read(mem, &e, 8, buf, 16), 8);
	ck_assert_int_eq(buf[0], 9);
	ck_assert_int_eq(buf[1], 10);
	ck_assert_int_eq(buf[2], 0x40);
	ck_assert_int_eq(buf[7], 0x45);
	/* Writable bytes: 4 in the first buffer, the rest in the second. */
	uint8_t out[6] = { 1, 2, 3, 4, 5, 6 };
	ck_assert_int_eq(virtq_write(mem, &e, 2, out, 6), 6);
	ck_assert_int_eq(mem_read8(mem, 0x40002), 1);
	ck_assert_int_eq(mem_read8(mem, 0x40003), 2);
	ck_assert_int_eq(mem_read8(mem, 0x50000), 3);
	ck_assert_int_eq(mem_read8(mem, 0x50003), 6);
	ck_assert_int_eq(virtq_push(mem, &q, &e, 8), 0);
	ck_assert_uint_eq(mem_read16(mem, USED + 2), 1);
	ck_assert_uint_eq(mem_read32(mem, USED + 4), 3);
	ck_assert_uint_eq(mem_read32(mem, USED + 8), 8);
	ck_assert_int_eq(virtq_pop(mem, &q, false, &e, &why), 0);
}
END_TEST

static void expect_bad(bool indirect)
{
	const char *why = NULL;
	ck_assert_int_eq(virtq_pop(mem, &q, indirect, &e, &why), -1);
	ck_assert_ptr_nonnull(why);
}

START_TEST(avail_far_ahead)
{
	desc(0, 0x20000, 16, 0, 0);
	w16(AVAIL + 2, QS + 1);
	expect_bad(false);
}
END_TEST

START_TEST(head_beyond_queue)
{
	offer(QS);
	expect_bad(false);
}
END_TEST

START_TEST(loop_ends)
{
	for (int i = 0; i < QS; i++)
		desc(i, 0x20000, 16, VIRTQ_DESC_F_NEXT, (uint16_t)((i + 1) % QS));
	offer(0);
	expect_bad(false);
	desc(0, 0x20000, 16, VIRTQ_DESC_F_NEXT, 0);	/* a self loop */
	q.last_avail = 0;
	expect_bad(false);
}
END_TEST

START_TEST(next_beyond_table)
{
	desc(0, 0x20000, 16, VIRTQ_DESC_F_NEXT, QS);
	offer(0);
	expect_bad(false);
}
END_TEST

START_TEST(buffer_outside_ram)
{
	desc(0, RAM - 8, 16, 0, 0);
	offer(0);
	expect_bad(false);
	desc(0, 0x1000, 0xfffff000u, 0, 0);	/* wraps 32 bits */
	q.last_avail = 0;
	expect_bad(false);
	w32(DESC + 4, 1);			/* above 4 GiB */
	w32(DESC + 8, 16);
	q.last_avail = 0;
	expect_bad(false);
}
END_TEST

START_TEST(readable_after_writable)
{
	desc(0, 0x20000, 16, VIRTQ_DESC_F_WRITE | VIRTQ_DESC_F_NEXT, 1);
	desc(1, 0x30000, 16, 0, 0);
	offer(0);
	expect_bad(false);
}
END_TEST

START_TEST(indirect_tables)
{
	const char *why = NULL;
	uint32_t t = 0x60000;
	/* Two entries: readable 8 bytes, writable 1. */
	w32(t, 0x20000); w32(t + 4, 0); w32(t + 8, 8); w16(t + 12, VIRTQ_DESC_F_NEXT);
	w16(t + 14, 1);
	w32(t + 16, 0x30000); w32(t + 20, 0); w32(t + 24, 1); w16(t + 28, VIRTQ_DESC_F_WRITE);
	desc(0, t, 32, VIRTQ_DESC_F_INDIRECT, 0);
	offer(0);
	expect_bad(false);		/* not negotiated */
	q.last_avail = 0;
	ck_assert_int_eq(virtq_pop(mem, &q, true, &e, &why), 1);
	ck_assert_int_eq(e.nout, 1);
	ck_assert_int_eq(e.nin, 1);
	ck_assert_uint_eq(e.in_len, 1);
	/* Malformed: a length that is no multiple of 16, then nested. */
	desc(0, t, 24, VIRTQ_DESC_F_INDIRECT, 0);
	q.last_avail = 0;
	expect_bad(true);
	w16(t + 12, VIRTQ_DESC_F_INDIRECT);
	desc(0, t, 32, VIRTQ_DESC_F_INDIRECT, 0);
	q.last_avail = 0;
	expect_bad(true);
	/* A loop inside the table ends too. */
	w16(t + 12, VIRTQ_DESC_F_NEXT);
	w16(t + 14, 1);
	w16(t + 28, VIRTQ_DESC_F_NEXT | VIRTQ_DESC_F_WRITE);
	w16(t + 30, 1);
	q.last_avail = 0;
	expect_bad(true);
}
END_TEST

START_TEST(ring_checks)
{
	const char *why;
	ck_assert_int_eq(virtq_check_rings(mem, &q, &why), 0);
	q.size = 6;
	ck_assert_int_eq(virtq_check_rings(mem, &q, &why), -1);
	q.size = QS * 2;
	ck_assert_int_eq(virtq_check_rings(mem, &q, &why), -1);
	q.size = QS;
	q.desc = DESC + 8;
	ck_assert_int_eq(virtq_check_rings(mem, &q, &why), -1);
	q.desc = RAM - 64;
	ck_assert_int_eq(virtq_check_rings(mem, &q, &why), -1);
	q.desc = DESC;
	q.used = 0xfffffff0ull;
	ck_assert_int_eq(virtq_check_rings(mem, &q, &why), -1);
}
END_TEST

START_TEST(no_interrupt_flag)
{
	ck_assert(virtq_wants_interrupt(mem, &q));
	w16(AVAIL, 1);
	ck_assert(!virtq_wants_interrupt(mem, &q));
}
END_TEST

/* ---- the device side -------------------------------------------------------- */

static int notified, resets, irq;

static void dev_notify(void *opaque, int n)
{
	(void)opaque;
	notified |= 1 << n;
}

static void dev_reset(void *opaque)
{
	(void)opaque;
	resets++;
}

static void set_irq(void *t, int level)
{
	(void)t;
	irq = level;
}

static const struct virtio_device_info info = {
	.name = "test", .device_id = 99, .num_queues = 2, .queue_max = QS,
	.features = 1u << 5, .config_len = 4, .notify = dev_notify, .reset = dev_reset,
};

static struct virtio v;

static void vsetup(void)
{
	setup();
	virtio_init(&v, &info, NULL, mem);
	v.set_irq = set_irq;
	notified = resets = irq = 0;
}

START_TEST(negotiation)
{
	ck_assert_uint_eq(virtio_device_features32(&v, 0), (1u << 5) | (1u << 28));
	ck_assert_uint_eq(virtio_device_features32(&v, 1), 1);
	virtio_set_status(&v, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER);
	/* Without VERSION_1 FEATURES_OK does not stick. */
	virtio_set_driver_features32(&v, 0, 1u << 5);
	virtio_set_status(&v, v.status | VIRTIO_STATUS_FEATURES_OK);
	ck_assert(!(v.status & VIRTIO_STATUS_FEATURES_OK));
	/* Nor with a bit that was not offered. */
	virtio_set_driver_features32(&v, 1, 1);
	virtio_set_driver_features32(&v, 0, 1u << 6);
	virtio_set_status(&v, v.status | VIRTIO_STATUS_FEATURES_OK);
	ck_assert(!(v.status & VIRTIO_STATUS_FEATURES_OK));
	virtio_set_driver_features32(&v, 0, 1u << 5);
	virtio_set_status(&v, v.status | VIRTIO_STATUS_FEATURES_OK);
	ck_assert(v.status & VIRTIO_STATUS_FEATURES_OK);
	/* Features are frozen once accepted. */
	virtio_set_driver_features32(&v, 0, 0);
	ck_assert_uint_eq(v.driver_features, VIRTIO_F_VERSION_1 | (1u << 5));
	/* A queue enabled before DRIVER_OK is notified when DRIVER_OK comes. */
	v.queue_sel = 1;
	virtio_set_queue_addr32(&v, 0, false, DESC);
	virtio_set_queue_addr32(&v, 1, false, AVAIL);
	virtio_set_queue_addr32(&v, 2, false, USED);
	virtio_set_queue_ready(&v, true);
	ck_assert(v.q[1].ready);
	virtio_queue_notify(&v, 1);
	ck_assert_int_eq(notified, 0);
	virtio_set_status(&v, v.status | VIRTIO_STATUS_DRIVER_OK);
	ck_assert_int_eq(notified, 2);
	virtio_queue_notify(&v, 7);	/* no such queue: ignored */
	virtio_set_status(&v, 0);
	ck_assert_int_eq(v.status, 0);
	ck_assert(!v.q[1].ready);
	ck_assert_int_eq(resets, 1);
}
END_TEST

START_TEST(needs_reset_and_irq)
{
	virtio_set_status(&v, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER |
			      VIRTIO_STATUS_DRIVER_OK);
	virtio_notify_queue(&v, 0);
	ck_assert_int_eq(irq, 1);
	ck_assert_int_eq(virtio_isr_read_clear(&v), VIRTIO_ISR_QUEUE);
	ck_assert_int_eq(irq, 0);
	virtio_error(&v, "test");
	ck_assert(v.status & VIRTIO_STATUS_NEEDS_RESET);
	ck_assert(!virtio_running(&v));
	ck_assert_int_eq(irq, 1);
	/* The driver cannot clear it by writing status, only by reset. */
	virtio_set_status(&v, VIRTIO_STATUS_DRIVER_OK);
	ck_assert(v.status & VIRTIO_STATUS_NEEDS_RESET);
	virtio_isr_ack(&v, VIRTIO_ISR_CONFIG);
	ck_assert_int_eq(irq, 0);
	virtio_set_status(&v, 0);
	ck_assert_int_eq(v.status, 0);
	/* A queue with a bad size cannot be enabled. */
	virtio_set_status(&v, VIRTIO_STATUS_ACKNOWLEDGE);
	virtio_set_queue_size(&v, 3);
	virtio_set_queue_ready(&v, true);
	ck_assert(!v.q[0].ready);
	ck_assert(v.status & VIRTIO_STATUS_NEEDS_RESET);
}
END_TEST

START_TEST(snapshot_round_trip)
{
	v.queue_sel = 0;
	virtio_set_queue_addr32(&v, 0, false, DESC);
	virtio_set_queue_addr32(&v, 1, false, AVAIL);
	virtio_set_queue_addr32(&v, 2, false, USED);
	virtio_set_queue_ready(&v, true);
	v.q[0].last_avail = 5;
	v.q[0].used_idx = 4;
	v.status = VIRTIO_STATUS_DRIVER_OK;
	struct snap s;
	snap_init(&s);
	virtio_save(&v, &s);
	struct virtio w;
	virtio_init(&w, &info, NULL, mem);
	struct snap r;
	snap_open(&r, s.data, s.len);
	ck_assert_int_eq(virtio_load(&w, &r), 0);
	ck_assert(w.q[0].ready);
	ck_assert_int_eq(w.q[0].last_avail, 5);
	ck_assert_int_eq(w.q[0].used_idx, 4);
	ck_assert_int_eq(w.status, VIRTIO_STATUS_DRIVER_OK);
	/* A ring moved outside RAM in the file is refused, state unchanged. */
	v.q[0].desc = RAM;
	snap_free(&s);
	snap_init(&s);
	virtio_save(&v, &s);
	struct virtio x;
	virtio_init(&x, &info, NULL, mem);
	snap_open(&r, s.data, s.len);
	ck_assert_int_eq(virtio_load(&x, &r), -22);
	ck_assert(!x.q[0].ready);
	/* A truncated stream too. */
	snap_open(&r, s.data, s.len / 2);
	ck_assert_int_ne(virtio_load(&x, &r), 0);
	snap_free(&s);
}
END_TEST

Suite *virtio_suite(void)
{
	Suite *s = suite_create("virtio");
	TCase *t = tcase_create("ring");
	tcase_add_checked_fixture(t, setup, teardown);
	tcase_add_test(t, empty_ring);
	tcase_add_test(t, chain_read_write_push);
	tcase_add_test(t, avail_far_ahead);
	tcase_add_test(t, head_beyond_queue);
	tcase_add_test(t, loop_ends);
	tcase_add_test(t, next_beyond_table);
	tcase_add_test(t, buffer_outside_ram);
	tcase_add_test(t, readable_after_writable);
	tcase_add_test(t, indirect_tables);
	tcase_add_test(t, ring_checks);
	tcase_add_test(t, no_interrupt_flag);
	suite_add_tcase(s, t);
	TCase *d = tcase_create("device");
	tcase_add_checked_fixture(d, vsetup, teardown);
	tcase_add_test(d, negotiation);
	tcase_add_test(d, needs_reset_and_irq);
	tcase_add_test(d, snapshot_round_trip);
	suite_add_tcase(s, d);
	return s;
}
