/* Sample ring for hw/mixer.h. */
#include <stdlib.h>

#include "hw/mixer.h"

struct mixer {
	int16_t *buf;
	size_t cap, head, count;
	uint64_t dropped;
};

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
	free(m->buf);
	free(m);
}

void mixer_write(struct mixer *m, const int16_t *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (m->count == m->cap) {
			m->head = (m->head + 1) % m->cap;
			m->count--;
			m->dropped++;
		}
		m->buf[(m->head + m->count) % m->cap] = s[i];
		m->count++;
	}
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
