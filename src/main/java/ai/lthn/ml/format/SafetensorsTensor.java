package ai.lthn.ml.format;

import java.util.List;
import java.util.Objects;

/**
 * One tensor's entry in a safetensors header.
 *
 * @param name the tensor's key
 * @param dtype the dtype as written ({@code F32}, {@code F16}, {@code BF16}, …; unknown ones kept)
 * @param shape the dimensions, outermost first
 * @param begin the start of its bytes, relative to the data section
 * @param end the end (exclusive) of its bytes, relative to the data section
 */
public record SafetensorsTensor(String name, String dtype, List<Long> shape, long begin, long end) {
    /**
     * Validates and copies.
     *
     * @param name the tensor's key; not {@code null}
     * @param dtype the dtype as written; not {@code null}
     * @param shape the dimensions, outermost first; copied, none negative
     * @param begin the start of its bytes relative to the data section; zero or positive
     * @param end the exclusive end of its bytes relative to the data section; at least {@code
     *     begin}
     * @throws NullPointerException if {@code name}, {@code dtype} or {@code shape} is {@code null}
     * @throws IllegalArgumentException if a dimension is negative or the offsets are out of order
     */
    public SafetensorsTensor {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(dtype, "dtype");
        shape = List.copyOf(shape);
        for (long d : shape) if (d < 0) throw new IllegalArgumentException("negative dimension " + d);
        if (begin < 0 || end < begin) throw new IllegalArgumentException("bad offsets [" + begin + ", " + end + "]");
    }

    /**
     * The number of bytes.
     *
     * @return {@code end - begin}
     */
    public long byteLength() {
        return end - begin;
    }

    /**
     * The element size of the dtype, 0 when this package does not know it.
     *
     * @return bytes per element, e.g. 2 for {@code F16} and {@code BF16}, 4 for {@code F32}; 0 for
     *     an unknown dtype
     */
    public int elementSize() {
        return Dtypes.size(dtype);
    }
}
