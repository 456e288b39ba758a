/* Stereo frame ring, virtual-time mixing and resampling for hw/mixer.h. */
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "hw/clock.h"
#include "hw/mixer.h"
#include "util/snapshot.h"

#define BLOCK_PS (MIXER_BLOCK_MS * 1000ull * 1000 * 1000)
/* Sources that render in their own timer callbacks (the speaker's direct
 * writes) may be one block behind the present when the mixer runs, so the
 * timeline trails the present by two blocks; mixer_flush closes the gap. */
#define LAG_SAMPLES (2 * MIXER_BLOCK_MS * MIXER_RATE / 1000)
/* A source more than a second ahead of the timeline is pushing samples
 * that no clock asks for; its oldest are dropped. */
#define SOURCE_MAX MIXER_RATE
#define CHUNK 1024

/* The resampler: a 32-tap Kaiser-windowed sinc, 256 phases with linear
 * interpolation between them, integer arithmetic (Q20 coefficients), so
 * that its whole state is a window of input frames and a phase, both
 * saved in a snapshot.  Its output for an input sample comes HALF input
 * samples later (at 3.9 kHz, the slowest SB rate, 4.1 ms: within the
 * timeline's lag). */
#define TAPS 32
#define HALF (TAPS / 2)
#define PHASES 256
#define COEF_BITS 20
#define ONE (1ull << 32)

/* Frames waiting to be mixed (interleaved L/R); frame 0 belongs at
 * timeline index base. */
struct fifo {
	int16_t *buf;
	size_t len, cap;	/* frames */
	uint64_t base;
};

struct resampler {
	uint64_t step;		/* input samples per output sample, 32.32 */
	uint64_t pos;		/* next output's place in the window, 32.32 */
	int16_t win[2 * TAPS][2];	/* each input frame at i and i + TAPS */
	uint32_t head;		/* the window is win[head .. head + TAPS - 1] */
	uint32_t fed;		/* inputs since the last reset (capped) */
	int32_t (*coef)[TAPS];	/* [PHASES + 1][TAPS], for cutoff_rate */
	uint32_t cutoff_rate;
};

struct mixer_source {
	struct mixer *m;
	struct mixer_source *next;
	const char *name;
	uint32_t rate;
	int gain_l, gain_r;
	void (*update)(void *opaque);
	void *opaque;
	struct fifo out;	/* at MIXER_RATE, ahead of the timeline */
	struct resampler rs;
};

struct mixer {
	int16_t *buf;		/* 2 * cap samples */
	size_t cap, head, count;	/* frames */
	uint64_t dropped;
	/* clocked mode */
	struct clock *clk;
	struct timer *timer;
	uint64_t emitted;	/* absolute index of the next frame to mix */
	uint64_t keep_from;	/* frames before this one stay out of the ring */
	struct fifo direct;	/* mixer_write() in clocked mode */
	struct mixer_source *sources;
	int32_t acc[2 * CHUNK];
};

static uint64_t samples_at(uint64_t ps)
{
	return ps / CLOCK_PS_PER_SEC * MIXER_RATE +
	       ps % CLOCK_PS_PER_SEC * MIXER_RATE / CLOCK_PS_PER_SEC;
}

static int16_t clamp16(int64_t v)
{
	return (int16_t)(v > 32767 ? 32767 : v < -32768 ? -32768 : v);
}

struct mixer *mixer_new(size_t capacity)
{
	if (capacity == 0)
		return NULL;
	struct mixer *m = calloc(1, sizeof(*m));
	if (!m)
		return NULL;
	m->buf = calloc(capacity, 2 * sizeof(*m->buf));
	if (!m->buf) {
		free(m);
		return NULL;
	}
	m->cap = capacity;
	return m;
}

void mixer_free(struct mixer *m)
{
	if (!m)
		return;
	while (m->sources)
		mixer_source_free(m->sources);
	timer_free(m->timer);
	free(m->direct.buf);
	free(m->buf);
	free(m);
}

