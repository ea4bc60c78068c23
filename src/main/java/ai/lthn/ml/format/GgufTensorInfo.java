package ai.lthn.ml.format;

import java.util.List;
import java.util.Objects;

/**
 * One tensor in a GGUF file's index.
 *
 * @param name its name
 * @param dims its dimensions in GGML order (fastest-varying first)
 * @param type the GGML type id (see {@link GgmlType})
 * @param offset its offset relative to the data section
 * @param byteLength its size in bytes, or -1 when the type is unknown
 */
public record GgufTensorInfo(String name, List<Long> dims, int type, long offset, long byteLength) {
    /**
     * Validates and copies.
     *
     * @param name its name; not {@code null}
     * @param dims its dimensions in GGML order; copied, no {@code null} elements
     * @param type the GGML type id
     * @param offset its offset relative to the data section, in bytes
     * @param byteLength its size in bytes, or -1 when the type is unknown
     * @throws NullPointerException if {@code name} or {@code dims} is {@code null}
     */
    public GgufTensorInfo {
        Objects.requireNonNull(name, "name");
        dims = List.copyOf(dims);
    }

    /**
     * The GGML type's name.
     *
     * @return ggml's name, e.g. {@code F16}, or {@code type<id>} when the type is unknown
     */
    public String typeName() {
        return GgmlType.name(type);
    }
}
