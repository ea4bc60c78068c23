/*
 * The MLX engine behind lthn_engine.h, over mlx-c (macOS arm64, Metal). Small on purpose: one
 * decoder family, the Llama/Qwen shape (Llama 3, Mistral, Qwen2, Qwen3: RMSNorm, RoPE, grouped
 * query attention, SwiGLU MLP; Qwen3's q/k norms when present), affine-quantized or plain weights
 * from *.safetensors, a byte-level BPE tokenizer (bpe.c), greedy or temperature sampling (top-k,
 * top-p and repeat penalty are not applied by this engine), and a KV cache grown per token. The
 * generation loop follows go-mlx's (internal/metal/generate.go): prefill, evaluate, sample,
 * evaluate, decode one token per step.
 *
 * A model directory holds config.json, tokenizer.json and one or more *.safetensors.
 * Threading: MLX evaluation is serialised per process by one mutex; generations on one model (or
 * several) interleave per token. Errors from mlx-c go to a thread-local message, not exit().
 */
#include "../lthn_engine.h"
#include "../lthn_push.h"
#include "bpe.h"
#include "mlx/c/mlx.h"
#include <dirent.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_LAYERS 256
#define MAX_EOS 8

static pthread_mutex_t mlx_lock = PTHREAD_MUTEX_INITIALIZER;
static _Thread_local char mlx_msg[512];

/* Keeps the first error since the message was cleared (later ones are its consequences). */
static void on_mlx_error(const char *msg, void *data) {
    (void)data;
    if (!mlx_msg[0]) snprintf(mlx_msg, sizeof mlx_msg, "%s", msg);
}

static pthread_once_t once = PTHREAD_ONCE_INIT;
static void init_mlx(void) { mlx_set_error_handler(on_mlx_error, NULL, NULL); }

static int64_t now_nanos(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

typedef struct {
    mlx_array w, scales, biases, bias; /* ctx == NULL when absent */
    int quantized;
} linear;

typedef struct {
    mlx_array in_norm, post_norm, q_norm, k_norm;
    linear q, k, v, o, gate, up, down;
} layer;

struct lthn_model {
    char arch[64];
    int hidden, layers, heads, kv_heads, head_dim, vocab, context, group, bits;
    float eps, rope_theta;
    int32_t eos[MAX_EOS];
    int n_eos;
    linear embed, lm_head;
    mlx_array norm;
    layer *l;
    mlx_map_string_to_array weights;
    bpe *tok;
    mlx_stream s;
};

struct lthn_gen {
    lthn_model *m;
    volatile int32_t *cancel;
    int32_t *prompt;
    int n_prompt, limit, produced, state, offset;
    float temperature;
    mlx_array *keys, *values; /* per layer, [1, kv_heads, offset, head_dim] */
    int32_t last;             /* the token emitted last, fed to the next decode */
    mlx_array rng;
    char pending[8];          /* bytes of an incomplete UTF-8 character carried to the next token */
    int n_pending;
    int64_t t0, t_prefill, t_first;
    char err[512];
};

/* ---- files ---- */
static char *read_file(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = n >= 0 ? malloc((size_t)n + 1) : NULL;
    if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) { free(buf); buf = NULL; }
    fclose(f);
    if (buf) { buf[n] = 0; *len = (size_t)n; }
    return buf;
}

/* The number after "key": in a flat scan of config.json (first occurrence), or def. */
static double cfg_num(const char *json, const char *key, double def) {
    char pat[96];
    snprintf(pat, sizeof pat, "\"%s\"", key);
    const char *p = strstr(json, pat);
    if (!p) return def;
    p = strchr(p + strlen(pat), ':');
    if (!p) return def;
    p++;
    while (*p == ' ' || *p == '\n' || *p == '[') p++;
    if (*p == 'n') return def; /* null */
    char *end;
    double v = strtod(p, &end);
    return end == p ? def : v;
}

