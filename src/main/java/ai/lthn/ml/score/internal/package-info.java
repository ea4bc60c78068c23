/** Go-semantics text machinery for the scorers (regex translation, strconv, UTF-8). Not API. */
package ai.lthn.ml.score.internal;
