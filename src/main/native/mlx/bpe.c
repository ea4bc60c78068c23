/* Byte-level BPE over tokenizer.json; see bpe.h. */
#include "bpe.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- a string -> int32 hash map (open addressing, owned keys) ---- */
typedef struct {
    char **keys;
    int32_t *vals;
    size_t cap, n;
} smap;

static uint64_t hash_bytes(const char *s, size_t len) {
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < len; i++) { h ^= (unsigned char)s[i]; h *= 1099511628211ull; }
    return h;
}

static int smap_grow(smap *m) {
    size_t cap = m->cap ? m->cap * 2 : 1024;
    char **keys = calloc(cap, sizeof *keys);
    int32_t *vals = calloc(cap, sizeof *vals);
    if (!keys || !vals) { free(keys); free(vals); return -1; }
    for (size_t i = 0; i < m->cap; i++) {
        if (!m->keys[i]) continue;
        size_t j = hash_bytes(m->keys[i], strlen(m->keys[i])) & (cap - 1);
        while (keys[j]) j = (j + 1) & (cap - 1);
        keys[j] = m->keys[i]; vals[j] = m->vals[i];
    }
    free(m->keys); free(m->vals);
    m->keys = keys; m->vals = vals; m->cap = cap;
    return 0;
}

/* Inserts a copy of key[0..len) unless present; 0 ok, -1 out of memory. */
static int smap_put(smap *m, const char *key, size_t len, int32_t val) {
    if ((m->n + 1) * 2 > m->cap && smap_grow(m) != 0) return -1;
    size_t j = hash_bytes(key, len) & (m->cap - 1);
    while (m->keys[j]) {
        if (strlen(m->keys[j]) == len && memcmp(m->keys[j], key, len) == 0) return 0;
        j = (j + 1) & (m->cap - 1);
    }
    char *k = malloc(len + 1);
    if (!k) return -1;
    memcpy(k, key, len); k[len] = 0;
    m->keys[j] = k; m->vals[j] = val; m->n++;
    return 0;
}

static int32_t smap_get(const smap *m, const char *key, size_t len) {
    if (!m->cap) return -1;
    size_t j = hash_bytes(key, len) & (m->cap - 1);
    while (m->keys[j]) {
        if (strlen(m->keys[j]) == len && memcmp(m->keys[j], key, len) == 0) return m->vals[j];
        j = (j + 1) & (m->cap - 1);
    }
    return -1;
}

static void smap_free(smap *m) {
    for (size_t i = 0; i < m->cap; i++) free(m->keys[i]);
    free(m->keys); free(m->vals);
}

/* ---- just enough JSON ---- */
static const char *ws(const char *p, const char *end) {
    while (p < end && (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t')) p++;
    return p;
}

static int put_utf8(char *out, unsigned cp) {
    if (cp < 0x80) { out[0] = (char)cp; return 1; }
    if (cp < 0x800) { out[0] = (char)(0xC0 | cp >> 6); out[1] = (char)(0x80 | (cp & 63)); return 2; }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | cp >> 12); out[1] = (char)(0x80 | ((cp >> 6) & 63)); out[2] = (char)(0x80 | (cp & 63));
        return 3;
    }
    out[0] = (char)(0xF0 | cp >> 18); out[1] = (char)(0x80 | ((cp >> 12) & 63));
    out[2] = (char)(0x80 | ((cp >> 6) & 63)); out[3] = (char)(0x80 | (cp & 63));
    return 4;
}

static unsigned hex4(const char *p) {
    unsigned v = 0;
    for (int i = 0; i < 4; i++) {
        char c = p[i];
        v = v * 16 + (unsigned)(c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : 0);
    }
    return v;
}

/* Decodes the string at p (on its opening quote) into out (cap bytes); returns the position after
   it, or NULL when malformed or too long. *len gets the decoded length. */
static const char *jstring(const char *p, const char *end, char *out, size_t cap, size_t *len) {
    if (p >= end || *p != '"') return NULL;
    size_t n = 0;
    for (p++; p < end && *p != '"'; p++) {
        if (n + 4 >= cap) return NULL;
        if (*p != '\\') { out[n++] = *p; continue; }
        if (++p >= end) return NULL;
        switch (*p) {
        case 'n': out[n++] = '\n'; break;
        case 't': out[n++] = '\t'; break;
        case 'r': out[n++] = '\r'; break;
        case 'b': out[n++] = '\b'; break;
        case 'f': out[n++] = '\f'; break;
        case 'u': {
            if (end - p < 5) return NULL;
            unsigned cp = hex4(p + 1); p += 4;
            if (cp >= 0xD800 && cp < 0xDC00 && end - p >= 7 && p[1] == '\\' && p[2] == 'u') {
                unsigned lo = hex4(p + 3);
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00); p += 6;
            }
            n += (size_t)put_utf8(out + n, cp);
            break;
        }
        default: out[n++] = *p;
        }
    }
    if (p >= end) return NULL;
    out[n] = 0; *len = n;
    return p + 1;
}