/* Clocked mode: doubles the ring (in order) rather than lose frames. */
static bool ring_grow(struct mixer *m)
{
	if (!m->clk || m->cap >= MIXER_MAX_RING)
		return false;
	size_t ncap = m->cap * 2;
	int16_t *nb = malloc(ncap * 2 * sizeof(*nb));
	if (!nb)
		return false;
	for (size_t i = 0; i < m->count; i++) {
		size_t at = (m->head + i) % m->cap;
		nb[2 * i] = m->buf[2 * at];
		nb[2 * i + 1] = m->buf[2 * at + 1];
	}
	free(m->buf);
	m->buf = nb;
	m->cap = ncap;
	m->head = 0;
	return true;
}

static void ring_put(struct mixer *m, const int16_t *lr, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (m->count == m->cap && !ring_grow(m)) {
			m->head = (m->head + 1) % m->cap;
			m->count--;
			m->dropped++;
		}
		size_t at = (m->head + m->count) % m->cap;
		m->buf[2 * at] = lr[2 * i];
		m->buf[2 * at + 1] = lr[2 * i + 1];
		m->count++;
	}
}

static void fifo_put(struct fifo *f, const int16_t *lr, size_t n)
{
	if (!n)
		return;
	if (f->len + n > f->cap) {
		size_t ncap = f->cap ? f->cap : 1024;
		while (ncap < f->len + n)
			ncap *= 2;
		int16_t *nb = realloc(f->buf, ncap * 2 * sizeof(*nb));
		if (!nb)
			return;
		f->buf = nb;
		f->cap = ncap;
	}
	memcpy(f->buf + 2 * f->len, lr, n * 2 * sizeof(*lr));
	f->len += n;
}

static void fifo_drop(struct fifo *f, size_t n)
{
	if (n > f->len)
		n = f->len;
	if (!n)
		return;
	memmove(f->buf, f->buf + 2 * n, (f->len - n) * 2 * sizeof(*f->buf));
	f->len -= n;
}

/* Mono to centred stereo, a chunk at a time. */
static size_t widen(int16_t *lr, const int16_t *x, size_t n)
{
	if (n > CHUNK)
		n = CHUNK;
	for (size_t i = 0; i < n; i++)
		lr[2 * i] = lr[2 * i + 1] = x[i];
	return n;
}

void mixer_write(struct mixer *m, const int16_t *s, size_t n)
{
	int16_t lr[2 * CHUNK];
	while (n) {
		size_t k = widen(lr, s, n);
		if (m->clk)
			fifo_put(&m->direct, lr, k);
		else
			ring_put(m, lr, k);
		s += k;
		n -= k;
	}
	if (m->clk && m->direct.len > SOURCE_MAX) {
		m->direct.base += m->direct.len - SOURCE_MAX;
		fifo_drop(&m->direct, m->direct.len - SOURCE_MAX);
	}
}

size_t mixer_read_stereo(struct mixer *m, int16_t *lr, size_t n)
{
	size_t k = n < m->count ? n : m->count;
	for (size_t i = 0; i < k; i++) {
		size_t at = (m->head + i) % m->cap;
		lr[2 * i] = m->buf[2 * at];
		lr[2 * i + 1] = m->buf[2 * at + 1];
	}
	m->head = (m->head + k) % m->cap;
	m->count -= k;
	return k;
}

size_t mixer_read(struct mixer *m, int16_t *out, size_t n)
{
	size_t k = n < m->count ? n : m->count;
	for (size_t i = 0; i < k; i++) {
		size_t at = (m->head + i) % m->cap;
		out[i] = (int16_t)((m->buf[2 * at] + m->buf[2 * at + 1]) / 2);
	}
	m->head = (m->head + k) % m->cap;
	m->count -= k;
	return k;
}

size_t mixer_available(const struct mixer *m)
{
	return m->count;
}

uint64_t mixer_dropped(const struct mixer *m)
{
	return m->dropped;
}

/* --- mixing -------------------------------------------------------------- */

/* Adds what f holds for the timeline frames [e, e + n) to acc. */
static void add_fifo(int32_t *acc, struct fifo *f, uint64_t e, size_t n)
{
	if (f->base < e) {
		/* Late frames (their time has been mixed already) are lost. */
		uint64_t late = e - f->base;
		size_t d = late < f->len ? (size_t)late : f->len;
		fifo_drop(f, d);
		f->base = e;
	}
	if (f->base < e + n) {
		size_t off = (size_t)(f->base - e);
		size_t k = n - off < f->len ? n - off : f->len;
		for (size_t i = 0; i < 2 * k; i++)
			acc[2 * off + i] += f->buf[i];
		fifo_drop(f, k);
		f->base += k;
		if (!f->len)
			f->base = e + n;
	}
}