static void cfg_str(const char *json, const char *key, char *out, size_t cap) {
    char pat[96];
    snprintf(pat, sizeof pat, "\"%s\"", key);
    const char *p = strstr(json, pat);
    out[0] = 0;
    if (!p || !(p = strchr(p + strlen(pat), '"'))) return;
    size_t n = 0;
    for (p++; *p && *p != '"' && n + 1 < cap; p++) out[n++] = *p;
    out[n] = 0;
}

/* ---- weights ---- */
static int has(const lthn_model *m, const char *key) {
    mlx_array a = mlx_array_new();
    int rc = mlx_map_string_to_array_get(&a, m->weights, key);
    mlx_array_free(a);
    return rc == 0;
}

static mlx_array get(const lthn_model *m, const char *key) {
    mlx_array a = mlx_array_new();
    if (mlx_map_string_to_array_get(&a, m->weights, key) != 0) { mlx_array_free(a); a.ctx = NULL; }
    return a;
}

static int load_linear(lthn_model *m, const char *prefix, linear *out) {
    char k[256];
    snprintf(k, sizeof k, "%s.weight", prefix); out->w = get(m, k);
    snprintf(k, sizeof k, "%s.scales", prefix); out->scales = get(m, k);
    snprintf(k, sizeof k, "%s.biases", prefix); out->biases = get(m, k);
    snprintf(k, sizeof k, "%s.bias", prefix); out->bias = get(m, k);
    out->quantized = out->scales.ctx != NULL;
    return out->w.ctx ? 0 : -1;
}

static void free_arr(mlx_array *a) { if (a->ctx) mlx_array_free(*a); a->ctx = NULL; }

static void free_linear(linear *l) { free_arr(&l->w); free_arr(&l->scales); free_arr(&l->biases); free_arr(&l->bias); }

static int load_weights(lthn_model *m, const char *dir, char *err, int errlen) {
    DIR *d = opendir(dir);
    if (!d) { snprintf(err, errlen, "mlx engine: cannot open model directory %s", dir); return -1; }
    m->weights = mlx_map_string_to_array_new();
    struct dirent *e;
    int files = 0, rc = 0;
    while (rc == 0 && (e = readdir(d))) {
        size_t n = strlen(e->d_name);
        if (n < 12 || strcmp(e->d_name + n - 12, ".safetensors") != 0) continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        mlx_map_string_to_array part = mlx_map_string_to_array_new();
        mlx_map_string_to_string meta = mlx_map_string_to_string_new();
        if (mlx_load_safetensors(&part, &meta, path, m->s) != 0) {
            snprintf(err, errlen, "mlx engine: cannot load %s: %s", path, mlx_msg);
            rc = -1;
        } else {
            mlx_map_string_to_array_iterator it = mlx_map_string_to_array_iterator_new(part);
            const char *key;
            mlx_array val = mlx_array_new();
            while (mlx_map_string_to_array_iterator_next(&key, &val, it) == 0)
                mlx_map_string_to_array_insert(m->weights, key, val);
            mlx_array_free(val);
            mlx_map_string_to_array_iterator_free(it);
            files++;
        }
        mlx_map_string_to_array_free(part);
        mlx_map_string_to_string_free(meta);
    }
    closedir(d);
    if (rc == 0 && files == 0) { snprintf(err, errlen, "mlx engine: no *.safetensors in %s", dir); rc = -1; }
    return rc;
}

/* ---- ops (each returns a new array; inputs stay owned by the caller) ---- */
static mlx_array linear_fwd(const lthn_model *m, const linear *l, mlx_array x) {
    mlx_array y = mlx_array_new();
    if (l->quantized) {
        mlx_optional_int g = {m->group, true}, b = {m->bits, true};
        mlx_quantized_matmul(&y, x, l->w, l->scales, l->biases, true, g, b, "affine", m->s);
    } else {
        mlx_array wt = mlx_array_new();
        mlx_transpose(&wt, l->w, m->s);
        mlx_matmul(&y, x, wt, m->s);
        mlx_array_free(wt);
    }
    if (l->bias.ctx) {
        mlx_array z = mlx_array_new();
        mlx_add(&z, y, l->bias, m->s);
        mlx_array_free(y);
        y = z;
    }
    return y;
}

