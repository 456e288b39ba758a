#!/usr/bin/env python3
"""pcapcount.py FILE: reads a classic pcap file (as tandem's --net-dump writes it)
and prints, for each kind of EtherType 88B5h frame (PING, PONG, BYE!), the distinct
numbers they carry, e.g. "PING 0,1,2,3,4 PONG 0,1,2,3,4 BYE! 5" (a PING sent again
because its answer was late counts once). Exits 1 on a malformed file."""
import struct
import sys

data = open(sys.argv[1], 'rb').read()
if len(data) < 24 or struct.unpack('<I', data[:4])[0] != 0xa1b2c3d4:
    sys.exit("bad pcap header")
if struct.unpack('<I', data[20:24])[0] != 1:
    sys.exit("not Ethernet")
seqs = {b'PING': set(), b'PONG': set(), b'BYE!': set()}
pos = 24
while pos < len(data):
    if pos + 16 > len(data):
        sys.exit("truncated record header")
    _, _, incl, orig = struct.unpack('<IIII', data[pos:pos + 16])
    frame = data[pos + 16:pos + 16 + incl]
    if len(frame) != incl or incl != orig:
        sys.exit("truncated frame")
    if len(frame) >= 20 and frame[12:14] == b'\x88\xb5' and frame[14:18] in seqs:
        seqs[frame[14:18]].add(frame[18] | frame[19] << 8)
    pos += 16 + incl
print(' '.join('%s %s' % (k.decode(), ','.join(str(n) for n in sorted(v)))
               for k, v in seqs.items()))
