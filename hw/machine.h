/* A machine: address space, port bus, clock, CPU model and the devices a
 * board file wired together.  Engines execute the CPU against it. */
#ifndef TANDEM_HW_MACHINE_H
#define TANDEM_HW_MACHINE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "cpu/models.h"
#include "cpu/state.h"
#include "hw/clock.h"
#include "hw/device.h"
#include "hw/ioport.h"
#include "hw/irq.h"
#include "hw/memory.h"
#include "util/trace_filter.h"

/* Why the machine wants the main loop to stop. */
enum machine_stop {
	STOP_NONE = 0,
	STOP_EXIT_DEVICE,	/* guest wrote the exit port: status = (v<<1)|1 */
	STOP_POWER_OFF,		/* guest powered off (APM/ACPI/port 0x8900) */
	STOP_SHUTDOWN,		/* triple fault / shutdown without reset */
	STOP_DEAD,		/* halted with interrupts off and nothing to wake it */
	STOP_TIMEOUT,
	STOP_INSN_LIMIT,
	STOP_QUIT,		/* user closed the window / SIGINT */
	STOP_ERROR,		/* emulator-internal error */
};

/* Interrupt request from the interrupt controller to the CPU. */
struct cpu_intr {
	/* INTR pin level, maintained by the controller. */
	int level;
	/* INTA cycle: returns the vector to run.  Called by the CPU only
	 * when level is set and the CPU accepts the interrupt. */
	uint8_t (*ack)(void *opaque);
	void *opaque;
	/* Optional, set by whoever listens to this output: called after the
	 * controller recomputed level (a local APIC passing the 8259A's INTR
	 * through LINT0 recomputes the CPU's own INTR from it). */
	void (*changed)(void *opaque);
	void *changed_opaque;
};

#define MACHINE_MAX_CPUS 8

enum boot_device { BOOT_FLOPPY = 0, BOOT_HDD, BOOT_CDROM };

struct machine_config {
	const char *machine;		/* "xt" or "at" */
	const struct cpu_model *cpu;
	uint64_t cpu_hz;		/* 0: the model's default */
	uint64_t ram_bytes;
	const char *bios_path;		/* NULL: bios/bios.bin next to us */
	const char *fda, *fdb, *hda, *hdb;
	const char *cdrom;		/* ISO or CUE image (at: secondary IDE master) */
	const char *const *fw_cfg_files;	/* NAME=FILE strings for fw_cfg */
	int nfw_cfg_files;
	enum boot_device boot;
	bool boot_order_given;		/* false: floppy, then hard disk */
	bool headless;
	const char *serial;		/* "stdio", "file:PATH", "none" */
	const char *debugcon;		/* NULL, "stdio", "file:PATH" */
	const char *post_log;		/* NULL or path */
	int exit_port;			/* -1: none; default 0xf4 */
	int64_t rtc_base;		/* -1: host time; else seconds since epoch */
	const char *const *nics;	/* --nic strings (net/net.h syntax) */
	int nnics;
	const char *net_dump;		/* NULL or a pcap file for every frame */
	/* Virtio devices (hw/virtio.h): --virtio-blk images, the
	 * --virtio-console output, the transport ("pci", "mmio" or NULL:
	 * mmio when direct_boot) and whether --kernel boots the machine. */
	const char *const *virtio_blks;
	int nvirtio_blks;
	const char *virtio_console;
	const char *virtio_transport;
	bool direct_boot;
	/* Sound (hw/sound.h).  sound NULL: sb16 on at, none on xt.  sb_base
	 * 0: all four resources at their defaults (220h, 5, 1, 5). */
	const char *sound;
	int sb_base, sb_irq, sb_dma, sb_hdma;
	const char *midi_capture;	/* NULL or a .mid file */
	/* --cycles: N > 0 instructions per emulated millisecond, -1 max,
	 * -2 auto (hw/speed.h); 0: the model's cycle table at cpu_hz. */
	int64_t cycles_per_ms;
	const char *joystick;		/* --joystick spec (hw/gameport.h) or NULL */
	const char *serial_mouse;	/* "com1", "com2" or NULL */
	/* --fpu: "none", "8087", "287", "387"; NULL: the CPU model's own
	 * (built in from the 80486, none before: hw/fpu_irq.h). */
	const char *fpu;
	int smp;			/* --smp: CPUs, 1-8 (APIC boards only above 1) */
	/* --trace-filter: which instructions the engines' --trace writes. */
	struct trace_filter trace_filter;
};

struct machine {
	const struct machine_config *cfg;
	const struct cpu_model *model;
	struct mem *mem;
	struct ioport_bus *io;
	struct clock *clock;
	struct x86_state cpu;		/* the boot CPU's state (engines sync it) */
	struct cpu_intr intr;
	/* --smp: CPUs 1..ncpus-1 (application processors, APIC machines
	 * only), each with its state and INTR from its local APIC. */
	int ncpus;
	uint64_t tsc_seen;		/* the highest TSC an RDTSC returned (--smp) */
	struct x86_state ap_cpu[MACHINE_MAX_CPUS - 1];
	struct cpu_intr ap_intr[MACHINE_MAX_CPUS - 1];