static mlx_array rms(const lthn_model *m, mlx_array x, mlx_array w) {
    mlx_array y = mlx_array_new();
    mlx_fast_rms_norm(&y, x, w, m->eps, m->s);
    return y;
}

static mlx_array reshape4(const lthn_model *m, mlx_array x, int a, int b, int c, int d) {
    int shape[4] = {a, b, c, d};
    mlx_array y = mlx_array_new();
    mlx_reshape(&y, x, shape, 4, m->s);
    return y;
}

/* [1, L, H*D] -> [1, H, L, D] */
static mlx_array heads_first(const lthn_model *m, mlx_array x, int L, int heads) {
    mlx_array r = reshape4(m, x, 1, L, heads, m->head_dim);
    int axes[4] = {0, 2, 1, 3};
    mlx_array t = mlx_array_new();
    mlx_transpose_axes(&t, r, axes, 4, m->s);
    mlx_array_free(r);
    return t;
}

static mlx_array embed(const lthn_model *m, mlx_array ids) {
    mlx_array rows = mlx_array_new();
    mlx_take_axis(&rows, m->embed.w, ids, 0, m->s);
    if (!m->embed.quantized) return rows;
    mlx_array sc = mlx_array_new(), bi = mlx_array_new(), y = mlx_array_new();
    mlx_take_axis(&sc, m->embed.scales, ids, 0, m->s);
    mlx_take_axis(&bi, m->embed.biases, ids, 0, m->s);
    mlx_optional_int g = {m->group, true}, b = {m->bits, true};
    mlx_optional_dtype dt = {MLX_FLOAT16, false};
    mlx_array none = {NULL};
    mlx_dequantize(&y, rows, sc, bi, g, b, "affine", none, dt, m->s);
    mlx_array_free(rows); mlx_array_free(sc); mlx_array_free(bi);
    return y;
}

static mlx_array attention(lthn_model *m, lthn_gen *g, int li, mlx_array x, int L) {
    layer *ly = &m->l[li];
    mlx_array q = linear_fwd(m, &ly->q, x), k = linear_fwd(m, &ly->k, x), v = linear_fwd(m, &ly->v, x);
    mlx_array qh = heads_first(m, q, L, m->heads), kh = heads_first(m, k, L, m->kv_heads),
              vh = heads_first(m, v, L, m->kv_heads);
    mlx_array_free(q); mlx_array_free(k); mlx_array_free(v);
    if (ly->q_norm.ctx) { mlx_array t = rms(m, qh, ly->q_norm); mlx_array_free(qh); qh = t; }
    if (ly->k_norm.ctx) { mlx_array t = rms(m, kh, ly->k_norm); mlx_array_free(kh); kh = t; }
    mlx_optional_float base = {m->rope_theta, true};
    mlx_array none = {NULL};
    mlx_array qr = mlx_array_new(), kr = mlx_array_new();
    mlx_fast_rope(&qr, qh, m->head_dim, false, base, 1.0f, g->offset, none, m->s);
    mlx_fast_rope(&kr, kh, m->head_dim, false, base, 1.0f, g->offset, none, m->s);
    mlx_array_free(qh); mlx_array_free(kh);
    if (g->keys[li].ctx) { /* grow the cache along the sequence axis */
        mlx_array pair[2];
        mlx_array kc = mlx_array_new(), vc = mlx_array_new();
        pair[0] = g->keys[li]; pair[1] = kr;
        mlx_vector_array vk = mlx_vector_array_new_data(pair, 2);
        mlx_concatenate_axis(&kc, vk, 2, m->s);
        pair[0] = g->values[li]; pair[1] = vh;
        mlx_vector_array vv = mlx_vector_array_new_data(pair, 2);
        mlx_concatenate_axis(&vc, vv, 2, m->s);
        mlx_vector_array_free(vk); mlx_vector_array_free(vv);
        mlx_array_free(g->keys[li]); mlx_array_free(g->values[li]); mlx_array_free(kr); mlx_array_free(vh);
        g->keys[li] = kc; g->values[li] = vc;
    } else {
        g->keys[li] = kr; g->values[li] = vh;
    }
    mlx_array o = mlx_array_new();
    mlx_fast_scaled_dot_product_attention(&o, qr, g->keys[li], g->values[li], 1.0f / sqrtf((float)m->head_dim),
                                          L > 1 ? "causal" : "", none, none, m->s);
    mlx_array_free(qr);
    int axes[4] = {0, 2, 1, 3};
    int flat[3] = {1, L, m->heads * m->head_dim};
    mlx_array t = mlx_array_new(), f = mlx_array_new();
    mlx_transpose_axes(&t, o, axes, 4, m->s);
    mlx_reshape(&f, t, flat, 3, m->s);
    mlx_array out = linear_fwd(m, &ly->o, f);
    mlx_array_free(o); mlx_array_free(t); mlx_array_free(f);
    return out;
}

