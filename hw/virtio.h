/* Virtio 1.x ("modern") devices: the core every virtio device and both
 * transports share (virtio spec v1.1, docs.oasis-open.org/virtio/virtio/v1.1).
 *
 * A device (hw/virtio_net.c, virtio_blk.c, virtio_console.c) embeds a
 * struct virtio, fills in its struct virtio_device_info (device ID, queues,
 * feature bits, config space) and handles queue notifications by popping
 * descriptor chains with virtq_pop(), moving data with virtq_read() /
 * virtq_write() and returning them with virtq_push().  A transport puts the
 * registers in front of the guest:
 *   - virtio-pci (modern only, non-transitional: device IDs 1040h + id): one
 *     4 KiB memory BAR holding COMMON_CFG, ISR, DEVICE_CFG and NOTIFY, found
 *     through vendor-specific PCI capabilities.  Interrupts are INTx through
 *     the board's PCI IRQ routing.  No MSI-X (the MSI-X vector registers
 *     read NO_VECTOR) and no VIRTIO_PCI_CAP_PCI_CFG window.
 *   - virtio-mmio version 2: one 4 KiB page of registers and an ISA IRQ,
 *     for direct kernel boots (Linux finds it through virtio_mmio.device=).
 *
 * Split virtqueues only (no packed ring, no VIRTIO_F_EVENT_IDX); indirect
 * descriptors are offered (VIRTIO_F_INDIRECT_DESC).  The driver's avail
 * flag VRING_AVAIL_F_NO_INTERRUPT is honoured.
 *
 * Guest input is hostile: every ring and descriptor address is checked to
 * lie in guest RAM (mem_copy_*_guest), every index against the queue size,
 * chains are limited to the queue size (an indirect table to its own
 * length), so a loop ends the walk.  Any such error puts the device in
 * DEVICE_NEEDS_RESET (status bit 40h, plus a configuration-change
 * interrupt) and it stops processing until the driver resets it.
 */
#ifndef TANDEM_HW_VIRTIO_H
#define TANDEM_HW_VIRTIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct mem;
struct snap;

/* Device status bits. */
enum {
	VIRTIO_STATUS_ACKNOWLEDGE = 1, VIRTIO_STATUS_DRIVER = 2, VIRTIO_STATUS_DRIVER_OK = 4,
	VIRTIO_STATUS_FEATURES_OK = 8, VIRTIO_STATUS_NEEDS_RESET = 0x40,
	VIRTIO_STATUS_FAILED = 0x80,
};

/* Transport-independent feature bits. */
#define VIRTIO_F_INDIRECT_DESC (1ull << 28)
#define VIRTIO_F_VERSION_1 (1ull << 32)

/* ISR / InterruptStatus bits. */
enum { VIRTIO_ISR_QUEUE = 1, VIRTIO_ISR_CONFIG = 2 };

/* Descriptor flags. */
enum { VIRTQ_DESC_F_NEXT = 1, VIRTQ_DESC_F_WRITE = 2, VIRTQ_DESC_F_INDIRECT = 4 };

#define VIRTIO_MAX_QUEUES 2
/* Largest queue (and indirect table) a device offers; also the longest chain. */
#define VIRTQ_MAX_SIZE 256

/* Device IDs (the PCI device ID is 1040h plus this). */
enum { VIRTIO_ID_NET = 1, VIRTIO_ID_BLOCK = 2, VIRTIO_ID_CONSOLE = 3 };

/* One split virtqueue as the driver set it up. */
struct virtq {
	uint16_t size;		/* entries; power of two <= max */
	uint16_t max;		/* what the device offers (0: no such queue) */
	bool ready;
	uint64_t desc, avail, used;	/* guest physical addresses */
	uint16_t last_avail;	/* next avail ring index the device consumes */
	uint16_t used_idx;	/* the device's used->idx */
};

/* One descriptor chain taken from the avail ring: device-readable segments
 * first (nout), then device-writable ones (nin). */
struct virtq_seg {
	uint32_t addr;
	uint32_t len;
};
struct virtq_elem {
	uint16_t head;
	uint16_t nout, nin;
	uint64_t out_len, in_len;	/* byte totals */
	struct virtq_seg seg[VIRTQ_MAX_SIZE];
};

