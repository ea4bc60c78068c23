package ai.lthn.ml.format;

/** The GGUF (v2/v3) metadata value types, with their wire ids. */
public enum GgufType {
    /** Unsigned 8-bit integer (id 0). */
    UINT8(0, 1),
    /** Signed 8-bit integer (id 1). */
    INT8(1, 1),
    /** Unsigned 16-bit integer (id 2). */
    UINT16(2, 2),
    /** Signed 16-bit integer (id 3). */
    INT16(3, 2),
    /** Unsigned 32-bit integer (id 4). */
    UINT32(4, 4),
    /** Signed 32-bit integer (id 5). */
    INT32(5, 4),
    /** IEEE 754 single precision (id 6). */
    FLOAT32(6, 4),
    /** Boolean, one byte 0 or 1 (id 7). */
    BOOL(7, 1),
    /** UTF-8 string with a uint64 length prefix (id 8). */
    STRING(8, 8),
    /** Array: element type id, uint64 count, then the elements (id 9). */
    ARRAY(9, 12),
    /** Unsigned 64-bit integer (id 10). */
    UINT64(10, 8),
    /** Signed 64-bit integer (id 11). */
    INT64(11, 8),
    /** IEEE 754 double precision (id 12). */
    FLOAT64(12, 8);

    private final int id;
    private final int minSize;

    GgufType(int id, int minSize) {
        this.id = id;
        this.minSize = minSize;
    }

    /**
     * The wire id.
     *
     * @return the type's id in GGUF files, 0..12
     */
    public int id() {
        return id;
    }

    /** The fewest bytes one value of this type takes (a string's or array's own header). */
    int minSize() {
        return minSize;
    }

    /** The type with wire id {@code id}, or null. */
    static GgufType of(long id) {
        for (GgufType t : values()) if (t.id == id) return t;
        return null;
    }
}