static void mix_to(struct mixer *m, uint64_t target)
{
	for (struct mixer_source *s = m->sources; s; s = s->next)
		if (s->update)
			s->update(s->opaque);
	while (m->emitted < target) {
		size_t n = CHUNK;
		if (target - m->emitted < n)
			n = (size_t)(target - m->emitted);
		memset(m->acc, 0, 2 * n * sizeof(m->acc[0]));
		add_fifo(m->acc, &m->direct, m->emitted, n);
		for (struct mixer_source *s = m->sources; s; s = s->next)
			add_fifo(m->acc, &s->out, m->emitted, n);
		int16_t out[2 * CHUNK];
		for (size_t i = 0; i < 2 * n; i++)
			out[i] = clamp16(m->acc[i]);
		/* After a load, the frames before the moment of the save were
		 * the saving run's: mixed (sources move on) but not kept. */
		uint64_t early = m->keep_from > m->emitted ? m->keep_from - m->emitted : 0;
		size_t skip = early < n ? (size_t)early : n;
		ring_put(m, out + 2 * skip, n - skip);
		m->emitted += n;
	}
	for (struct mixer_source *s = m->sources; s; s = s->next) {
		if (s->out.len > SOURCE_MAX) {
			s->out.base += s->out.len - SOURCE_MAX;
			fifo_drop(&s->out, s->out.len - SOURCE_MAX);
		}
	}
}

static void block_cb(void *opaque)
{
	struct mixer *m = opaque;
	uint64_t now = samples_at(clock_now(m->clk));
	if (now > m->emitted + LAG_SAMPLES)
		mix_to(m, now - LAG_SAMPLES);
	timer_mod(m->timer, clock_now(m->clk) + BLOCK_PS);
}

static void rs_reset(struct resampler *r)
{
	memset(r->win, 0, sizeof(r->win));
	r->head = 0;
	r->fed = 0;
	/* The first input lands at window index TAPS - 1: that is where the
	 * first output sits, so output and input stay aligned in time. */
	r->pos = (uint64_t)TAPS << 32;
}

void mixer_restart(struct mixer *m)
{
	if (!m->clk)
		return;
	m->emitted = m->keep_from = samples_at(clock_now(m->clk));
	m->direct.len = 0;
	m->direct.base = m->emitted;
	for (struct mixer_source *s = m->sources; s; s = s->next) {
		s->out.len = 0;
		s->out.base = m->emitted;
		rs_reset(&s->rs);
	}
	if (m->timer)
		timer_mod(m->timer, clock_now(m->clk) + BLOCK_PS);
}

uint64_t mixer_first_frame(const struct mixer *m)
{
	return m->keep_from;
}

void mixer_set_clock(struct mixer *m, struct clock *clk)
{
	if (m->timer) {
		timer_free(m->timer);
		m->timer = NULL;
	}
	m->clk = clk;
	if (!clk)
		return;
	m->timer = timer_new(clk, block_cb, m);
	mixer_restart(m);
}

void mixer_flush(struct mixer *m)
{
	if (m && m->clk)
		mix_to(m, samples_at(clock_now(m->clk)));
}

/* --- the resampler ------------------------------------------------------------ */

const char *mixer_resampler_name(void)
{
	return "sinc";
}

static double bessel_i0(double x)
{
	double sum = 1, term = 1;
	for (int k = 1; k < 40; k++) {
		term *= (x / (2 * k)) * (x / (2 * k));
		sum += term;
	}
	return sum;
}

/* Low-pass at 0.9 of the lower of the two Nyquist frequencies, Kaiser
 * window (beta 8: about 80 dB stop band); each phase sums to one. */