static mlx_array mlp(const lthn_model *m, const layer *ly, mlx_array x) {
    mlx_array gt = linear_fwd(m, &ly->gate, x), up = linear_fwd(m, &ly->up, x);
    mlx_array sg = mlx_array_new(), act = mlx_array_new(), h = mlx_array_new();
    mlx_sigmoid(&sg, gt, m->s);
    mlx_multiply(&act, gt, sg, m->s); /* SiLU */
    mlx_multiply(&h, act, up, m->s);
    mlx_array out = linear_fwd(m, &ly->down, h);
    mlx_array_free(gt); mlx_array_free(up); mlx_array_free(sg); mlx_array_free(act); mlx_array_free(h);
    return out;
}

/* Logits of the last position for ids[0..L), advancing the cache. */
static mlx_array forward(lthn_model *m, lthn_gen *g, const int32_t *ids, int L) {
    int shape[2] = {1, L};
    mlx_array in = mlx_array_new_data(ids, shape, 2, MLX_INT32);
    mlx_array h = embed(m, in);
    mlx_array_free(in);
    for (int i = 0; i < m->layers; i++) {
        mlx_array n1 = rms(m, h, m->l[i].in_norm);
        mlx_array a = attention(m, g, i, n1, L);
        mlx_array h2 = mlx_array_new();
        mlx_add(&h2, h, a, m->s);
        mlx_array n2 = rms(m, h2, m->l[i].post_norm);
        mlx_array f = mlp(m, &m->l[i], n2);
        mlx_array h3 = mlx_array_new();
        mlx_add(&h3, h2, f, m->s);
        mlx_array_free(h); mlx_array_free(n1); mlx_array_free(a); mlx_array_free(h2); mlx_array_free(n2); mlx_array_free(f);
        h = h3;
    }
    g->offset += L;
    int start[3] = {0, L - 1, 0}, stop[3] = {1, L, m->hidden}, strides[3] = {1, 1, 1};
    mlx_array last = mlx_array_new();
    mlx_slice(&last, h, start, 3, stop, 3, strides, 3, m->s);
    mlx_array n = rms(m, last, m->norm);
    mlx_array logits = linear_fwd(m, &m->lm_head, n);
    mlx_array_free(h); mlx_array_free(last); mlx_array_free(n);
    return logits; /* [1, 1, vocab] */
}

static mlx_array sample(lthn_model *m, lthn_gen *g, mlx_array logits) {
    mlx_array tok = mlx_array_new();
    if (g->temperature <= 0) {
        mlx_argmax_axis(&tok, logits, -1, false, m->s);
        return tok;
    }
    mlx_array t = mlx_array_new_float(1.0f / g->temperature), scaled = mlx_array_new(), key = mlx_array_new(),
              keys = mlx_array_new();
    mlx_multiply(&scaled, logits, t, m->s);
    mlx_random_split(&key, &keys, g->rng, m->s);
    mlx_array_free(g->rng);
    g->rng = keys;
    mlx_random_categorical(&tok, scaled, -1, key, m->s);
    mlx_array_free(t); mlx_array_free(scaled); mlx_array_free(key);
    return tok;
}

