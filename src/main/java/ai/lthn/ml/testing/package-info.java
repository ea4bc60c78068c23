/**
 * Fakes for testing code that uses lthn-ml, shipped in the main artifact:
 * {@link ai.lthn.ml.testing.ScriptedTextModel} (a scripted {@code TextModel}) and
 * {@link ai.lthn.ml.testing.FakeBackend} (a recording {@code Backend}).
 */
package ai.lthn.ml.testing;
