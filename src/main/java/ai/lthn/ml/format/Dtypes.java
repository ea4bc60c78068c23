package ai.lthn.ml.format;

import java.util.Map;

/** Element sizes of the safetensors dtypes this package knows; others are carried untouched. */
final class Dtypes {
    private static final Map<String, Integer> SIZES = Map.ofEntries(
            Map.entry("F64", 8),
            Map.entry("F32", 4),
            Map.entry("F16", 2),
            Map.entry("BF16", 2),
            Map.entry("I64", 8),
            Map.entry("I32", 4),
            Map.entry("I16", 2),
            Map.entry("I8", 1),
            Map.entry("U64", 8),
            Map.entry("U32", 4),
            Map.entry("U16", 2),
            Map.entry("U8", 1),
            Map.entry("BOOL", 1),
            Map.entry("F8_E4M3", 1),
            Map.entry("F8_E5M2", 1));

    private Dtypes() {}

    /** The element size in bytes of {@code dtype}, or 0 when the dtype is not known. */
    static int size(String dtype) {
        return SIZES.getOrDefault(dtype, 0);
    }
}
