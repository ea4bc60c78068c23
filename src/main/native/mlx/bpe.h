/*
 * A small byte-level BPE tokenizer read from a Hugging Face tokenizer.json (model.vocab,
 * model.merges, added_tokens), the kind Qwen2/Qwen3, Llama 3 and Mistral models ship. Plain C
 * with no dependency, so it is compiled and tested on Linux too (bpe_check.c). Pre-tokenisation
 * is a simplified form of GPT-2's pattern: an optional leading space, then a run of letters
 * (bytes >= 0x80 count as letters), digits, or other symbols; whitespace runs stand alone.
 */
#ifndef LTHN_BPE_H
#define LTHN_BPE_H
#include <stddef.h>
#include <stdint.h>

typedef struct bpe bpe;

/* Parses tokenizer.json text; NULL with a message in err when it is not a byte-level BPE. */
bpe *bpe_load(const char *json, size_t len, char *err, int errlen);
void bpe_free(bpe *t);
/* Token ids of text into ids (at most capacity); returns how many the text has (may exceed capacity). */
int bpe_encode(const bpe *t, const char *text, int32_t *ids, int capacity);
/* The bytes of token id appended to out (at most cap); returns their count, 0 for special tokens. */
int bpe_decode(const bpe *t, int32_t id, char *out, int cap);
/* The id of a token's exact content (e.g. "<|im_end|>"), or -1. */
int32_t bpe_lookup(const bpe *t, const char *content);
int32_t bpe_vocab_size(const bpe *t);
#endif
