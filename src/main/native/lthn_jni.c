/*
 * JNI shim: maps lthn_engine.h to ai.lthn.ml.backend.nativeengine.NativeBridge.
 * Rules: generation runs on the calling (Java, hence attached) thread; each token's local
 * string reference is released before the next; a Java exception thrown by the sink stops the
 * generation and stays pending so Java rethrows it; no global references are created.
 * The pull form (genStart/step/genFinish) creates no Java object per token at all: a step copies
 * a batch of ids, text end offsets and UTF-8 bytes into a direct buffer the stream reuses.
 */
#include <jni.h>
#include <stdio.h>
#include <string.h>
#include "lthn_engine.h"

#define ERRLEN 512

static void set_err(JNIEnv *env, jobjectArray err, const char *msg) {
    if (err && (*env)->GetArrayLength(env, err) > 0) {
        jstring s = (*env)->NewStringUTF(env, msg);
        if (s) { (*env)->SetObjectArrayElement(env, err, 0, s); (*env)->DeleteLocalRef(env, s); }
    }
}

JNIEXPORT jlong JNICALL Java_ai_lthn_ml_backend_nativeengine_NativeBridge_load(
        JNIEnv *env, jclass cls, jstring path, jlong cache, jlong mem, jobjectArray err) {
    (void)cls;
    const char *p = (*env)->GetStringUTFChars(env, path, NULL);
    if (!p) return 0;
    lthn_load_opts o = {cache, mem};
    lthn_model *m = NULL;
    char e[ERRLEN] = {0};
    int rc = lthn_load(p, &o, &m, e, ERRLEN);
    (*env)->ReleaseStringUTFChars(env, path, p);
    if (rc != 0) { set_err(env, err, e); return 0; }
    return (jlong)(intptr_t)m;
}

JNIEXPORT jstring JNICALL Java_ai_lthn_ml_backend_nativeengine_NativeBridge_info(
        JNIEnv *env, jclass cls, jlong h, jintArray dims) {
    (void)cls;
    lthn_model_info i;
    lthn_info((lthn_model *)(intptr_t)h, &i);
    jint v[5] = {i.vocab_size, i.num_layers, i.hidden_size, i.quant_bits, i.context_length};
    (*env)->SetIntArrayRegion(env, dims, 0, 5, v);
    i.architecture[sizeof i.architecture - 1] = 0;
    return (*env)->NewStringUTF(env, i.architecture);
}

JNIEXPORT jint JNICALL Java_ai_lthn_ml_backend_nativeengine_NativeBridge_countTokens(
        JNIEnv *env, jclass cls, jlong h, jstring text) {
    (void)cls;
    const char *t = (*env)->GetStringUTFChars(env, text, NULL);
    if (!t) return -1;
    int n = lthn_tokenize((lthn_model *)(intptr_t)h, t, NULL, 0);
    (*env)->ReleaseStringUTFChars(env, text, t);
    return n;
}

typedef struct { JNIEnv *env; jobject sink; jmethodID on_token; } cb_ctx;

static int on_token(void *user, int32_t id, const char *text, int32_t len) {
    cb_ctx *c = user;
    JNIEnv *env = c->env;
    (void)len;
    jstring s = (*env)->NewStringUTF(env, text);
    if (!s) return 1;
    jboolean go = (*env)->CallBooleanMethod(env, c->sink, c->on_token, (jint)id, s);
    (*env)->DeleteLocalRef(env, s);
    if ((*env)->ExceptionCheck(env)) return 1;
    return go ? 0 : 1;
}

JNIEXPORT jint JNICALL Java_ai_lthn_ml_backend_nativeengine_NativeBridge_generate(
        JNIEnv *env, jclass cls, jlong h, jstring prompt, jint max_tokens, jfloat temp, jint top_k, jfloat top_p,
        jfloat repeat_penalty, jobject cancel, jobject sink, jlongArray metrics, jobjectArray err) {
    (void)cls;
    volatile int32_t *flag = (*env)->GetDirectBufferAddress(env, cancel);
    if (!flag) { set_err(env, err, "cancel flag is not a direct buffer"); return -100; }
    jclass sc = (*env)->GetObjectClass(env, sink);
    jmethodID mid = (*env)->GetMethodID(env, sc, "onToken", "(ILjava/lang/String;)Z");
    (*env)->DeleteLocalRef(env, sc);
    if (!mid) return -101;
    const char *p = (*env)->GetStringUTFChars(env, prompt, NULL);
    if (!p) return -102;
    lthn_gen_opts o = {max_tokens, temp, top_k, top_p, repeat_penalty};
    lthn_metrics m = {0};
    char e[ERRLEN] = {0};
    cb_ctx c = {env, sink, mid};
    int rc = lthn_generate((lthn_model *)(intptr_t)h, p, &o, flag, on_token, &c, &m, e, ERRLEN);
    (*env)->ReleaseStringUTFChars(env, prompt, p);
    if ((*env)->ExceptionCheck(env)) return rc; /* pending: Java rethrows it */
    jlong mv[5] = {m.prompt_tokens, m.generated_tokens, m.prefill_nanos, m.decode_nanos, m.peak_memory_bytes};
    (*env)->SetLongArrayRegion(env, metrics, 0, 5, mv);
    if (rc < 0) set_err(env, err, e);
    return rc;
}

