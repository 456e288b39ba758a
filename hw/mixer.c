/* Sample ring and virtual-time mixing for hw/mixer.h. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#ifdef HAVE_SPEEXDSP
#include <speex/speex_resampler.h>
#endif

#include "hw/clock.h"
#include "hw/mixer.h"

#define BLOCK_PS (MIXER_BLOCK_MS * 1000ull * 1000 * 1000)
/* Sources that render in their own timer callbacks (the speaker's direct
 * writes) may be one block behind the present when the mixer runs, so the
 * timeline trails the present by two blocks; mixer_flush closes the gap. */
#define LAG_SAMPLES (2 * MIXER_BLOCK_MS * MIXER_RATE / 1000)
/* A source more than a second ahead of the timeline is pushing samples
 * that no clock asks for; its oldest are dropped. */
#define SOURCE_MAX MIXER_RATE

/* Samples waiting to be mixed; buf[0] belongs at timeline index base. */
struct fifo {
	int16_t *buf;
	size_t len, cap;
	uint64_t base;
};

struct mixer_source {
	struct mixer *m;
	struct mixer_source *next;
	const char *name;
	uint32_t rate;
	int gain;
	void (*update)(void *opaque);
	void *opaque;
	struct fifo out;	/* at MIXER_RATE, ahead of the timeline */
#ifdef HAVE_SPEEXDSP
	SpeexResamplerState *rs;
#endif
	uint64_t phase;		/* linear: input position, 32.32 */
	int16_t prev, cur;	/* linear: the two samples around phase */
	bool primed;
};

struct mixer {
	int16_t *buf;
	size_t cap, head, count;
	uint64_t dropped;
	/* clocked mode */
	struct clock *clk;
	struct timer *timer;
	uint64_t emitted;	/* absolute index of the next sample to mix */
	struct fifo direct;	/* mixer_write() in clocked mode */
	struct mixer_source *sources;
	int32_t acc[1024];
};

static uint64_t samples_at(uint64_t ps)
{
	return ps / CLOCK_PS_PER_SEC * MIXER_RATE +
	       ps % CLOCK_PS_PER_SEC * MIXER_RATE / CLOCK_PS_PER_SEC;
}

struct mixer *mixer_new(size_t capacity)
{
	if (capacity == 0)
		return NULL;
	struct mixer *m = calloc(1, sizeof(*m));
	if (!m)
		return NULL;
	m->buf = calloc(capacity, sizeof(*m->buf));
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

/* Clocked mode: doubles the ring (in order) rather than lose samples. */
static bool ring_grow(struct mixer *m)
{
	if (!m->clk || m->cap >= MIXER_MAX_RING)
		return false;
	size_t ncap = m->cap * 2;
	int16_t *nb = malloc(ncap * sizeof(*nb));
	if (!nb)
		return false;
	for (size_t i = 0; i < m->count; i++)
		nb[i] = m->buf[(m->head + i) % m->cap];
	free(m->buf);
	m->buf = nb;
	m->cap = ncap;
	m->head = 0;
	return true;
}

static void ring_put(struct mixer *m, const int16_t *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (m->count == m->cap && !ring_grow(m)) {
			m->head = (m->head + 1) % m->cap;
			m->count--;
			m->dropped++;
		}
		m->buf[(m->head + m->count) % m->cap] = s[i];
		m->count++;
	}
}

static void fifo_put(struct fifo *f, const int16_t *s, size_t n)
{
	if (!n)
		return;
	if (f->len + n > f->cap) {
		size_t ncap = f->cap ? f->cap : 1024;
		while (ncap < f->len + n)
			ncap *= 2;
		int16_t *nb = realloc(f->buf, ncap * sizeof(*nb));
		if (!nb)
			return;
		f->buf = nb;
		f->cap = ncap;
	}
	memcpy(f->buf + f->len, s, n * sizeof(*s));
	f->len += n;
}