/* Skips one value; returns the position after it, or NULL. */
static const char *jskip(const char *p, const char *end) {
    p = ws(p, end);
    if (p >= end) return NULL;
    if (*p == '"') {
        for (p++; p < end && *p != '"'; p++) if (*p == '\\') p++;
        return p < end ? p + 1 : NULL;
    }
    if (*p == '{' || *p == '[') {
        int depth = 0;
        for (; p < end; p++) {
            if (*p == '"') { p = jskip(p, end); if (!p) return NULL; p--; continue; }
            if (*p == '{' || *p == '[') depth++;
            else if (*p == '}' || *p == ']') { if (--depth == 0) return p + 1; }
        }
        return NULL;
    }
    while (p < end && *p != ',' && *p != '}' && *p != ']' && *p != ' ' && *p != '\n') p++;
    return p;
}

/* In the object at p (on '{'), the value of key, or NULL. */
static const char *jfield(const char *p, const char *end, const char *key) {
    char k[256]; size_t kl;
    p = ws(p, end);
    if (p >= end || *p != '{') return NULL;
    p = ws(p + 1, end);
    while (p < end && *p == '"') {
        const char *q = jstring(p, end, k, sizeof k, &kl);
        if (!q) { q = jskip(p, end); k[0] = 0; } /* a key too long to be ours */
        if (!q) return NULL;
        q = ws(q, end);
        if (q >= end || *q != ':') return NULL;
        q = ws(q + 1, end);
        if (strcmp(k, key) == 0) return q;
        q = jskip(q, end);
        if (!q) return NULL;
        q = ws(q, end);
        if (q < end && *q == ',') q = ws(q + 1, end);
        p = q;
    }
    return NULL;
}

/* ---- the tokenizer ---- */
struct bpe {
    smap vocab;   /* byte-level token text -> id */
    smap merges;  /* "left right" -> rank */
    smap added;   /* added token content -> id */
    char **by_id; /* id -> byte-level text (vocab) or content (added) */
    unsigned char *special; /* id -> 1 for special added tokens */
    int32_t n_ids;
    unsigned byte_enc[256];  /* byte -> code point */
    int16_t byte_dec[512];   /* code point -> byte, -1 if none */
    size_t max_added;        /* longest added content */
};

static void init_bytes(bpe *t) {
    int n = 0;
    for (int i = 0; i < 512; i++) t->byte_dec[i] = -1;
    for (int b = 0; b < 256; b++) {
        int keep = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
        t->byte_enc[b] = keep ? (unsigned)b : 256u + (unsigned)n++;
        t->byte_dec[t->byte_enc[b]] = (int16_t)b;
    }
}

static int set_id(bpe *t, int32_t id, const char *s, size_t len, int special) {
    if (id < 0 || id > 10000000) return -1;
    if (id >= t->n_ids) {
        int32_t n = id + 1024;
        char **b = realloc(t->by_id, (size_t)n * sizeof *b);
        if (!b) return -1;
        t->by_id = b;
        unsigned char *sp = realloc(t->special, (size_t)n);
        if (!sp) return -1;
        t->special = sp;
        memset(t->by_id + t->n_ids, 0, (size_t)(n - t->n_ids) * sizeof *b);
        memset(t->special + t->n_ids, 0, (size_t)(n - t->n_ids));
        t->n_ids = n;
    }
    free(t->by_id[id]);
    t->by_id[id] = malloc(len + 1);
    if (!t->by_id[id]) return -1;
    memcpy(t->by_id[id], s, len); t->by_id[id][len] = 0;
    t->special[id] = (unsigned char)special;
    return 0;
}

#define FAIL(...) do { snprintf(err, errlen, __VA_ARGS__); bpe_free(t); return NULL; } while (0)

