package ai.lthn.ml.format;

/** The GGUF (v2/v3) metadata value types, with their wire ids. */
public enum GgufType {
    UINT8(0, 1),
    INT8(1, 1),
    UINT16(2, 2),
    INT16(3, 2),
    UINT32(4, 4),
    INT32(5, 4),
    FLOAT32(6, 4),
    BOOL(7, 1),
    STRING(8, 8),
    ARRAY(9, 12),
    UINT64(10, 8),
    INT64(11, 8),
    FLOAT64(12, 8);

    private final int id;
    private final int minSize;

    GgufType(int id, int minSize) {
        this.id = id;
        this.minSize = minSize;
    }

    /** The wire id. */
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
