/*
 * A deterministic test engine behind lthn_engine.h, for Linux CI: it "generates" a reproducible
 * token sequence from the prompt. Behaviour is steered by the model path's file contents:
 *   fail_after=N   native error after N tokens
 *   stall_after=N  after N tokens, wait (checking cancel every millisecond) until cancelled
 *   tokens=N       default number of tokens (max_tokens overrides when > 0)
 * It counts live handles and generations so tests can prove nothing leaks.
 */
#include "lthn_engine.h"
#include "lthn_push.h"
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

/* " t<id>" (no space for the first token), by hand: snprintf alone cost ~100 ns a token, which
   would hide the JNI overhead NativeTokenBench measures. */
static int format_token(char *out, int first, int id) {
    int n = 0;
    if (!first) out[n++] = ' ';
    out[n++] = 't';
    if (id >= 100) out[n++] = (char)('0' + id / 100);
    if (id >= 10) out[n++] = (char)('0' + id / 10 % 10);
    out[n++] = (char)('0' + id % 10);
    return n;
}

struct lthn_gen {
    lthn_model *m;
    volatile int32_t *cancel;
    int limit, i, produced, prompt_tokens, state;
    uint32_t rng;
    int64_t t0, t1;
    char err[256];
};

int lthn_gen_start(lthn_model *m, const char *prompt, const lthn_gen_opts *opts, volatile int32_t *cancel,
                   lthn_gen **out, char *err, int errlen) {
    lthn_gen *g = counted_malloc(sizeof *g);
    if (!g) { snprintf(err, errlen, "test engine: out of memory"); return -2; }
    memset(g, 0, sizeof *g);
    g->t0 = now_nanos();
    g->m = m; g->cancel = cancel;
    g->prompt_tokens = lthn_tokenize(m, prompt, NULL, 0);
    g->limit = opts && opts->max_tokens > 0 ? opts->max_tokens : m->tokens;
    g->rng = hash_str(prompt);
    g->state = LTHN_RUNNING;
    g->t1 = now_nanos();
    *out = g;
    return 0;
}

static int end_with(lthn_gen *g, int state, int32_t *out_state, char *err, int errlen) {
    g->state = state;
    *out_state = state;
    if (state < 0) snprintf(err, errlen, "%s", g->err);
    return state;
}

int lthn_gen_step(lthn_gen *g, int32_t *ids, int32_t *ends, int max, char *text, int text_cap, int32_t *state,
                  char *err, int errlen) {
    if (g->state != LTHN_RUNNING) { end_with(g, g->state, state, err, errlen); return 0; }
    int n = 0, used = 0;
    *state = LTHN_RUNNING;
    while (n < max) {
        if (g->i >= g->limit) { end_with(g, LTHN_DONE, state, err, errlen); break; }
        if (*g->cancel) { end_with(g, LTHN_CANCELLED, state, err, errlen); break; }
        if (g->m->fail_after >= 0 && g->i == g->m->fail_after) {
            snprintf(g->err, sizeof g->err, "test engine: injected failure after %d tokens", g->i);
            end_with(g, -3, state, err, errlen); break;
        }
        if (g->m->stall_after >= 0 && g->i == g->m->stall_after) {
            if (n > 0) break; /* hand over what we hold before waiting */
            struct timespec ms = {0, 1000000};
            while (!*g->cancel) nanosleep(&ms, NULL);
            end_with(g, LTHN_CANCELLED, state, err, errlen); break;
        }
        char piece[8];
        uint32_t next = g->rng * 1664525u + 1013904223u;
        int id = (int)(next % 1000);
        int len = format_token(piece, g->i == 0, id);
        if (used + len > text_cap) {
            if (n > 0) break; /* the next step has room */
            snprintf(g->err, sizeof g->err, "test engine: token of %d bytes exceeds the %d-byte text buffer", len, text_cap);
            end_with(g, -4, state, err, errlen); break;
        }
        g->rng = next;
        memcpy(text + used, piece, (size_t)len);
        used += len;
        ids[n] = id; ends[n] = used; n++;
        g->i++; g->produced++;
    }
    return n;
}

void lthn_gen_finish(lthn_gen *g, lthn_metrics *metrics) {
    if (metrics) {
        metrics->prompt_tokens = g->prompt_tokens; metrics->generated_tokens = g->produced;
        metrics->prefill_nanos = g->t1 - g->t0; metrics->decode_nanos = now_nanos() - g->t1;
        metrics->peak_memory_bytes = (int64_t)sizeof *g + (int64_t)sizeof(lthn_model);
    }
    counted_free(g);
}

/* The push form over the pull form, one token per step. */
int lthn_generate(lthn_model *m, const char *prompt, const lthn_gen_opts *opts, volatile int32_t *cancel,
                  lthn_token_cb cb, void *user, lthn_metrics *metrics, char *err, int errlen) {
    return lthn_generate_by_steps(m, prompt, opts, cancel, cb, user, metrics, err, errlen);
}

int lthn_set_limits(int64_t cache_limit_bytes, int64_t memory_limit_bytes) {
    return cache_limit_bytes < 0 || memory_limit_bytes < 0 ? -1 : 0;
}

void lthn_free(lthn_model *m) { counted_free(m); }

int64_t lthn_live_objects(void) { return atomic_load(&live); }
