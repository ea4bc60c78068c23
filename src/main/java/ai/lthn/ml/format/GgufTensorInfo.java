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
    /** Validates and copies. */
    public GgufTensorInfo {
        Objects.requireNonNull(name, "name");
        dims = List.copyOf(dims);
    }

    /** The GGML type's name. */
    public String typeName() {
        return GgmlType.name(type);
    }
}