/* What a device model tells the core. */
struct virtio_device_info {
	const char *name;	/* for messages, e.g. "virtio-blk" */
	uint8_t device_id;
	uint16_t num_queues;
	uint16_t queue_max;	/* size of each queue (power of two <= VIRTQ_MAX_SIZE) */
	uint64_t features;	/* device-specific bits; the core adds VERSION_1, INDIRECT */
	uint32_t config_len;	/* bytes of device config (<= 256) */
	/* The driver notified queue n (only called while DRIVER_OK and not
	 * NEEDS_RESET; the core calls it for every queue when DRIVER_OK is set,
	 * so buffers queued before then are seen). */
	void (*notify)(void *opaque, int n);
	/* Device reset (status 0, or the machine's reset). */
	void (*reset)(void *opaque);
};

struct virtio {
	const struct virtio_device_info *info;
	void *opaque;		/* the device model */
	struct mem *mem;
	uint8_t config[256];	/* device config space, the device fills it */
	/* The transport's interrupt output, called on every change of
	 * virtio_irq_level(). */
	void (*set_irq)(void *transport, int level);
	/* Optional: a transport that signals interrupts itself (virtio-pci
	 * with MSI-X enabled) takes the used-buffer notification of queue n,
	 * or n = -1 a configuration change, and returns true; false leaves it
	 * to the ISR and set_irq. */
	bool (*notify)(void *transport, int n);
	/* Optional: the transport's own state, at the end of the device's. */
	void (*transport_save)(void *transport, struct snap *s);
	int (*transport_load)(void *transport, struct snap *s);
	void *transport;
	void (*transport_free)(void *transport);

	/* Guest-visible state (saved). */
	uint64_t driver_features;
	uint32_t dev_feat_sel, drv_feat_sel;
	uint16_t queue_sel;
	uint8_t status, isr, config_gen;
	struct virtq q[VIRTIO_MAX_QUEUES];
};

/* Sets up the core for a device (queues at info->queue_max, reset state). */
void virtio_init(struct virtio *v, const struct virtio_device_info *info, void *opaque,
		 struct mem *mem);
uint64_t virtio_device_features(const struct virtio *v);
bool virtio_running(const struct virtio *v);	/* DRIVER_OK and not NEEDS_RESET */
void virtio_reset(struct virtio *v);

/* Register semantics both transports share. */
void virtio_set_status(struct virtio *v, uint8_t status);
void virtio_set_driver_features32(struct virtio *v, uint32_t sel, uint32_t val);
uint32_t virtio_device_features32(const struct virtio *v, uint32_t sel);
/* The selected queue, or NULL if queue_sel names none. */
struct virtq *virtio_sel_queue(struct virtio *v);
/* Queue size / enable writes; bad values (not a power of two, ring outside
 * RAM or misaligned at enable) put the device in NEEDS_RESET. */
void virtio_set_queue_size(struct virtio *v, uint16_t size);
void virtio_set_queue_ready(struct virtio *v, bool ready);
/* Half (high: bits 63-32) of the selected queue's descriptor table (which
 * 0), driver/avail area (1) or device/used area (2); ignored while the
 * queue is enabled. */
void virtio_set_queue_addr32(struct virtio *v, int which, bool high, uint32_t val);
uint32_t virtio_queue_addr32(struct virtio *v, int which, bool high);
void virtio_queue_notify(struct virtio *v, uint32_t n);
/* Reads the ISR byte and clears it (PCI semantics). */
uint8_t virtio_isr_read_clear(struct virtio *v);
/* Clears ISR bits (virtio-mmio InterruptACK). */
void virtio_isr_ack(struct virtio *v, uint8_t bits);
int virtio_irq_level(const struct virtio *v);
/* Device config byte access (out of range reads 0, writes are ignored). */
uint32_t virtio_config_read(const struct virtio *v, uint32_t off, int size);

/* For device models: a used-buffer notification on queue n (unless the
 * driver suppressed it), and the error path (NEEDS_RESET + config
 * interrupt, with one line at debug level saying why). */
void virtio_notify_queue(struct virtio *v, int n);
void virtio_error(struct virtio *v, const char *why);

