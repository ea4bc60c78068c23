/**
 * The MLX/Metal engine slot for macOS arm64 (registered as "metal" through
 * {@link java.util.ServiceLoader}) and go-ml's {@code NewMLXBackend} as {@link MlxBackend#load}.
 * On other platforms loading fails with "unsupported platform".
 */
package ai.lthn.ml.backend.mlx;