/* ---- the ABI ---- */
int lthn_set_limits(int64_t cache_limit_bytes, int64_t memory_limit_bytes) {
    if (cache_limit_bytes < 0 || memory_limit_bytes < 0) return -1;
    pthread_once(&once, init_mlx);
    size_t old;
    size_t cache = cache_limit_bytes ? (size_t)cache_limit_bytes : (size_t)16 << 30;
    size_t mem = memory_limit_bytes ? (size_t)memory_limit_bytes : (size_t)24 << 30;
    pthread_mutex_lock(&mlx_lock);
    int rc = mlx_set_cache_limit(&old, cache) | mlx_set_memory_limit(&old, mem);
    pthread_mutex_unlock(&mlx_lock);
    return rc ? -1 : 0;
}

void lthn_free(lthn_model *m) {
    if (!m) return;
    pthread_mutex_lock(&mlx_lock);
    for (int i = 0; m->l && i < m->layers; i++) {
        layer *ly = &m->l[i];
        free_arr(&ly->in_norm); free_arr(&ly->post_norm); free_arr(&ly->q_norm); free_arr(&ly->k_norm);
        free_linear(&ly->q); free_linear(&ly->k); free_linear(&ly->v); free_linear(&ly->o);
        free_linear(&ly->gate); free_linear(&ly->up); free_linear(&ly->down);
    }
    free(m->l);
    free_linear(&m->embed); free_linear(&m->lm_head); free_arr(&m->norm);
    if (m->weights.ctx) mlx_map_string_to_array_free(m->weights);
    if (m->s.ctx) mlx_stream_free(m->s);
    mlx_clear_cache();
    pthread_mutex_unlock(&mlx_lock);
    bpe_free(m->tok);
    free(m);
}