/* ---- split virtqueue walking (pure ring logic; tests/unit/test_virtio.c) ---- */

/* Takes the next available chain of q into e.  Returns 1 with e filled, 0
 * when the ring is empty, or -1 with a reason in *why when the driver broke
 * the rules (index beyond the queue, avail->idx more than size ahead, a
 * chain longer than the queue or looping, an address outside guest RAM,
 * a readable descriptor after a writable one, nested or malformed indirect
 * tables).  indirect: VIRTIO_F_INDIRECT_DESC was negotiated. */
int virtq_pop(struct mem *m, struct virtq *q, bool indirect, struct virtq_elem *e,
	      const char **why);
/* Gives the last popped chain back (the device could not use it now). */
void virtq_unpop(struct virtq *q);
/* Puts e on the used ring with len bytes written; -1 if the used ring is
 * not in RAM. */
int virtq_push(struct mem *m, struct virtq *q, const struct virtq_elem *e, uint32_t len);
/* True unless the driver set VRING_AVAIL_F_NO_INTERRUPT. */
bool virtq_wants_interrupt(struct mem *m, const struct virtq *q);
/* Checks that the three ring areas of a queue of q->size entries lie in
 * RAM and are aligned; 0 or -1 with *why. */
int virtq_check_rings(struct mem *m, const struct virtq *q, const char **why);
/* Copies up to len bytes starting at byte off of the chain's readable
 * (virtq_read) or writable (virtq_write) part; returns the bytes copied,
 * or -1 if guest memory refused. */
long virtq_read(struct mem *m, const struct virtq_elem *e, uint32_t off, void *buf,
		uint32_t len);
long virtq_write(struct mem *m, const struct virtq_elem *e, uint32_t off, const void *buf,
		 uint32_t len);

/* Snapshot of the core state (status, features, queues); load checks every
 * value and returns -EINVAL on a malformed one. */
void virtio_save(const struct virtio *v, struct snap *s);
int virtio_load(struct virtio *v, struct snap *s);

/* ---- transports ----------------------------------------------------------- */

struct pci_bus;
struct apic_bus;
struct irq_line;
struct virtio_pci;
struct virtio_mmio;

/* A modern virtio-pci function at devfn for v (class_code as for
 * pci_add_function), with an MSI-X capability when apic is not NULL (its
 * messages go to apic_bus_msi).  NULL if the slot is taken.  Freed with
 * virtio_pci_free; its state lives in v and the PCI bus. */
struct virtio_pci *virtio_pci_new(struct pci_bus *bus, uint8_t devfn, struct virtio *v,
				  uint32_t class_code, struct apic_bus *apic);
void virtio_pci_free(struct virtio_pci *t);

/* A virtio-mmio (version 2) register page at base (page aligned) raising
 * irq.  NULL on failure. */
struct virtio_mmio *virtio_mmio_new(struct mem *mem, uint32_t base, struct irq_line *irq,
				    struct virtio *v);
void virtio_mmio_free(struct virtio_mmio *t);

/* Where the board puts virtio-mmio devices: page n at VIRTIO_MMIO_BASE +
 * n * 4 KiB.  The kernel command line gets one
 * "virtio_mmio.device=4K@0xfeb0n000:IRQ" per device. */
#define VIRTIO_MMIO_BASE 0xfeb00000u
#define VIRTIO_MMIO_SIZE 0x1000u

/* Which transport the board uses for the virtio devices of one machine. */
enum virtio_transport { VIRTIO_PCI, VIRTIO_MMIO };

/* A transport for v chosen by the board: the board passes what both need
 * (only one is used).  Returns 0, or -1 (slot taken, out of memory). */
struct virtio_attach {
	enum virtio_transport kind;
	struct pci_bus *pci;
	struct apic_bus *apic;	/* PCI on an APIC board: MSI-X (hw/lapic.h) */
	uint8_t devfn;
	uint32_t class_code;
	struct mem *mem;
	uint32_t mmio_base;
	struct irq_line *irq;
};
int virtio_attach(struct virtio *v, const struct virtio_attach *a);
/* Frees what virtio_attach created. */
void virtio_detach(struct virtio *v);

#endif
