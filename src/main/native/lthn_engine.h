/*
 * The narrow C ABI every lthn-ml native engine implements (the MLX engine on macOS arm64, the
 * deterministic test engine on Linux). The JNI shim (lthn_jni.c) is written against this header
 * only, so the same shim links against either engine.
 *
 * Two ways to run a generation, both required:
 *  - pull (the default on the Java side): lthn_gen_start, then lthn_gen_step on the consumer's
 *    own thread, each call returning a batch of tokens, then lthn_gen_finish;
 *  - push: lthn_generate runs the whole loop and calls back per token (an engine may implement
 *    it as a loop over lthn_gen_step with max 1).
 *
 * Threading contract: a model handle may be used by several threads at once for generation;
 * the engine serialises what it must. One lthn_gen is used by one thread at a time (the Java
 * side serialises step and finish); only *cancel may be written from another thread at any
 * time. lthn_free must not race with a running generation: the Java side cancels, finishes
 * every generation and only then frees.
 */
#ifndef LTHN_ENGINE_H
#define LTHN_ENGINE_H
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct lthn_model lthn_model;

typedef struct {
    int64_t cache_limit_bytes;   /* 0 = engine default (16 GiB, as go-ml) */
    int64_t memory_limit_bytes;  /* 0 = engine default (24 GiB, as go-ml) */
} lthn_load_opts;

typedef struct {
    char architecture[64];
    int32_t vocab_size;
    int32_t num_layers;
    int32_t hidden_size;
    int32_t quant_bits;
    int32_t context_length;
} lthn_model_info;

typedef struct {
    int32_t max_tokens;
    float temperature;
    int32_t top_k;
    float top_p;
    float repeat_penalty;
} lthn_gen_opts;

typedef struct {
    int32_t prompt_tokens;
    int32_t generated_tokens;
    int64_t prefill_nanos;
    int64_t decode_nanos;
    int64_t peak_memory_bytes;
} lthn_metrics;

/* Return 0 to continue, non-zero to stop the generation. text is UTF-8, valid during the call. */
typedef int (*lthn_token_cb)(void *user, int32_t id, const char *text, int32_t len);

/* Results: 0 ok, 1 stopped by callback or cancel, negative = error (message in err). */
int lthn_load(const char *path, const lthn_load_opts *opts, lthn_model **out, char *err, int errlen);
int lthn_info(lthn_model *m, lthn_model_info *out);
int lthn_tokenize(lthn_model *m, const char *text, int32_t *ids, int capacity);
int lthn_generate(lthn_model *m, const char *prompt, const lthn_gen_opts *opts, volatile int32_t *cancel,
                  lthn_token_cb cb, void *user, lthn_metrics *metrics, char *err, int errlen);

typedef struct lthn_gen lthn_gen;

/* lthn_gen_step's *state after the call. */
#define LTHN_RUNNING 0   /* more tokens may follow: call lthn_gen_step again */
#define LTHN_DONE 1      /* ended normally (end of sequence or max_tokens) */
#define LTHN_CANCELLED 2 /* *cancel was seen (checked before every token) */
/* negative: failed, message in err */

/* Starts a generation (prefill may run here or in the first step). *cancel must stay valid until
   lthn_gen_finish. Returns 0 and *out, or negative with the message in err. */
int lthn_gen_start(lthn_model *m, const char *prompt, const lthn_gen_opts *opts, volatile int32_t *cancel,
                   lthn_gen **out, char *err, int errlen);
/* Writes up to max tokens: ids[i] and the UTF-8 text of token i in text[ends[i-1] .. ends[i])
   (ends[-1] = 0), never more than text_cap bytes in all. Returns the number written (0..max) and
   sets *state. Returns at least one token unless the generation ends; never blocks to fill the
   batch: once it holds a token it returns before any wait (a real engine returns one token per
   step; the test engine fills the batch because its tokens cost nothing). A token longer than
   text_cap fails the generation. After a non-RUNNING state, further steps return 0 with the same
   state (and, for a failure, the same message). */
int lthn_gen_step(lthn_gen *g, int32_t *ids, int32_t *ends, int max, char *text, int text_cap, int32_t *state,
                  char *err, int errlen);
/* Ends the generation (cancelled or not), fills metrics when non-NULL, frees g. Exactly once. */
void lthn_gen_finish(lthn_gen *g, lthn_metrics *metrics);

int lthn_set_limits(int64_t cache_limit_bytes, int64_t memory_limit_bytes);
void lthn_free(lthn_model *m);
/* Live native objects (handles + buffers); the test engine counts them, MLX returns -1. */
int64_t lthn_live_objects(void);

#ifdef __cplusplus
}
#endif
#endif
