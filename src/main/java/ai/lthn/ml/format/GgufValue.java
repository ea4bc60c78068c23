package ai.lthn.ml.format;

import java.util.List;
import java.util.Objects;

/**
 * One GGUF metadata value. {@code value} is a {@link Long} for every integer type (unsigned
 * 64-bit values keep their bits: read with {@link Long#toUnsignedString}), a {@link Float} or
 * {@link Double}, a {@link Boolean}, a {@link String}, or for {@link GgufType#ARRAY} a
 * {@code List<GgufValue>} whose elements all have {@code elementType}.
 *
 * @param type the value's type
 * @param elementType the element type of an array, else null
 * @param value the value
 */
public record GgufValue(GgufType type, GgufType elementType, Object value) {
    /**
     * Validates and copies.
     *
     * @param type the value's type; not {@code null}
     * @param elementType the element type when {@code type} is {@link GgufType#ARRAY} (then
     *     required), else {@code null}
     * @param value the value, of the Java type {@code type} calls for (see the class comment); an
     *     array's list is copied
     * @throws NullPointerException if {@code type}, {@code value} or an array's element type is
     *     {@code null}
     * @throws IllegalArgumentException if an array element is not of {@code elementType}, or a
     *     non-array has an element type
     */
    public GgufValue {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(value, "value");
        if (type == GgufType.ARRAY) {
            Objects.requireNonNull(elementType, "elementType");
            if (value instanceof PackedArray packed) {
                // built by the reader from checked bytes; immutable
                if (packed.elementType() != elementType) throw new IllegalArgumentException("element type mismatch");
            } else {
                List<?> list = List.copyOf((List<?>) value);
                for (Object o : list) {
                    if (!(o instanceof GgufValue v) || v.type() != elementType) {
                        throw new IllegalArgumentException("array element " + o + " is not a " + elementType);
                    }
                }
                value = list;
            }
        } else if (elementType != null) {
            throw new IllegalArgumentException("elementType on a " + type);
        }
    }

    /**
     * A string value.
     *
     * @param s the string; not {@code null}
     * @return a {@link GgufType#STRING} value
     */
    public static GgufValue string(String s) {
        return new GgufValue(GgufType.STRING, null, s);
    }

    /**
     * A float32 value.
     *
     * @param f the value
     * @return a {@link GgufType#FLOAT32} value holding a {@link Float}
     */
    public static GgufValue float32(float f) {
        return new GgufValue(GgufType.FLOAT32, null, f);
    }

    /**
     * A uint32 value.
     *
     * @param v the value, 0..4294967295 (not range-checked here; the writer stores the low 32
     *     bits)
     * @return a {@link GgufType#UINT32} value holding a {@link Long}
     */
    public static GgufValue uint32(long v) {
        return new GgufValue(GgufType.UINT32, null, v);
    }

    /**
     * An integer of {@code type} (any integer type).
     *
     * @param type one of the integer types, e.g. {@link GgufType#INT32} or {@link GgufType#UINT64}
     * @param v the value; for {@link GgufType#UINT64} the bits of the unsigned value
     * @return a value of {@code type} holding a {@link Long}
     */
    public static GgufValue integer(GgufType type, long v) {
        return new GgufValue(type, null, v);
    }

    /**
     * An array of {@code elementType}.
     *
     * @param elementType the type every element has
     * @param values the elements; copied
     * @return an {@link GgufType#ARRAY} value
     * @throws IllegalArgumentException if an element is not of {@code elementType}
     */
    public static GgufValue array(GgufType elementType, List<GgufValue> values) {
        return new GgufValue(GgufType.ARRAY, elementType, values);
    }

    /**
     * The elements of an array value.
     *
     * @return the elements, unmodifiable
     * @throws IllegalStateException if this is not an array value
     */
    @SuppressWarnings("unchecked")
    public List<GgufValue> elements() {
        if (type != GgufType.ARRAY) throw new IllegalStateException(type + " is not an array");
        return (List<GgufValue>) value;
    }
}
