package ai.lthn.ml.format;

import java.util.AbstractList;
import java.util.RandomAccess;

/**
 * A GGUF array kept as compactly as the file holds it, each element made a {@link GgufValue}
 * only when asked for: scalar elements as their raw little-endian bytes, strings as a
 * {@code String[]}. So a file's metadata never costs much more heap than the file's size, however
 * its arrays are shaped (a {@code GgufValue} per element would cost ~30 bytes per uint8).
 */
final class PackedArray extends AbstractList<GgufValue> implements RandomAccess {
    private final GgufType elementType;
    private final byte[] raw;
    private final String[] strings;
    private final int size;

    private PackedArray(GgufType elementType, byte[] raw, String[] strings, int size) {
        this.elementType = elementType;
        this.raw = raw;
        this.strings = strings;
        this.size = size;
    }

    /** Scalars of {@code elementType} (not STRING or ARRAY) from their raw bytes. */
    static PackedArray scalars(GgufType elementType, byte[] raw) {
        return new PackedArray(elementType, raw, null, raw.length / elementType.minSize());
    }

    /** Strings. */
    static PackedArray strings(String[] strings) {
        return new PackedArray(GgufType.STRING, null, strings, strings.length);
    }

    GgufType elementType() {
        return elementType;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public GgufValue get(int index) {
        if (index < 0 || index >= size) throw new IndexOutOfBoundsException(index + " of " + size);
        if (strings != null) return GgufValue.string(strings[index]);
        int w = elementType.minSize();
        int at = index * w;
        long bits = 0;
        for (int i = w - 1; i >= 0; i--) bits = (bits << 8) | (raw[at + i] & 0xff);
        Object value = switch (elementType) {
            case UINT8, UINT16, UINT32, UINT64, INT64 -> bits;
            case INT8 -> (long) (byte) bits;
            case INT16 -> (long) (short) bits;
            case INT32 -> (long) (int) bits;
            case FLOAT32 -> Float.intBitsToFloat((int) bits);
            case FLOAT64 -> Double.longBitsToDouble(bits);
            case BOOL -> bits != 0;
            default -> throw new IllegalStateException(elementType.toString());
        };
        return new GgufValue(elementType, null, value);
    }
}