JNIEXPORT jlong JNICALL Java_ai_lthn_ml_backend_nativeengine_NativeBridge_genStart(
        JNIEnv *env, jclass cls, jlong h, jstring prompt, jint max_tokens, jfloat temp, jint top_k, jfloat top_p,
        jfloat repeat_penalty, jobject cancel, jobjectArray err) {
    (void)cls;
    volatile int32_t *flag = (*env)->GetDirectBufferAddress(env, cancel);
    if (!flag) { set_err(env, err, "cancel flag is not a direct buffer"); return 0; }
    const char *p = (*env)->GetStringUTFChars(env, prompt, NULL);
    if (!p) return 0;
    lthn_gen_opts o = {max_tokens, temp, top_k, top_p, repeat_penalty};
    lthn_gen *g = NULL;
    char e[ERRLEN] = {0};
    int rc = lthn_gen_start((lthn_model *)(intptr_t)h, p, &o, flag, &g, e, ERRLEN);
    (*env)->ReleaseStringUTFChars(env, prompt, p);
    if (rc != 0 || !g) { set_err(env, err, e[0] ? e : "native engine could not start the generation"); return 0; }
    return (jlong)(intptr_t)g;
}

JNIEXPORT jlong JNICALL Java_ai_lthn_ml_backend_nativeengine_NativeBridge_address(JNIEnv *env, jclass cls, jobject buf) {
    (void)cls;
    return (jlong)(intptr_t)(*env)->GetDirectBufferAddress(env, buf);
}

/* One step straight into the stream's direct buffer at io (cap bytes): max int32 ids, then max
   int32 text ends, then the UTF-8 text. Returns (state << 32) | count. Primitive arguments only,
   so the call costs no JNI handle or callback into the JVM; a failure's message goes into the
   text area, its length in the first end. */
JNIEXPORT jlong JNICALL Java_ai_lthn_ml_backend_nativeengine_NativeBridge_step(
        JNIEnv *env, jclass cls, jlong gen, jlong io, jint cap, jint max) {
    (void)env; (void)cls;
    char *base = (char *)(intptr_t)io;
    int32_t *ids = (int32_t *)(void *)base, *ends = ids + max;
    char *text = base + (size_t)max * 8;
    int text_cap = cap - max * 8;
    int32_t st = LTHN_RUNNING;
    char e[ERRLEN];
    e[0] = 0;
    int n = lthn_gen_step((lthn_gen *)(intptr_t)gen, ids, ends, max, text, text_cap, &st, e, ERRLEN);
    if (n < 0 || n > max || (n > 0 && (ends[n - 1] < 0 || ends[n - 1] > text_cap))) {
        snprintf(e, ERRLEN, "native engine step broke the ABI (%d tokens of at most %d)", n, (int)max);
        n = 0; st = -1000;
    }
    if (st < 0 && n > 0) st = LTHN_RUNNING; /* tokens first; the next step reports the failure again */
    if (st < 0) {
        e[ERRLEN - 1] = 0;
        int len = (int)strlen(e);
        if (len > text_cap) len = text_cap;
        memcpy(text, e, (size_t)len);
        ends[0] = len;
    }
    return ((jlong)st << 32) | (jlong)(uint32_t)n;
}

JNIEXPORT void JNICALL Java_ai_lthn_ml_backend_nativeengine_NativeBridge_genFinish(
        JNIEnv *env, jclass cls, jlong gen, jlongArray metrics) {
    (void)cls;
    lthn_metrics m = {0};
    lthn_gen_finish((lthn_gen *)(intptr_t)gen, &m);
    jlong mv[5] = {m.prompt_tokens, m.generated_tokens, m.prefill_nanos, m.decode_nanos, m.peak_memory_bytes};
    (*env)->SetLongArrayRegion(env, metrics, 0, 5, mv);
}

JNIEXPORT jint JNICALL Java_ai_lthn_ml_backend_nativeengine_NativeBridge_setLimits(
        JNIEnv *env, jclass cls, jlong cache, jlong mem) {
    (void)env; (void)cls;
    return lthn_set_limits(cache, mem);
}

JNIEXPORT void JNICALL Java_ai_lthn_ml_backend_nativeengine_NativeBridge_free(JNIEnv *env, jclass cls, jlong h) {
    (void)env; (void)cls;
    lthn_free((lthn_model *)(intptr_t)h);
}

JNIEXPORT jlong JNICALL Java_ai_lthn_ml_backend_nativeengine_NativeBridge_liveObjects(JNIEnv *env, jclass cls) {
    (void)env; (void)cls;
    return lthn_live_objects();
}