bpe *bpe_load(const char *json, size_t len, char *err, int errlen) {
    const char *end = json + len;
    bpe *t = calloc(1, sizeof *t);
    if (!t) { snprintf(err, errlen, "out of memory"); return NULL; }
    init_bytes(t);
    char s[1024], a[512]; size_t sl;
    const char *model = jfield(json, end, "model");
    if (!model) FAIL("tokenizer.json has no \"model\"");
    const char *type = jfield(model, end, "type");
    if (!type || !jstring(type, end, s, sizeof s, &sl) || strcmp(s, "BPE") != 0)
        FAIL("tokenizer.json: only byte-level BPE tokenizers are supported by this engine");
    const char *pre = jfield(json, end, "pre_tokenizer");
    const char *pre_end = pre ? jskip(pre, end) : NULL;
    if (!pre || !pre_end || !memmem(pre, (size_t)(pre_end - pre), "ByteLevel", 9))
        FAIL("tokenizer.json: not a ByteLevel pre-tokenizer (e.g. SentencePiece); unsupported by this engine");
    const char *p = jfield(model, end, "vocab");
    if (!p || *p != '{') FAIL("tokenizer.json: model.vocab is not an object");
    for (p = ws(p + 1, end); p < end && *p == '"';) {
        p = jstring(p, end, s, sizeof s, &sl);
        if (!p) FAIL("tokenizer.json: bad vocab entry");
        p = ws(p, end);
        if (p >= end || *p != ':') FAIL("tokenizer.json: bad vocab entry");
        long id = strtol(p + 1, (char **)&p, 10);
        if (smap_put(&t->vocab, s, sl, (int32_t)id) != 0 || set_id(t, (int32_t)id, s, sl, 0) != 0)
            FAIL("tokenizer.json: vocab id %ld out of range or out of memory", id);
        p = ws(p, end);
        if (p < end && *p == ',') p = ws(p + 1, end);
    }
    p = jfield(model, end, "merges");
    if (!p || *p != '[') FAIL("tokenizer.json: model.merges is not an array");
    int32_t rank = 0;
    for (p = ws(p + 1, end); p < end && *p != ']'; rank++) {
        if (*p == '"') { /* "left right" */
            p = jstring(p, end, s, sizeof s, &sl);
        } else if (*p == '[') { /* ["left", "right"] */
            size_t al;
            p = jstring(ws(p + 1, end), end, a, sizeof a, &al);
            if (p) p = ws(p, end);
            if (p && *p == ',') p = jstring(ws(p + 1, end), end, s + al + 1, sizeof s - al - 1, &sl);
            if (p) { memcpy(s, a, al); s[al] = ' '; sl += al + 1; p = ws(p, end); p = (*p == ']') ? p + 1 : NULL; }
        } else p = NULL;
        if (!p) FAIL("tokenizer.json: bad merge %d", rank);
        if (smap_put(&t->merges, s, sl, rank) != 0) FAIL("out of memory");
        p = ws(p, end);
        if (p < end && *p == ',') p = ws(p + 1, end);
    }
    p = jfield(json, end, "added_tokens");
    if (p && *p == '[') {
        for (p = ws(p + 1, end); p < end && *p == '{';) {
            const char *obj_end = jskip(p, end);
            const char *idp = jfield(p, end, "id"), *cp = jfield(p, end, "content"), *spp = jfield(p, end, "special");
            if (!obj_end || !idp || !cp || !jstring(cp, end, s, sizeof s, &sl)) FAIL("tokenizer.json: bad added token");
            int32_t id = (int32_t)strtol(idp, NULL, 10);
            int special = spp && strncmp(spp, "true", 4) == 0;
            if (smap_put(&t->added, s, sl, id) != 0 || set_id(t, id, s, sl, special) != 0) FAIL("out of memory");
            if (sl > t->max_added) t->max_added = sl;
            p = ws(obj_end, end);
            if (p < end && *p == ',') p = ws(p + 1, end);
        }
    }
    if (t->vocab.n == 0) FAIL("tokenizer.json: empty vocab");
    return t;
}

void bpe_free(bpe *t) {
    if (!t) return;
    smap_free(&t->vocab); smap_free(&t->merges); smap_free(&t->added);
    for (int32_t i = 0; i < t->n_ids; i++) free(t->by_id[i]);
    free(t->by_id); free(t->special); free(t);
}

int32_t bpe_lookup(const bpe *t, const char *content) {
    int32_t id = smap_get(&t->added, content, strlen(content));
    return id >= 0 ? id : smap_get(&t->vocab, content, strlen(content));
}

int32_t bpe_vocab_size(const bpe *t) {
    int32_t n = 0;
    for (int32_t i = 0; i < t->n_ids; i++) if (t->by_id[i]) n = i + 1;
    return n;
}

static int utf8_len(unsigned char c) { return c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4; }

static unsigned utf8_cp(const char *s, int *n) {
    const unsigned char *u = (const unsigned char *)s;
    *n = utf8_len(u[0]);
    if (*n == 1) return u[0];
    if (*n == 2) return (unsigned)(u[0] & 31) << 6 | (u[1] & 63);
    if (*n == 3) return (unsigned)(u[0] & 15) << 12 | (unsigned)(u[1] & 63) << 6 | (u[2] & 63);
    return (unsigned)(u[0] & 7) << 18 | (unsigned)(u[1] & 63) << 12 | (unsigned)(u[2] & 63) << 6 | (u[3] & 63);
}

