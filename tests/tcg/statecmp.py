#!/usr/bin/env python3
# statecmp.py A B: exit 0 when two --save-state files hold the same machine.  The
# files are a header and a zlib stream; inside, each disk is recorded as its path,
# then its size (u64) and its mtime (u64): the mtime is left out, since a guest that writes
# its floppy changes it at wall-clock time (the disk bytes are compared by run.sh).
import sys
import zlib


def body(path):
    data = open(path, 'rb').read()
    for off in range(0, 64):
        try:
            return bytearray(zlib.decompress(data[off:]))
        except zlib.error:
            continue
    sys.exit('%s: no zlib stream' % path)


def mask(b, disk):
    key = disk.encode()
    at = b.find(key)
    while at >= 0:
        m = at + len(key) + 8
        b[m:m + 8] = bytes(8)
        at = b.find(key, at + 1)
    return b


a, b = body(sys.argv[1]), body(sys.argv[2])
disk = sys.argv[3]
sys.exit(0 if mask(a, disk) == mask(b, disk) else 1)