static int rs_table(struct resampler *r, uint32_t rate)
{
	uint32_t key = rate < MIXER_RATE ? MIXER_RATE : rate;
	if (r->coef && r->cutoff_rate == key)
		return 0;
	if (!r->coef) {
		r->coef = malloc((PHASES + 1) * sizeof(*r->coef));
		if (!r->coef)
			return -1;
	}
	r->cutoff_rate = key;
	double fc = 0.9 * MIXER_RATE / key;	/* of the input's Nyquist */
	const double beta = 8.0;
	for (int p = 0; p <= PHASES; p++) {
		double h[TAPS], sum = 0;
		for (int k = 0; k < TAPS; k++) {
			double d = k - (HALF - 1) - (double)p / PHASES;
			double x = d / HALF;
			double w = fabs(x) >= 1 ? 0 :
				   bessel_i0(beta * sqrt(1 - x * x)) / bessel_i0(beta);
			double s = d == 0 ? 1 : sin(M_PI * fc * d) / (M_PI * fc * d);
			h[k] = fc * s * w;
			sum += h[k];
		}
		for (int k = 0; k < TAPS; k++)
			r->coef[p][k] = (int32_t)lround(h[k] / sum * (1 << COEF_BITS));
	}
	return 0;
}

static void put_scaled(struct mixer_source *s, const int16_t *lr, size_t n);

/* The output at r->pos from the window. */
static void rs_output(const struct resampler *r, int16_t *lr)
{
	uint32_t i = (uint32_t)(r->pos >> 32), frac = (uint32_t)r->pos;
	const int32_t *c0 = r->coef[frac >> 24], *c1 = r->coef[(frac >> 24) + 1];
	int64_t ff = (frac >> 8) & 0xffff;
	const int16_t (*w)[2] = &r->win[r->head + i - (HALF - 1)];
	int64_t al = 0, ar = 0;
	for (int k = 0; k < TAPS; k++) {
		int64_t c = c0[k] + (((c1[k] - c0[k]) * ff) >> 16);
		al += w[k][0] * c;
		ar += w[k][1] * c;
	}
	lr[0] = clamp16((al + (1 << (COEF_BITS - 1))) >> COEF_BITS);
	lr[1] = clamp16((ar + (1 << (COEF_BITS - 1))) >> COEF_BITS);
}

static void rs_push(struct mixer_source *s, const int16_t *lr, size_t n)
{
	struct resampler *r = &s->rs;
	int16_t out[2 * 256];
	size_t k = 0;
	if (!r->coef)
		return;		/* out of memory when the rate was set */
	for (size_t i = 0; i < n; i++) {
		r->win[r->head][0] = r->win[r->head + TAPS][0] = lr[2 * i];
		r->win[r->head][1] = r->win[r->head + TAPS][1] = lr[2 * i + 1];
		r->head = (r->head + 1) % TAPS;
		r->pos -= ONE;
		if (r->fed <= TAPS)
			r->fed++;
		while ((r->pos >> 32) <= HALF - 1) {
			rs_output(r, out + 2 * k);
			r->pos += r->step;
			if (++k == 256) {
				put_scaled(s, out, k);
				k = 0;
			}
		}
	}
	put_scaled(s, out, k);
}

/* What the filter holds back comes out, followed by silence; then it
 * starts over (a new stream, or a new rate). */
static void rs_drain(struct mixer_source *s)
{
	if (s->rate == MIXER_RATE || !s->rs.fed)
		return;
	static const int16_t zero[2 * HALF];
	rs_push(s, zero, HALF);
	rs_reset(&s->rs);
}

static void rs_setup(struct mixer_source *s)
{
	rs_reset(&s->rs);
	s->rs.step = ((uint64_t)s->rate << 32) / MIXER_RATE;
	if (s->rate != MIXER_RATE)
		rs_table(&s->rs, s->rate);
}

/* --- sources ------------------------------------------------------------------ */

struct mixer_source *mixer_source_new(struct mixer *m, const char *name, uint32_t rate,
				      void (*update)(void *opaque), void *opaque)
{
	struct mixer_source *s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	s->m = m;
	s->name = name;
	s->rate = rate ? rate : MIXER_RATE;
	s->gain_l = s->gain_r = 256;
	s->update = update;
	s->opaque = opaque;
	s->out.base = m->clk ? samples_at(clock_now(m->clk)) : 0;
	rs_setup(s);
	/* Appended last: sources mix in creation order. */
	struct mixer_source **pp = &m->sources;
	while (*pp)
		pp = &(*pp)->next;
	*pp = s;
	return s;
}