/* BPE over one pre-token (raw bytes); appends ids. */
static int encode_piece(const bpe *t, const char *raw, size_t len, int32_t *ids, int capacity, int n) {
    /* symbols: byte-level text, each starting as one mapped byte (1-2 UTF-8 bytes) */
    size_t cap = len * 2 + 1;
    char *buf = malloc(cap);
    size_t *start = malloc((len + 1) * sizeof *start), *slen = malloc((len + 1) * sizeof *slen);
    char *key = malloc(cap + 1);
    if (!buf || !start || !slen || !key) { free(buf); free(start); free(slen); free(key); return n; }
    size_t used = 0, ns = 0;
    for (size_t i = 0; i < len; i++) {
        start[ns] = used;
        slen[ns] = (size_t)put_utf8(buf + used, t->byte_enc[(unsigned char)raw[i]]);
        used += slen[ns++];
    }
    /* symbols stay contiguous in buf: merging i and i+1 just widens symbol i */
    for (;;) {
        int32_t best = -1; size_t at = 0;
        for (size_t i = 0; i + 1 < ns; i++) {
            memcpy(key, buf + start[i], slen[i]); key[slen[i]] = ' ';
            memcpy(key + slen[i] + 1, buf + start[i + 1], slen[i + 1]);
            int32_t r = smap_get(&t->merges, key, slen[i] + 1 + slen[i + 1]);
            if (r >= 0 && (best < 0 || r < best)) { best = r; at = i; }
        }
        if (best < 0) break;
        slen[at] += slen[at + 1];
        memmove(start + at + 1, start + at + 2, (ns - at - 2) * sizeof *start);
        memmove(slen + at + 1, slen + at + 2, (ns - at - 2) * sizeof *slen);
        ns--;
    }
    for (size_t i = 0; i < ns; i++) {
        int32_t id = smap_get(&t->vocab, buf + start[i], slen[i]);
        if (id < 0) continue; /* byte-level vocabularies cover every byte; nothing to emit otherwise */
        if (n < capacity) ids[n] = id;
        n++;
    }
    free(buf); free(start); free(slen); free(key);
    return n;
}

static int cls(unsigned char c) { /* 0 space, 1 letter, 2 digit, 3 other */
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') return 0;
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80) return 1;
    if (c >= '0' && c <= '9') return 2;
    return 3;
}

static int encode_plain(const bpe *t, const char *s, size_t len, int32_t *ids, int capacity, int n) {
    size_t i = 0;
    while (i < len) {
        size_t j = i;
        if (s[j] == ' ' && j + 1 < len && cls((unsigned char)s[j + 1]) != 0) j++; /* " word" */
        int c = cls((unsigned char)s[j]);
        if (c == 0) { /* a whitespace run, leaving a last space to lead the next word */
            while (j < len && cls((unsigned char)s[j]) == 0) j++;
            if (j < len && j - i > 1 && s[j - 1] == ' ') j--;
        } else {
            while (j < len && cls((unsigned char)s[j]) == c) j++;
        }
        n = encode_piece(t, s + i, j - i, ids, capacity, n);
        i = j;
    }
    return n;
}

int bpe_encode(const bpe *t, const char *text, int32_t *ids, int capacity) {
    size_t len = strlen(text), from = 0, i = 0;
    int n = 0;
    while (i < len) {
        int32_t id = -1; size_t m = 0;
        if (t->max_added && (text[i] == '<' || text[i] == '[')) {
            for (size_t l = t->max_added; l >= 1 && id < 0; l--)
                if (i + l <= len && (id = smap_get(&t->added, text + i, l)) >= 0) m = l;
        }
        if (id < 0) { i++; continue; }
        n = encode_plain(t, text + from, i - from, ids, capacity, n);
        if (n < capacity) ids[n] = id;
        n++;
        i += m; from = i;
    }
    return encode_plain(t, text + from, len - from, ids, capacity, n);
}

int bpe_decode(const bpe *t, int32_t id, char *out, int cap) {
    if (id < 0 || id >= t->n_ids || !t->by_id[id] || t->special[id]) return 0;
    const char *s = t->by_id[id];
    int n = 0;
    if (smap_get(&t->added, s, strlen(s)) == id) { /* a non-special added token: its content as is */
        size_t l = strlen(s);
        if ((int)l > cap) l = (size_t)cap;
        memcpy(out, s, l);
        return (int)l;
    }
    while (*s && n < cap) {
        int k;
        unsigned cp = utf8_cp(s, &k);
        s += k;
        out[n++] = (char)(cp < 512 && t->byte_dec[cp] >= 0 ? t->byte_dec[cp] : '?');
    }
    return n;
}
