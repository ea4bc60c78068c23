/**
 * Native-engine machinery shared by every JNI engine (not MLX-specific): the bridge to the C ABI
 * in {@code src/main/native/lthn_engine.h}, safe extraction and loading of the native library,
 * and {@link ai.lthn.ml.backend.nativeengine.NativeTextModel}, one {@code TextModel} over a
 * native handle. It sits under {@code backend} because it implements the inference contracts
 * and is used by {@code backend.mlx}; nothing here imports {@code backend.mlx}.
 */
package ai.lthn.ml.backend.nativeengine;