void mixer_source_free(struct mixer_source *s)
{
	if (!s)
		return;
	for (struct mixer_source **pp = &s->m->sources; *pp; pp = &(*pp)->next) {
		if (*pp == s) {
			*pp = s->next;
			break;
		}
	}
	free(s->rs.coef);
	free(s->out.buf);
	free(s);
}

void mixer_source_start(struct mixer_source *s)
{
	if (!s->m->clk)
		return;
	rs_drain(s);
	uint64_t now = samples_at(clock_now(s->m->clk));
	struct fifo *f = &s->out;
	if (!f->len) {
		if (f->base < now)
			f->base = now;
		return;
	}
	/* Still playing what came before: the gap since then is silence. */
	static const int16_t zero[2 * 256];
	while (f->base + f->len < now && f->len < SOURCE_MAX) {
		uint64_t gap = now - (f->base + f->len);
		fifo_put(f, zero, gap < 256 ? (size_t)gap : 256);
	}
}

void mixer_source_set_rate(struct mixer_source *s, uint32_t rate)
{
	if (!rate || rate == s->rate)
		return;
	rs_drain(s);
	s->rate = rate;
	rs_setup(s);
}

void mixer_source_set_gains(struct mixer_source *s, int left, int right)
{
	s->gain_l = left < 0 ? 0 : left > 1024 ? 1024 : left;
	s->gain_r = right < 0 ? 0 : right > 1024 ? 1024 : right;
}

void mixer_source_set_gain(struct mixer_source *s, int gain)
{
	mixer_source_set_gains(s, gain, gain);
}

/* Appends resampler output, scaled by the source's gains as they stand
 * now: a volume change applies from the moment it is made, not to samples
 * already rendered. */
static void put_scaled(struct mixer_source *s, const int16_t *lr, size_t n)
{
	if (s->gain_l == 256 && s->gain_r == 256) {
		fifo_put(&s->out, lr, n);
		return;
	}
	int16_t tmp[2 * 256];
	while (n) {
		size_t k = n < 256 ? n : 256;
		for (size_t i = 0; i < k; i++) {
			tmp[2 * i] = clamp16(lr[2 * i] * s->gain_l / 256);
			tmp[2 * i + 1] = clamp16(lr[2 * i + 1] * s->gain_r / 256);
		}
		fifo_put(&s->out, tmp, k);
		lr += 2 * k;
		n -= k;
	}
}

void mixer_source_push_stereo(struct mixer_source *s, const int16_t *lr, size_t n)
{
	if (s->rate == MIXER_RATE)
		put_scaled(s, lr, n);
	else
		rs_push(s, lr, n);
}

void mixer_source_push(struct mixer_source *s, const int16_t *x, size_t n)
{
	int16_t lr[2 * CHUNK];
	while (n) {
		size_t k = widen(lr, x, n);
		mixer_source_push_stereo(s, lr, k);
		x += k;
		n -= k;
	}
}

/* --- save states ---------------------------------------------------------------- */

static void fifo_save(const struct fifo *f, struct snap *sn)
{
	snap_put_u64(sn, f->base);
	snap_put_u32(sn, (uint32_t)f->len);
	for (size_t i = 0; i < 2 * f->len; i++)
		snap_put_u16(sn, (uint16_t)f->buf[i]);
}

static int fifo_load(struct fifo *f, struct snap *sn)
{
	uint64_t base = snap_get_u64(sn);
	uint32_t len = snap_get_u32(sn);
	if (!snap_ok(sn) || len > SOURCE_MAX || (size_t)len * 4 > sn->len - sn->pos)
		return -1;
	f->len = 0;
	f->base = base;
	int16_t lr[2 * 256];
	while (len) {
		uint32_t k = len < 256 ? len : 256;
		for (uint32_t i = 0; i < 2 * k; i++)
			lr[i] = (int16_t)snap_get_u16(sn);
		fifo_put(f, lr, k);
		len -= k;
	}
	return snap_ok(sn) ? 0 : -1;
}