int lthn_load(const char *path, const lthn_load_opts *opts, lthn_model **out, char *err, int errlen) {
    pthread_once(&once, init_mlx);
    mlx_msg[0] = 0;
    if (opts && lthn_set_limits(opts->cache_limit_bytes, opts->memory_limit_bytes) != 0) {
        snprintf(err, errlen, "mlx engine: memory limits refused: %s", mlx_msg);
        return -1;
    }
    char file[4096];
    size_t len;
    snprintf(file, sizeof file, "%s/config.json", path);
    char *cfg = read_file(file, &len);
    if (!cfg) { snprintf(err, errlen, "mlx engine: cannot read %s", file); return -1; }
    lthn_model *m = calloc(1, sizeof *m);
    if (!m) { free(cfg); snprintf(err, errlen, "mlx engine: out of memory"); return -2; }
    cfg_str(cfg, "model_type", m->arch, sizeof m->arch);
    m->hidden = (int)cfg_num(cfg, "hidden_size", 0);
    m->layers = (int)cfg_num(cfg, "num_hidden_layers", 0);
    m->heads = (int)cfg_num(cfg, "num_attention_heads", 0);
    m->kv_heads = (int)cfg_num(cfg, "num_key_value_heads", m->heads);
    m->head_dim = (int)cfg_num(cfg, "head_dim", m->heads ? m->hidden / m->heads : 0);
    m->vocab = (int)cfg_num(cfg, "vocab_size", 0);
    m->context = (int)cfg_num(cfg, "max_position_embeddings", 0);
    m->eps = (float)cfg_num(cfg, "rms_norm_eps", 1e-6);
    m->rope_theta = (float)cfg_num(cfg, "rope_theta", 10000);
    m->group = (int)cfg_num(cfg, "group_size", 64);
    m->bits = (int)cfg_num(cfg, "bits", 0);
    m->eos[0] = (int32_t)cfg_num(cfg, "eos_token_id", -1);
    m->n_eos = m->eos[0] >= 0;
    free(cfg);
    if (m->hidden <= 0 || m->layers <= 0 || m->layers > MAX_LAYERS || m->heads <= 0 || m->kv_heads <= 0 ||
        m->head_dim <= 0) {
        snprintf(err, errlen, "mlx engine: %s/config.json lacks a Llama/Qwen-shaped decoder config", path);
        free(m);
        return -1;
    }
    snprintf(file, sizeof file, "%s/tokenizer.json", path);
    char *tj = read_file(file, &len);
    if (!tj) { snprintf(err, errlen, "mlx engine: cannot read %s", file); free(m); return -1; }
    char why[256];
    m->tok = bpe_load(tj, len, why, sizeof why);
    free(tj);
    if (!m->tok) { snprintf(err, errlen, "mlx engine: %s: %s", file, why); free(m); return -1; }
    const char *ends[] = {"<|im_end|>", "<|eot_id|>", "<|end_of_text|>", "</s>", "<|endoftext|>"};
    for (size_t i = 0; i < sizeof ends / sizeof *ends && m->n_eos < MAX_EOS; i++) {
        int32_t id = bpe_lookup(m->tok, ends[i]);
        if (id >= 0) m->eos[m->n_eos++] = id;
    }
    pthread_mutex_lock(&mlx_lock);
    mlx_msg[0] = 0;
    m->s = mlx_default_gpu_stream_new();
    int rc = load_weights(m, path, err, errlen);
    if (rc == 0) {
        m->l = calloc((size_t)m->layers, sizeof *m->l);
        rc = m->l ? load_linear(m, "model.embed_tokens", &m->embed) : -1;
        m->norm = get(m, "model.norm.weight");
        if (rc == 0 && has(m, "lm_head.weight")) rc = load_linear(m, "lm_head", &m->lm_head);
        else if (rc == 0) { /* tied embeddings: the embedding matrix again */
            m->lm_head = m->embed;
            mlx_array w = mlx_array_new(), sc = mlx_array_new(), bi = mlx_array_new();
            mlx_array_set(&w, m->embed.w); m->lm_head.w = w;
            if (m->embed.quantized) { mlx_array_set(&sc, m->embed.scales); mlx_array_set(&bi, m->embed.biases); }
            m->lm_head.scales = m->embed.quantized ? sc : (mlx_array){NULL};
            m->lm_head.biases = m->embed.quantized ? bi : (mlx_array){NULL};
            if (!m->embed.quantized) { mlx_array_free(sc); mlx_array_free(bi); }
            m->lm_head.bias.ctx = NULL;
        }
        for (int i = 0; rc == 0 && i < m->layers; i++) {
            char p[160], k[200];
            layer *ly = &m->l[i];
            snprintf(p, sizeof p, "model.layers.%d", i);
            snprintf(k, sizeof k, "%s.input_layernorm.weight", p); ly->in_norm = get(m, k);
            snprintf(k, sizeof k, "%s.post_attention_layernorm.weight", p); ly->post_norm = get(m, k);
            snprintf(k, sizeof k, "%s.self_attn.q_norm.weight", p); ly->q_norm = get(m, k);
            snprintf(k, sizeof k, "%s.self_attn.k_norm.weight", p); ly->k_norm = get(m, k);
            const char *names[7] = {"self_attn.q_proj", "self_attn.k_proj", "self_attn.v_proj", "self_attn.o_proj",
                                    "mlp.gate_proj", "mlp.up_proj", "mlp.down_proj"};
            linear *ls[7] = {&ly->q, &ly->k, &ly->v, &ly->o, &ly->gate, &ly->up, &ly->down};
            for (int j = 0; rc == 0 && j < 7; j++) {
                snprintf(k, sizeof k, "%s.%s", p, names[j]);
                if (load_linear(m, k, ls[j]) != 0) { snprintf(err, errlen, "mlx engine: missing %s.weight", k); rc = -1; }
            }
            if (rc == 0 && (!ly->in_norm.ctx || !ly->post_norm.ctx)) { snprintf(err, errlen, "mlx engine: %s lacks its norms", p); rc = -1; }
        }
        if (rc == 0 && !m->norm.ctx) { snprintf(err, errlen, "mlx engine: missing model.norm.weight"); rc = -1; }
        if (rc != 0 && !err[0]) snprintf(err, errlen, "mlx engine: missing model.embed_tokens.weight");
    }
    if (rc == 0 && m->embed.quantized && m->bits == 0) m->bits = 4;
    if (m->weights.ctx) { mlx_map_string_to_array_free(m->weights); m->weights.ctx = NULL; } /* layers hold their own */
    pthread_mutex_unlock(&mlx_lock);
    if (rc != 0) { lthn_free(m); return -1; }
    if (!m->vocab) m->vocab = bpe_vocab_size(m->tok);
    *out = m;
    return 0;
}

