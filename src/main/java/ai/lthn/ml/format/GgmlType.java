package ai.lthn.ml.format;

/**
 * GGML tensor types: wire id, name, elements per block and bytes per block, as ggml's
 * {@code type_traits} table defines them (ggml/src/ggml.c). A type not listed is reported by id and
 * its size is not checked.
 *
 * @param id the wire id
 * @param name ggml's name
 * @param blockSize elements per block
 * @param typeSize bytes per block
 */
public record GgmlType(int id, String name, int blockSize, int typeSize) {
    private static final GgmlType[] KNOWN = {
        new GgmlType(0, "F32", 1, 4),
        new GgmlType(1, "F16", 1, 2),
        new GgmlType(2, "Q4_0", 32, 18),
        new GgmlType(3, "Q4_1", 32, 20),
        new GgmlType(6, "Q5_0", 32, 22),
        new GgmlType(7, "Q5_1", 32, 24),
        new GgmlType(8, "Q8_0", 32, 34),
        new GgmlType(9, "Q8_1", 32, 36),
        new GgmlType(10, "Q2_K", 256, 84),
        new GgmlType(11, "Q3_K", 256, 110),
        new GgmlType(12, "Q4_K", 256, 144),
        new GgmlType(13, "Q5_K", 256, 176),
        new GgmlType(14, "Q6_K", 256, 210),
        new GgmlType(15, "Q8_K", 256, 292),
        new GgmlType(16, "IQ2_XXS", 256, 66),
        new GgmlType(17, "IQ2_XS", 256, 74),
        new GgmlType(18, "IQ3_XXS", 256, 98),
        new GgmlType(19, "IQ1_S", 256, 50),
        new GgmlType(20, "IQ4_NL", 32, 18),
        new GgmlType(21, "IQ3_S", 256, 110),
        new GgmlType(22, "IQ2_S", 256, 82),
        new GgmlType(23, "IQ4_XS", 256, 136),
        new GgmlType(24, "I8", 1, 1),
        new GgmlType(25, "I16", 1, 2),
        new GgmlType(26, "I32", 1, 4),
        new GgmlType(27, "I64", 1, 8),
        new GgmlType(28, "F64", 1, 8),
        new GgmlType(29, "IQ1_M", 256, 56),
        new GgmlType(30, "BF16", 1, 2),
        new GgmlType(34, "TQ1_0", 256, 54),
        new GgmlType(35, "TQ2_0", 256, 66),
        new GgmlType(39, "MXFP4", 32, 17),
    };

    /**
     * The known type with wire id {@code id}, or null.
     *
     * @param id the GGML type id read from a tensor entry
     * @return the type, or {@code null} when the id is not in ggml's table
     */
    public static GgmlType of(long id) {
        for (GgmlType t : KNOWN) if (t.id == id) return t;
        return null;
    }

    /**
     * The name of type {@code id}: ggml's, or {@code type<id>} when unknown.
     *
     * @param id the GGML type id
     * @return e.g. {@code Q4_K}, or {@code type99} for an unknown id
     */
    public static String name(long id) {
        GgmlType t = of(id);
        return t == null ? "type" + id : t.name;
    }
}
