; apic_tables_smp: apic_tables (the same checks, the same code) on four CPUs: the MADT
; and the MP configuration table list four enabled processors, the first with APIC ID
; 0 and, in the MP table, the BSP flag. (QEMU gets four sockets: SeaBIOS's MP table has
; one processor entry per package. Bochs here has one CPU.)
; tandem-args: --cpu pentium2 --smp 4
; expect-status: 1
; expect-debugcon: apic_tables_smp.debugcon
; oracle: qemu
; qemu-args: -smp 4,sockets=4,cores=1
%include "apic_tables.asm"
