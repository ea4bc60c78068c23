/*
 * A deterministic test engine behind lthn_engine.h, for Linux CI: it "generates" a reproducible
 * token sequence from the prompt. Behaviour is steered by the model path's file contents:
 *   fail_after=N   native error after N tokens
 *   stall_after=N  after N tokens, wait (checking cancel every millisecond) until cancelled
 *   tokens=N       default number of tokens (max_tokens overrides when > 0)
 * It counts live handles and buffers so tests can prove nothing leaks.
 */
#include "lthn_engine.h"
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static atomic_long live;

struct lthn_model {
    int fail_after, stall_after, tokens;
};

static void *counted_malloc(size_t n) { void *p = malloc(n); if (p) atomic_fetch_add(&live, 1); return p; }
static void counted_free(void *p) { if (p) { atomic_fetch_sub(&live, 1); free(p); } }
static int64_t now_nanos(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec; }

int lthn_load(const char *path, const lthn_load_opts *opts, lthn_model **out, char *err, int errlen) {
    (void)opts;
    FILE *f = fopen(path, "r");
    if (!f) { snprintf(err, errlen, "test engine: cannot open model %s", path); return -1; }
    lthn_model *m = counted_malloc(sizeof *m);
    if (!m) { fclose(f); snprintf(err, errlen, "test engine: out of memory"); return -2; }
    m->fail_after = -1; m->stall_after = -1; m->tokens = 16;
    char line[128];
    while (fgets(line, sizeof line, f)) {
        sscanf(line, "fail_after=%d", &m->fail_after);
        sscanf(line, "stall_after=%d", &m->stall_after);
        sscanf(line, "tokens=%d", &m->tokens);
    }
    fclose(f);
    *out = m;
    return 0;
}

int lthn_info(lthn_model *m, lthn_model_info *out) {
    (void)m;
    memset(out, 0, sizeof *out);
    snprintf(out->architecture, sizeof out->architecture, "lthn-test");
    out->vocab_size = 1000; out->num_layers = 2; out->hidden_size = 64; out->quant_bits = 0; out->context_length = 4096;
    return 0;
}

static uint32_t hash_str(const char *s) { uint32_t h = 2166136261u; while (*s) { h ^= (unsigned char)*s++; h *= 16777619u; } return h; }

int lthn_tokenize(lthn_model *m, const char *text, int32_t *ids, int capacity) {
    (void)m;
    int n = 0; const char *p = text;
    while (*p) {
        while (*p == ' ') p++;
        if (!*p) break;
        const char *s = p; uint32_t h = 2166136261u;
        while (*p && *p != ' ') { h ^= (unsigned char)*p++; h *= 16777619u; }
        (void)s;
        if (n < capacity) ids[n] = (int32_t)(h % 1000);
        n++;
    }
    return n;
}

int lthn_generate(lthn_model *m, const char *prompt, const lthn_gen_opts *opts, volatile int32_t *cancel,
                  lthn_token_cb cb, void *user, lthn_metrics *metrics, char *err, int errlen) {
    int64_t t0 = now_nanos();
    int prompt_tokens = lthn_tokenize(m, prompt, NULL, 0);
    char *buf = counted_malloc(32);
    if (!buf) { snprintf(err, errlen, "test engine: out of memory"); return -2; }
    int64_t t1 = now_nanos();
    int limit = opts && opts->max_tokens > 0 ? opts->max_tokens : m->tokens;
    uint32_t state = hash_str(prompt);
    int produced = 0, rc = 0;
    for (int i = 0; i < limit; i++) {
        if (*cancel) { rc = 1; break; }
        if (m->fail_after >= 0 && i == m->fail_after) {
            snprintf(err, errlen, "test engine: injected failure after %d tokens", i); rc = -3; break;
        }
        if (m->stall_after >= 0 && i == m->stall_after) {
            struct timespec ms = {0, 1000000};
            while (!*cancel) nanosleep(&ms, NULL);
            rc = 1; break;
        }
        state = state * 1664525u + 1013904223u;
        int id = (int)(state % 1000);
        int len = snprintf(buf, 32, "%st%d", i == 0 ? "" : " ", id);
        produced++;
        if (cb(user, id, buf, len) != 0) { rc = 1; break; }
    }
    counted_free(buf);
    if (metrics) {
        metrics->prompt_tokens = prompt_tokens; metrics->generated_tokens = produced;
        metrics->prefill_nanos = t1 - t0; metrics->decode_nanos = now_nanos() - t1;
        metrics->peak_memory_bytes = 32 + (int64_t)sizeof(lthn_model);
    }
    return rc;
}

int lthn_set_limits(int64_t cache_limit_bytes, int64_t memory_limit_bytes) {
    return cache_limit_bytes < 0 || memory_limit_bytes < 0 ? -1 : 0;
}

void lthn_free(lthn_model *m) { counted_free(m); }

int64_t lthn_live_objects(void) { return atomic_load(&live); }
