/* Checks bpe.c on any host with a C compiler (check-mlx-engine.sh runs it): a hand-made byte-level
   tokenizer.json, encoded and decoded. Exit 0 when every check passes. */
#include "bpe.h"
#include <stdio.h>
#include <string.h>

static const char *JSON =
    "{\"version\":\"1.0\",\"added_tokens\":[{\"id\":14,\"content\":\"<|end|>\",\"special\":true},"
    "{\"id\":18,\"content\":\"<tool>\",\"special\":false}],"
    "\"pre_tokenizer\":{\"type\":\"Sequence\",\"pretokenizers\":[{\"type\":\"ByteLevel\"}]},"
    "\"model\":{\"type\":\"BPE\",\"vocab\":{\"h\":0,\"e\":1,\"l\":2,\"o\":3,\"w\":4,\"r\":5,\"d\":6,"
    "\"\\u0120\":7,\"he\":8,\"ll\":9,\"hell\":10,\"hello\":11,\"\\u0120w\":12,\"\\u0120wo\":13,"
    "\"\\u00c3\":15,\"\\u00a9\":16,\"\\u00c3\\u00a9\":17},"
    "\"merges\":[\"h e\",\"l l\",\"he ll\",\"hell o\",[\"\\u0120\",\"w\"],\"\\u0120w o\",\"\\u00c3 \\u00a9\"]}}";

static int failures;

static void expect(const char *what, const int32_t *got, int n, const int32_t *want, int wn) {
    int ok = n == wn;
    for (int i = 0; ok && i < n; i++) ok = got[i] == want[i];
    if (!ok) {
        failures++;
        printf("FAIL %s: got", what);
        for (int i = 0; i < n; i++) printf(" %d", got[i]);
        printf("\n");
    }
}

static void roundtrip(const bpe *t, const char *text, const char *want) {
    int32_t ids[64];
    int n = bpe_encode(t, text, ids, 64);
    char out[256]; int len = 0;
    for (int i = 0; i < n; i++) len += bpe_decode(t, ids[i], out + len, (int)sizeof out - len);
    out[len] = 0;
    if (strcmp(out, want) != 0) { failures++; printf("FAIL decode(encode(%s)) = %s\n", text, out); }
}

int main(void) {
    char err[256];
    bpe *t = bpe_load(JSON, strlen(JSON), err, sizeof err);
    if (!t) { printf("FAIL load: %s\n", err); return 1; }
    int32_t ids[64];
    int n = bpe_encode(t, "hello world", ids, 64);
    expect("hello world", ids, n, (int32_t[]){11, 13, 5, 2, 6}, 5);
    n = bpe_encode(t, "h\xc3\xa9llo<|end|>", ids, 64);
    expect("h\xc3\xa9llo<|end|>", ids, n, (int32_t[]){0, 17, 9, 3, 14}, 5);
    n = bpe_encode(t, "hello", ids, 2);
    if (n != 1) { failures++; printf("FAIL count %d\n", n); }
    roundtrip(t, "hello world", "hello world");
    roundtrip(t, "h\xc3\xa9llo<|end|>", "h\xc3\xa9llo"); /* special tokens decode to nothing */
    roundtrip(t, "<tool>hello", "<tool>hello");
    if (bpe_lookup(t, "<|end|>") != 14 || bpe_lookup(t, "hello") != 11 || bpe_lookup(t, "nope") != -1) {
        failures++; printf("FAIL lookup\n");
    }
    if (bpe_vocab_size(t) != 19) { failures++; printf("FAIL vocab size %d\n", bpe_vocab_size(t)); }
    bpe_free(t);
    const char *sp = "{\"pre_tokenizer\":{\"type\":\"Metaspace\"},\"model\":{\"type\":\"BPE\",\"vocab\":{},\"merges\":[]}}";
    if (bpe_load(sp, strlen(sp), err, sizeof err) != NULL || !strstr(err, "ByteLevel")) {
        failures++; printf("FAIL: a SentencePiece-style tokenizer was not refused (%s)\n", err);
    }
    printf(failures ? "bpe_check: %d failures\n" : "bpe_check: ok\n", failures);
    return failures ? 1 : 0;
}
