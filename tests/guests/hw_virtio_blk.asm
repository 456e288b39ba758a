; hw_virtio_blk: virtio-blk on the modern virtio-pci transport (1AF4:1042), driven at
; register level in 32-bit protected mode; see virtio_blk_body.inc for what it checks.
; tandem-args: --cpu pentium
; virtio-blk: yes
; expect-vblk-at: 100 hw_virtio_blk.vblk
; oracle: none (tandem only; QEMU's virtio-blk-pci would need a modern-only device)
%include "lib.inc"
%include "vguest.inc"
%include "virtio_blk_body.inc"
%include "tail.inc"
