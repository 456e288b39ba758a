/* mksubset: copies the first N tests of every *.json.gz in SRC to DST
 * (same JSON shape, re-gzipped) together with metadata.json and LICENSE, so
 * a small vector set can live in the tree.  Run once by hand:
 *
 *   make vectors-subset VECTORS_SRC=/work/shared/vectors/8086
 */
#include <cjson/cJSON.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

static char *slurp_gz(const char *path, size_t *len)
{
	gzFile f = gzopen(path, "rb");
	size_t cap = 1 << 20, n = 0;
	char *buf = NULL;
	int r;

	if (!f)
		return NULL;
	buf = malloc(cap + 1);
	while (buf) {
		if (n == cap) {
			char *nb = realloc(buf, cap * 2 + 1);
			if (!nb)
				break;
			buf = nb;
			cap *= 2;
		}
		r = gzread(f, buf + n, (unsigned)(cap - n));
		if (r <= 0) {
			if (r < 0) {
				free(buf);
				buf = NULL;
			}
			break;
		}
		n += (size_t)r;
	}
	gzclose(f);
	if (buf) {
		buf[n] = 0;
		*len = n;
	}
	return buf;
}

static int copy_file(const char *src, const char *dst)
{
	FILE *in = fopen(src, "rb"), *out;
	char buf[65536];
	size_t n;
	int rc = 0;

	if (!in)
		return -errno;
	out = fopen(dst, "wb");
	if (!out) {
		fclose(in);
		return -errno;
	}
	while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
		if (fwrite(buf, 1, n, out) != n)
			rc = -EIO;
	fclose(in);
	if (fclose(out))
		rc = -EIO;
	return rc;
}

static int subset(const char *src, const char *dst, int keep)
{
	cJSON *root, *out;
	size_t len;
	char *text = slurp_gz(src, &len), *js;
	gzFile f;
	int n = 0, rc = 0;

	if (!text)
		return -EIO;
	root = cJSON_ParseWithLength(text, len);
	free(text);
	if (!cJSON_IsArray(root)) {
		cJSON_Delete(root);
		return -EINVAL;
	}
	out = cJSON_CreateArray();
	while (n < keep && cJSON_GetArraySize(root) > 0) {
		cJSON_AddItemToArray(out, cJSON_DetachItemFromArray(root, 0));
		n++;
	}
	js = cJSON_PrintUnformatted(out);
	f = gzopen(dst, "wb9");
	if (!js || !f || gzputs(f, js) < 0)
		rc = -EIO;
	if (f && gzclose(f) != Z_OK)
		rc = -EIO;
	free(js);
	cJSON_Delete(out);
	cJSON_Delete(root);
	return rc;
}

int main(int argc, char **argv)
{
	char sp[4096], dp[4096];
	struct dirent *de;
	int keep, files = 0;
	DIR *d;

	if (argc != 4 || (keep = atoi(argv[3])) <= 0) {
		fprintf(stderr, "usage: mksubset SRC DST N\n");
		return 2;
	}
	d = opendir(argv[1]);
	if (!d) {
		fprintf(stderr, "mksubset: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	while ((de = readdir(d))) {
		size_t n = strlen(de->d_name);
		if (n < 8 || strcmp(de->d_name + n - 8, ".json.gz"))
			continue;
		snprintf(sp, sizeof(sp), "%s/%s", argv[1], de->d_name);
		snprintf(dp, sizeof(dp), "%s/%s", argv[2], de->d_name);
		if (subset(sp, dp, keep)) {
			fprintf(stderr, "mksubset: %s: failed\n", sp);
			closedir(d);
			return 1;
		}
		files++;
	}
	closedir(d);
	for (int k = 0; k < 2; k++) {
		const char *name = k ? "LICENSE" : "metadata.json";
		snprintf(sp, sizeof(sp), "%s/%s", argv[1], name);
		snprintf(dp, sizeof(dp), "%s/%s", argv[2], name);
		if (copy_file(sp, dp)) {
			fprintf(stderr, "mksubset: cannot copy %s\n", sp);
			return 1;
		}
	}
	printf("mksubset: %d files, first %d tests each\n", files, keep);
	return 0;
}
