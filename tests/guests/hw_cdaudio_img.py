#!/usr/bin/env python3
"""Writes the BIN/CUE disc hw_cdaudio.asm plays into DIR: cd.cue, a.bin, b.bin.

  track 1  MODE1/2352  LBA 0-19 in a.bin (sync, header, user data, zero EDC)
  track 2  AUDIO       a.bin: INDEX 00 at frame 20 (10 frames of silence),
                       INDEX 01 at frame 30 = LBA 30, 40 frames of a 1000 Hz sine
  track 3  AUDIO       b.bin, PREGAP 00:00:15 (LBA 70-84, in no file),
                       INDEX 01 = LBA 85, 60 frames of a 500 Hz sine
  lead-out LBA 145

Data frame n (user bytes): "TANDEMCD", then n as a byte, then (n * 7 + i) & 255
for i = 9..2047; frame 1 also holds, from byte 16, the first 16 bytes of audio
frame 40 (so the guest can check READ CD against the samples).
Usage: hw_cdaudio_img.py DIR [VARIANT]; variants write malformed sheets for
badinput.sh: missing-file, bad-msf, bad-mode, beyond-end."""
import math
import os
import struct
import sys

RAW = 2352
AMP = 16000


def bcd(v):
    return (v // 10) << 4 | v % 10


def sine(freq, frames, rate=44100):
    out = bytearray()
    for i in range(frames * 588):
        v = int(round(AMP * math.sin(2 * math.pi * freq * i / rate)))
        out += struct.pack("<hh", v, v)
    return bytes(out)


def data_frame(lba, extra=b""):
    user = bytearray((lba * 7 + i) & 255 for i in range(2048))
    user[0:8] = b"TANDEMCD"
    user[8] = lba & 255
    user[16:16 + len(extra)] = extra
    m, s, f = (lba + 150) // 4500, (lba + 150) // 75 % 60, (lba + 150) % 75
    head = b"\x00" + b"\xff" * 10 + b"\x00" + bytes([bcd(m), bcd(s), bcd(f), 1])
    return head + bytes(user) + bytes(288)


def main():
    out = sys.argv[1]
    variant = sys.argv[2] if len(sys.argv) > 2 else ""
    t2 = sine(1000, 40)
    t3 = sine(500, 60)
    first40 = t2[10 * RAW:10 * RAW + 16]  # audio LBA 40 = 10 frames into track 2
    a = b"".join(data_frame(n, first40 if n == 1 else b"") for n in range(20))
    a += bytes(10 * RAW) + t2
    assert len(a) == 70 * RAW
    with open(os.path.join(out, "a.bin"), "wb") as f:
        f.write(a)
    with open(os.path.join(out, "b.bin"), "wb") as f:
        f.write(t3)
    cue = [
        'REM tandem hw_cdaudio test disc',
        'FILE "a.bin" BINARY',
        '  TRACK 01 MODE1/2352',
        '    INDEX 01 00:00:00',
        '  TRACK 02 AUDIO',
        '    FLAGS DCP',
        '    INDEX 00 00:00:20',
        '    INDEX 01 00:00:30',
        'FILE "b.bin" BINARY',
        '  TRACK 03 AUDIO',
        '    PREGAP 00:00:15',
        '    INDEX 01 00:00:00',
    ]
    if variant == "missing-file":
        cue[8] = 'FILE "no-such.bin" BINARY'
    elif variant == "bad-msf":
        cue[7] = '    INDEX 01 00:00:80'
    elif variant == "bad-mode":
        cue[2] = '  TRACK 01 MODE3/2352'
    elif variant == "beyond-end":
        cue[11] = '    INDEX 01 00:01:00'
    elif variant:
        sys.exit("unknown variant " + variant)
    with open(os.path.join(out, "cd.cue"), "w") as f:
        f.write("\r\n".join(cue) + "\r\n")


main()