	/* Set by devices (exit port, power off, reset requests) and by the
	 * clock when the CPU must leave its run loop early: engines test
	 * kick at least after every I/O instruction and every interrupt. */
	volatile int kick;
	enum machine_stop stop;
	int stop_status;
	bool reset_requested;
	/* Bytes of BIOS alias at the top of 16 MiB (24-bit CPUs), hidden
	 * from the RAM the BIOS reports. */
	uint32_t rom_top16_bytes;
	/* Set by --cycles max/auto (hw/speed.h): the main loop does not
	 * pace virtual time to wall time while it is set. */
	bool unthrottled;
	/* Set while the turbo hot key is held (ui/hotkey.h): no pacing. */
	bool turbo;

	/* Devices in creation order, for reset and snapshots. */
	struct machine_dev {
		const struct device_desc *desc;
		void *dev;
	} *devs;
	int ndevs;

	/* Board-specific device handles (NULL when absent). */
	struct pic *pic;
	struct pit *pit;
	struct cmos *cmos;
	struct vga *vga;
	struct kbd *kbd;
	struct pcspk *pcspk;
	struct uart *com[2];
	struct biosdisk *biosdisk;
	struct disk *disks[4];		/* fda, fdb, hda, hdb */
	struct fw_cfg *fw_cfg;		/* at: firmware config (hw/fw_cfg.h) */
	struct pci_bus *pci;		/* at: PCI bus 0 (hw/pci.h) */
	struct sb16 *sb;		/* Sound Blaster (hw/sb16.h) */
	struct opl *opl;		/* its FM chip, also at 388h */
	struct mpu401 *mpu;		/* MPU-401 at 330h */
	struct irq_line sb_mpu_irq;	/* the MPU's interrupt into the card */
	struct cdaudio *cdaudio;	/* --cdrom's audio player (hw/cdaudio.h) */
	struct gameport *gameport;	/* 201h (hw/gameport.h) */
	struct sermouse *sermouse;	/* --serial-mouse (hw/sermouse.h) */
	struct fpu_irq *fpu_irq;	/* with an FPU: FERR# -> IRQ13 (at), NMI (xt) */
	/* at with a CPU that has a local APIC (hw/pc_apic.h): the APIC bus
	 * (whose boot CPU APIC drives intr) and the I/O APIC; the 8259A's
	 * INTR then goes to pic_intr, LINT0 of every local APIC. */
	struct apic_bus *apic;
	struct ioapic *ioapic;
	struct pc_apic_wires *apic_wires;	/* ISA lines to both controllers */
	struct cpu_intr pic_intr;
	/* Kernel parameters the board wants on a --kernel command line (the
	 * virtio_mmio.device= of each virtio-mmio device); empty if none. */
	char kernel_cmdline_extra[512];
};

/* Builds the board named by cfg->machine; prints an error and returns NULL
 * on bad configuration (missing image, unknown machine...). */
struct machine *machine_new(const struct machine_config *cfg);
/* Frees everything; flushes disk images and returns -EIO if a flush failed
 * (a write the guest made could be lost). */
int machine_free(struct machine *m);

void machine_add_device(struct machine *m, const struct device_desc *desc, void *dev);
/* Resets every device (the CPU is reset by its engine). */
void machine_reset_devices(struct machine *m);
/* Frees every device in reverse creation order. */
void machine_free_devices(struct machine *m);

/* Called by the main loop about every 10 ms of wall time: host input that
 * is not the UI's (stdin feeding COM1 with --serial stdio). */
void machine_poll_host_input(struct machine *m);

/* A CPU shutdown (triple fault) on an AT resets the CPU through the keyboard
 * controller logic; DOS extenders use that to get back to real mode after
 * setting a CMOS shutdown code.  True when the board should reset rather
 * than stop: an `at` board whose CMOS byte 0Fh holds a nonzero code.  A
 * shutdown with code 0 is a crash and stops tandem (status 4), so a guest
 * that triple-faults never loops through POST forever. */
bool machine_shutdown_resets(struct machine *m);

/* Tells the guest-visible configuration whether a window shows the machine
 * (CMOS 7Eh bit 0 on `at`, docs/ports.md); the frontend decides after the
 * machine exists, since a window can fail to open. */
void machine_set_headless(struct machine *m, bool headless);

/* Ask the main loop to stop (first request wins) and kick the CPU. */
void machine_request_stop(struct machine *m, enum machine_stop why, int status);
/* System reset (port 92h bit 0, keyboard controller pulse, CF9h). */
void machine_request_reset(struct machine *m);
static inline void machine_kick(struct machine *m) { m->kick = 1; }

/* Device state save/load, in device order. */
void machine_save_devices(struct machine *m, struct snap *s);
/* Reads the next record machine_save_devices wrote: its device name and a
 * view of its bytes in one.  0, or -EINVAL when s ends early. */
int machine_read_device_record(struct snap *s, char name[256], struct snap *one);
/* Loads every device from its record, in device order; on -EINVAL *bad (may
 * be NULL) names the device whose record is missing, foreign or refused. */
int machine_load_devices(struct machine *m, struct snap *s, const char **bad);

#endif
