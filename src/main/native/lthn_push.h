/*
 * The push form of a generation (lthn_generate: a callback per token) over an engine's pull form
 * (lthn_gen_start/step/finish), one token per step. Shared by every engine behind lthn_engine.h.
 * SPDX-License-Identifier: EUPL-1.2
 */
#ifndef LTHN_PUSH_H
#define LTHN_PUSH_H

#include "lthn_engine.h"

static inline int lthn_generate_by_steps(lthn_model *m, const char *prompt, const lthn_gen_opts *opts,
                                         volatile int32_t *cancel, lthn_token_cb cb, void *user,
                                         lthn_metrics *metrics, char *err, int errlen) {
    lthn_gen *g;
    int rc = lthn_gen_start(m, prompt, opts, cancel, &g, err, errlen);
    if (rc != 0) return rc;
    char text[257];
    int32_t id, end, state = LTHN_RUNNING;
    rc = 0;
    while (state == LTHN_RUNNING) {
        int n = lthn_gen_step(g, &id, &end, 1, text, (int)sizeof text - 1, &state, err, errlen);
        if (n == 1) {
            text[end] = 0;
            if (cb(user, id, text, end) != 0) { rc = 1; break; }
        }
    }
    if (state == LTHN_CANCELLED) rc = 1;
    else if (state < 0) rc = state;
    lthn_gen_finish(g, metrics);
    return rc;
}

#endif
