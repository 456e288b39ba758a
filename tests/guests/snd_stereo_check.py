# snd_stereo_check.py WAV: checks snd_stereo's capture channel by channel (run.sh runs
# it for the guest's "; expect-wav-check:" header).  The WAV must be stereo; its sounds,
# separated by silences, must be: 8-bit stereo (left the triangle, right the square
# the guest wrote, exactly), 16-bit stereo (left sawtooth, right square, exactly),
# 8-bit mono at left-only balance (right silent, left exact), then FM: a note on the
# left alone, then one on the right alone.  Prints one line per part; exits 1 on the
# first part that is wrong.
import struct
import sys

b = open(sys.argv[1], 'rb').read()
if struct.unpack('<H', b[22:24])[0] != 2:
    sys.exit('not a stereo WAV')
s = struct.unpack('<%dh' % ((len(b) - 44) // 2), b[44:])
L, R = s[0::2], s[1::2]
segs, i = [], 0
while i < len(L):
    if L[i] == 0 and R[i] == 0:
        i += 1
        continue
    last = j = i
    while j < len(L) and j - last < 480:	# 10 ms of silence ends a sound
        if L[j] or R[j]:
            last = j
        j += 1
    segs.append((i, last + 1))
    i = last + 1
if len(segs) != 4:
    sys.exit('%d sounds, want 4: %s' % (len(segs), segs))


def tri(k):
    v = k & 0x7f
    if v & 0x40:
        v ^= 0x7f
    return (v << 2) & 0xff


def check(what, seg, left, right):
    a, e = seg
    bad = [k for k in range(e - a) if L[a + k] != left(k) or R[a + k] != right(k)]
    print('%s: %d frames, %s' % (what, e - a, 'exact' if not bad else
                                 'wrong from frame %d' % bad[0]))
    if bad:
        sys.exit(1)


check('8-bit stereo (triangle | square)', segs[0], lambda k: (tri(k % 512) - 128) * 256,
      lambda k: 0x2000 if not k & 0x10 else -0x2000)
check('16-bit stereo (sawtooth | square)', segs[1], lambda k: ((k & 63) << 9) - 0x4000,
      lambda k: -0x2000 if (k % 512) % 48 < 24 else 0x2000)
mono = []
for k in range(512):
    mono += [tri(k), 0xa0 if not k & 0x10 else 0x60]
check('8-bit mono, balance left only', segs[2], lambda k: (mono[k % 512] - 128) * 256,
      lambda k: 0)
a, e = segs[3]
first_r = next(k for k in range(a, e) if R[k])
last_l = max(k for k in range(a, e) if L[k])
# The notes overlap only while the left one's release (rate 15) and the resampler's
# filter (32 taps) run out: a few milliseconds.
ok = first_r - a > 4000 and e - last_l > 4000 and last_l - first_r < 240
print('FM: left alone for %d frames, right alone for %d, both for %d: %s' %
      (first_r - a, e - last_l - 1, max(0, last_l - first_r + 1), 'ok' if ok else 'wrong'))
sys.exit(0 if ok else 1)
