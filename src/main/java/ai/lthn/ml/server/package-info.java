/**
 * An OpenAI-compatible HTTP server over any {@link ai.lthn.ml.inference.TextModel}
 * ({@link ai.lthn.ml.server.OpenAiServer}), with SSE streaming and a chat page.
 */
package ai.lthn.ml.server;