void mixer_save(const struct mixer *m, struct snap *sn)
{
	snap_put_u64(sn, m->emitted);
	snap_put_u64(sn, m->timer && timer_pending(m->timer) ? timer_expires(m->timer) :
		     CLOCK_NEVER);
	fifo_save(&m->direct, sn);
	uint32_t n = 0;
	for (const struct mixer_source *s = m->sources; s; s = s->next)
		n++;
	snap_put_u32(sn, n);
	for (const struct mixer_source *s = m->sources; s; s = s->next) {
		size_t nl = strlen(s->name);
		snap_put_u8(sn, (uint8_t)nl);
		snap_put_bytes(sn, s->name, nl);
		snap_put_u32(sn, s->rate);
		snap_put_u16(sn, (uint16_t)s->gain_l);
		snap_put_u16(sn, (uint16_t)s->gain_r);
		snap_put_u64(sn, s->rs.pos);
		snap_put_u32(sn, s->rs.fed);
		/* The window oldest first. */
		for (int k = 0; k < TAPS; k++) {
			snap_put_u16(sn, (uint16_t)s->rs.win[s->rs.head + k][0]);
			snap_put_u16(sn, (uint16_t)s->rs.win[s->rs.head + k][1]);
		}
		fifo_save(&s->out, sn);
	}
}

static int source_load(struct mixer_source *s, struct snap *sn)
{
	char name[256];
	uint8_t nl = snap_get_u8(sn);
	snap_get_bytes(sn, name, nl);
	name[nl] = 0;
	uint32_t rate = snap_get_u32(sn);
	int gl = snap_get_u16(sn), gr = snap_get_u16(sn);
	uint64_t pos = snap_get_u64(sn);
	uint32_t fed = snap_get_u32(sn);
	int16_t win[TAPS][2];
	for (int k = 0; k < TAPS; k++) {
		win[k][0] = (int16_t)snap_get_u16(sn);
		win[k][1] = (int16_t)snap_get_u16(sn);
	}
	/* Between outputs the phase stays at HALF - 1 or above, and below
	 * TAPS plus one step (at most 21 input samples at 1 MHz). */
	if (!snap_ok(sn) || strcmp(name, s->name) || rate == 0 || rate > 1000000 ||
	    gl > 1024 || gr > 1024 || pos < ((uint64_t)(HALF - 1) << 32) ||
	    pos > ((uint64_t)(TAPS + 32) << 32) || fed > TAPS + 1)
		return -1;
	if (rate != s->rate) {
		s->rate = rate;
		rs_setup(s);
	}
	if (rate != MIXER_RATE && !s->rs.coef)
		return -1;
	s->gain_l = gl;
	s->gain_r = gr;
	s->rs.pos = pos;
	s->rs.fed = fed;
	s->rs.head = 0;
	for (int k = 0; k < TAPS; k++) {
		s->rs.win[k][0] = s->rs.win[k + TAPS][0] = win[k][0];
		s->rs.win[k][1] = s->rs.win[k + TAPS][1] = win[k][1];
	}
	return fifo_load(&s->out, sn);
}

int mixer_load(struct mixer *m, struct snap *sn)
{
	if (!m->clk)
		return -1;
	uint64_t emitted = snap_get_u64(sn);
	uint64_t when = snap_get_u64(sn);
	uint64_t now = samples_at(clock_now(m->clk));
	/* The timeline trails the present by at most a few blocks. */
	if (!snap_ok(sn) || emitted > now || now - emitted > SOURCE_MAX ||
	    fifo_load(&m->direct, sn) < 0)
		return -1;
	uint32_t n = snap_get_u32(sn), have = 0;
	for (struct mixer_source *s = m->sources; s; s = s->next)
		have++;
	if (!snap_ok(sn) || n != have)
		return -1;
	for (struct mixer_source *s = m->sources; s; s = s->next)
		if (source_load(s, sn) < 0)
			return -1;
	m->emitted = emitted;
	m->keep_from = now;
	if (m->timer)
		timer_mod(m->timer, when != CLOCK_NEVER ? when : clock_now(m->clk) + BLOCK_PS);
	return 0;
}