static void fifo_drop(struct fifo *f, size_t n)
{
	if (n > f->len)
		n = f->len;
	if (!n)
		return;
	memmove(f->buf, f->buf + n, (f->len - n) * sizeof(*f->buf));
	f->len -= n;
}

void mixer_write(struct mixer *m, const int16_t *s, size_t n)
{
	if (m->clk) {
		fifo_put(&m->direct, s, n);
		if (m->direct.len > SOURCE_MAX) {
			m->direct.base += m->direct.len - SOURCE_MAX;
			fifo_drop(&m->direct, m->direct.len - SOURCE_MAX);
		}
		return;
	}
	ring_put(m, s, n);
}

size_t mixer_read(struct mixer *m, int16_t *out, size_t n)
{
	size_t k = n < m->count ? n : m->count;
	for (size_t i = 0; i < k; i++)
		out[i] = m->buf[(m->head + i) % m->cap];
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

/* Adds what f holds for the timeline samples [e, e + n) to acc. */
static void add_fifo(int32_t *acc, struct fifo *f, uint64_t e, size_t n, int gain)
{
	if (f->base < e) {
		/* Late samples (their time has been mixed already) are lost. */
		uint64_t late = e - f->base;
		size_t d = late < f->len ? (size_t)late : f->len;
		fifo_drop(f, d);
		f->base = e;
	}
	if (f->base < e + n) {
		size_t off = (size_t)(f->base - e);
		size_t k = n - off < f->len ? n - off : f->len;
		for (size_t i = 0; i < k; i++)
			acc[off + i] += f->buf[i] * gain / 256;
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
		size_t n = sizeof(m->acc) / sizeof(m->acc[0]);
		if (target - m->emitted < n)
			n = (size_t)(target - m->emitted);
		memset(m->acc, 0, n * sizeof(m->acc[0]));
		add_fifo(m->acc, &m->direct, m->emitted, n, 256);
		for (struct mixer_source *s = m->sources; s; s = s->next)
			add_fifo(m->acc, &s->out, m->emitted, n, 256);
		int16_t out[sizeof(m->acc) / sizeof(m->acc[0])];
		for (size_t i = 0; i < n; i++) {
			int32_t v = m->acc[i];
			out[i] = (int16_t)(v > 32767 ? 32767 : v < -32768 ? -32768 : v);
		}
		ring_put(m, out, n);
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

void mixer_set_clock(struct mixer *m, struct clock *clk)
{
	if (m->timer) {
		timer_free(m->timer);
		m->timer = NULL;
	}
	m->clk = clk;
	if (!clk)
		return;
	m->emitted = samples_at(clock_now(clk));
	m->direct.base = m->emitted;
	for (struct mixer_source *s = m->sources; s; s = s->next)
		s->out.base = m->emitted;
	m->timer = timer_new(clk, block_cb, m);
	if (m->timer)
		timer_mod(m->timer, clock_now(clk) + BLOCK_PS);
}

void mixer_flush(struct mixer *m)
{
	if (m && m->clk)
		mix_to(m, samples_at(clock_now(m->clk)));
}

/* --- sources and resampling ---------------------------------------------- */

const char *mixer_resampler_name(void)
{
#ifdef HAVE_SPEEXDSP
	return "speexdsp";
#else
	return "linear";
#endif
}

static void rs_setup(struct mixer_source *s)
{
#ifdef HAVE_SPEEXDSP
	if (s->rate == MIXER_RATE)
		return;
	if (s->rs) {
		speex_resampler_set_rate(s->rs, s->rate, MIXER_RATE);
		return;
	}
	int err = 0;
	s->rs = speex_resampler_init(1, s->rate, MIXER_RATE, SPEEX_RESAMPLER_QUALITY_DEFAULT,
				     &err);
	if (s->rs)
		speex_resampler_skip_zeros(s->rs);
#else
	(void)s;
#endif
}

struct mixer_source *mixer_source_new(struct mixer *m, const char *name, uint32_t rate,
				      void (*update)(void *opaque), void *opaque)
{
	struct mixer_source *s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	s->m = m;
	s->name = name;
	s->rate = rate ? rate : MIXER_RATE;
	s->gain = 256;
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
#ifdef HAVE_SPEEXDSP
	if (s->rs)
		speex_resampler_destroy(s->rs);
#endif
	free(s->out.buf);
	free(s);
}

void mixer_source_start(struct mixer_source *s)
{
	if (!s->m->clk)
		return;
	uint64_t now = samples_at(clock_now(s->m->clk));
	struct fifo *f = &s->out;
	if (!f->len) {
		if (f->base < now)
			f->base = now;
		return;
	}
	/* Still playing what came before: the gap since then is silence. */
	static const int16_t zero[256];
	while (f->base + f->len < now && f->len < SOURCE_MAX) {
		uint64_t gap = now - (f->base + f->len);
		fifo_put(f, zero, gap < 256 ? (size_t)gap : 256);
	}
}

void mixer_source_set_rate(struct mixer_source *s, uint32_t rate)
{
	if (!rate || rate == s->rate)
		return;
	s->rate = rate;
	rs_setup(s);
}

void mixer_source_set_gain(struct mixer_source *s, int gain)
{
	s->gain = gain < 0 ? 0 : gain > 1024 ? 1024 : gain;
}

static void put_scaled(struct mixer_source *s, const int16_t *x, size_t n);

/* Linear interpolation: output sample j sits at input position j*in/out. */
static void linear_push(struct mixer_source *s, const int16_t *x, size_t n)
{
	uint64_t step = ((uint64_t)s->rate << 32) / MIXER_RATE;
	int16_t out[256];
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		s->prev = s->primed ? s->cur : x[i];
		s->cur = x[i];
		s->primed = true;
		/* phase counts from the previous sample to this one. */
		while (s->phase < (1ull << 32)) {
			int64_t f = (int64_t)(s->phase & 0xffffffffu);
			out[k++] = (int16_t)(s->prev + (((s->cur - s->prev) * f) >> 32));
			s->phase += step;
			if (k == 256) {
				put_scaled(s, out, k);
				k = 0;
			}
		}
		s->phase -= 1ull << 32;
	}
	put_scaled(s, out, k);
}

/* Appends resampler output, scaled by the source's gain as it stands now:
 * a volume change applies from the moment it is made, not to samples
 * already rendered. */
static void put_scaled(struct mixer_source *s, const int16_t *x, size_t n)
{
	if (s->gain == 256) {
		fifo_put(&s->out, x, n);
		return;
	}
	int16_t tmp[256];
	while (n) {
		size_t k = n < 256 ? n : 256;
		for (size_t i = 0; i < k; i++) {
			int32_t v = x[i] * s->gain / 256;
			tmp[i] = (int16_t)(v > 32767 ? 32767 : v < -32768 ? -32768 : v);
		}
		fifo_put(&s->out, tmp, k);
		x += k;
		n -= k;
	}
}

void mixer_source_push(struct mixer_source *s, const int16_t *x, size_t n)
{
	if (s->rate == MIXER_RATE) {
		put_scaled(s, x, n);
		return;
	}
#ifdef HAVE_SPEEXDSP
	if (s->rs) {
		int16_t out[1024];
		while (n > 0) {
			spx_uint32_t in_len = n > 256 ? 256 : (spx_uint32_t)n;
			spx_uint32_t out_len = sizeof(out) / sizeof(out[0]);
			speex_resampler_process_int(s->rs, 0, x, &in_len, out, &out_len);
			put_scaled(s, out, out_len);
			if (in_len == 0 && out_len == 0)
				break;
			x += in_len;
			n -= in_len;
		}
		return;
	}
#endif
	linear_push(s, x, n);
}
