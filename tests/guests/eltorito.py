#!/usr/bin/env python3
"""eltorito.py FLOPPY.img OUT.iso: a minimal El Torito CD image (no file system) that
boots FLOPPY.img (1.44 MB) in floppy emulation: boot record volume descriptor at
block 17, terminator at 18, boot catalog at 19, the floppy image from block 20.
Enough for a BIOS's CD boot; used by seabios.sh since xorriso is not installed."""
import sys, struct
img = open(sys.argv[1], 'rb').read()
assert len(img) == 1474560
out = bytearray(2048 * 20)
br = bytearray(2048)
br[0] = 0; br[1:6] = b'CD001'; br[6] = 1
br[7:7+23] = b'EL TORITO SPECIFICATION'
struct.pack_into('<I', br, 0x47, 19)
out[17*2048:18*2048] = br
term = bytearray(2048); term[0] = 255; term[1:6] = b'CD001'; term[6] = 1
out[18*2048:19*2048] = term
cat = bytearray(2048)
cat[0] = 1; cat[1] = 0; cat[4:4+6] = b'tandem'; cat[30] = 0x55; cat[31] = 0xaa
s = sum(struct.unpack_from('<16H', cat, 0)) & 0xffff
struct.pack_into('<H', cat, 28, (-s) & 0xffff)
assert sum(struct.unpack_from('<16H', cat, 0)) & 0xffff == 0
e = 32
cat[e] = 0x88; cat[e+1] = 2; struct.pack_into('<H', cat, e+2, 0); cat[e+4] = 0
struct.pack_into('<H', cat, e+6, 1); struct.pack_into('<I', cat, e+8, 20)
out[19*2048:20*2048] = cat
out += img
open(sys.argv[2], 'wb').write(out)