int lthn_info(lthn_model *m, lthn_model_info *out) {
    memset(out, 0, sizeof *out);
    snprintf(out->architecture, sizeof out->architecture, "%s", m->arch[0] ? m->arch : "llama");
    out->vocab_size = m->vocab; out->num_layers = m->layers; out->hidden_size = m->hidden;
    out->quant_bits = m->embed.quantized ? m->bits : 0; out->context_length = m->context;
    return 0;
}

int lthn_tokenize(lthn_model *m, const char *text, int32_t *ids, int capacity) {
    return bpe_encode(m->tok, text, ids, capacity);
}

int64_t lthn_live_objects(void) { return -1; }

int lthn_gen_start(lthn_model *m, const char *prompt, const lthn_gen_opts *opts, volatile int32_t *cancel,
                   lthn_gen **out, char *err, int errlen) {
    lthn_gen *g = calloc(1, sizeof *g);
    if (!g) { snprintf(err, errlen, "mlx engine: out of memory"); return -2; }
    g->t0 = now_nanos();
    g->m = m; g->cancel = cancel;
    g->n_prompt = bpe_encode(m->tok, prompt, NULL, 0);
    g->prompt = malloc(sizeof(int32_t) * (size_t)(g->n_prompt > 0 ? g->n_prompt : 1));
    g->keys = calloc((size_t)m->layers, sizeof *g->keys);
    g->values = calloc((size_t)m->layers, sizeof *g->values);
    if (!g->prompt || !g->keys || !g->values) { lthn_gen_finish(g, NULL); snprintf(err, errlen, "mlx engine: out of memory"); return -2; }
    bpe_encode(m->tok, prompt, g->prompt, g->n_prompt);
    if (g->n_prompt == 0) { lthn_gen_finish(g, NULL); snprintf(err, errlen, "mlx engine: empty prompt"); return -3; }
    g->limit = opts && opts->max_tokens > 0 ? opts->max_tokens : (m->context > 0 ? m->context : 4096);
    g->temperature = opts ? opts->temperature : 0;
    pthread_mutex_lock(&mlx_lock);
    mlx_random_key(&g->rng, (uint64_t)g->t0);
    pthread_mutex_unlock(&mlx_lock);
    g->state = LTHN_RUNNING;
    *out = g; /* prefill runs in the first step, on the consumer's thread */
    return 0;
}

static int fail(lthn_gen *g, int32_t *state, char *err, int errlen, const char *what) {
    snprintf(g->err, sizeof g->err, "mlx engine: %s: %s", what, mlx_msg);
    g->state = -5;
    *state = g->state;
    snprintf(err, errlen, "%s", g->err);
    return 0;
}

/* Evaluates logits -> the next token id (under mlx_lock). */
static int next_token(lthn_gen *g, mlx_array logits, int32_t *id) {
    mlx_array tok = sample(g->m, g, logits), t32 = mlx_array_new();
    int rc = mlx_astype(&t32, tok, MLX_INT32, g->m->s);
    if (rc == 0) rc = mlx_array_eval(t32);
    if (rc == 0) rc = mlx_array_item_int32(id, t32);
    mlx_array_free(tok); mlx_array_free(t32);
    return rc;
}

static int is_eos(const lthn_model *m, int32_t id) {
    for (int i = 0; i < m->n_eos; i++) if (m->eos[i] == id) return 1;
    return 0;
}

/* Length of the longest prefix of s[0..n) that ends on a whole UTF-8 character. */
static int whole_utf8(const char *s, int n) {
    int i = n - 1, back = 0;
    while (i >= 0 && back < 4 && ((unsigned char)s[i] & 0xC0) == 0x80) { i--; back++; }
    if (i < 0) return n;
    unsigned char c = (unsigned char)s[i];
    int need = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
    return n - i >= need ? n : i;
}

/* One token per step: prefill (first step) or one decode, then sample. */
int lthn_gen_step(lthn_gen *g, int32_t *ids, int32_t *ends, int max, char *text, int text_cap, int32_t *state,
                  char *err, int errlen) {
    lthn_model *m = g->m;
    *state = g->state;
    if (g->state != LTHN_RUNNING) { if (g->state < 0) snprintf(err, errlen, "%s", g->err); return 0; }
    if (max < 1) return 0;
    if (*g->cancel) { g->state = *state = LTHN_CANCELLED; return 0; }
    if (g->produced >= g->limit) { g->state = *state = LTHN_DONE; return 0; }
    int32_t id = 0;
    pthread_mutex_lock(&mlx_lock);
    mlx_msg[0] = 0;
    mlx_array logits = g->offset == 0 ? forward(m, g, g->prompt, g->n_prompt) : forward(m, g, &g->last, 1);
    int rc = next_token(g, logits, &id);
    mlx_array_free(logits);
    pthread_mutex_unlock(&mlx_lock);
    if (rc != 0) return fail(g, state, err, errlen, g->produced == 0 ? "prefill failed" : "decode failed");
    if (!g->t_prefill) g->t_prefill = now_nanos();
    g->last = id;
    if (is_eos(m, id)) { g->state = *state = LTHN_DONE; return 0; }
    g->produced++;
    char buf[sizeof g->pending + 1024];
    int n = g->n_pending;
    memcpy(buf, g->pending, (size_t)n);
    n += bpe_decode(m->tok, id, buf + n, (int)sizeof buf - n);
    int whole = whole_utf8(buf, n);
    if (whole > text_cap) {
        snprintf(g->err, sizeof g->err, "mlx engine: token %d of %d bytes exceeds the %d-byte text buffer", id, whole, text_cap);
        g->state = *state = -4;
        snprintf(err, errlen, "%s", g->err);
        return 0;
    }
    g->n_pending = n - whole > (int)sizeof g->pending ? 0 : n - whole;
    memcpy(g->pending, buf + whole, (size_t)g->n_pending);
    memcpy(text, buf, (size_t)whole);
    ids[0] = id;
    ends[0] = whole;
    if (g->produced >= g->limit) g->state = LTHN_DONE;
    *state = g->state;
    return 1;
}

void lthn_gen_finish(lthn_gen *g, lthn_metrics *metrics) {
    if (!g) return;
    lthn_model *m = g->m;
    pthread_mutex_lock(&mlx_lock);
    if (metrics) {
        size_t peak = 0;
        mlx_get_peak_memory(&peak);
        int64_t now = now_nanos();
        metrics->prompt_tokens = g->n_prompt; metrics->generated_tokens = g->produced;
        metrics->prefill_nanos = (g->t_prefill ? g->t_prefill : now) - g->t0;
        metrics->decode_nanos = g->t_prefill ? now - g->t_prefill : 0;
        metrics->peak_memory_bytes = (int64_t)peak;
    }
    for (int i = 0; g->keys && i < m->layers; i++) { free_arr(&g->keys[i]); free_arr(&g->values[i]); }
    free_arr(&g->rng);
    pthread_mutex_unlock(&mlx_lock);
    free(g->keys); free(g->values); free(g->prompt); free(g);
}

/* The push form over the pull form, one token per step. */
int lthn_generate(lthn_model *m, const char *prompt, const lthn_gen_opts *opts, volatile int32_t *cancel,
                  lthn_token_cb cb, void *user, lthn_metrics *metrics, char *err, int errlen) {
    return lthn_generate_by_steps(m, prompt, opts, cancel, cb, user, metrics, err, errlen);
}
