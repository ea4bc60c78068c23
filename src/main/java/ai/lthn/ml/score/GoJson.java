package ai.lthn.ml.score;

import ai.lthn.ml.internal.Json;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Decodes a judge's JSON the way Go's {@code encoding/json} decodes into go-ml's structs, so the
 * same replies are accepted and rejected: keys match field names case-insensitively; an int field
 * takes only an integer literal (no fraction or exponent: {@code 7.0} and {@code "8"} are
 * errors); a float field takes any number; a string field only a string; {@code null} leaves the
 * zero value; unknown keys are ignored; the top level must be an object. Unlike Go, an object
 * with none of the record's scores ({@code {}}, {@code {"score": 9}}) is an error, not zeros.
 */
final class GoJson {

    private GoJson() {}

    /** The JSON kinds go-ml's score structs use. */
    enum Field {
        INT("int"),
        FLOAT("float64"),
        STRING("string"),
        BOOL("bool");

        private final String goType;

        Field(String goType) {
            this.goType = goType;
        }

        static Field of(Class<?> type) {
            if (type == int.class) return INT;
            if (type == double.class) return FLOAT;
            if (type == String.class) return STRING;
            if (type == Boolean.class) return BOOL;
            throw new IllegalArgumentException("no Go kind for " + type);
        }
    }

    /**
     * One struct field: its JSON name, kind and the record accessor that reads it.
     *
     * @param name the JSON name: the component's {@code @JsonProperty}, else its own name
     */
    record Named(String name, Field kind, Method accessor) {
        /** The field's value in {@code record}. */
        Object get(Object record) {
            try {
                return accessor.invoke(record);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot read " + name, e);
            }
        }

        /** The field as a number (ints and floats only). */
        double number(Object record) {
            return ((Number) get(record)).doubleValue();
        }
    }

    /** Decoded values by field name, zero where absent. */
    static final class Values {
        private final Map<String, Object> values = new HashMap<>();

        Object zeroOr(Named field) {
            Object v = values.get(field.name());
            if (v != null) return v;
            return switch (field.kind()) {
                case INT -> 0;
                case FLOAT -> 0.0;
                case STRING -> "";
                case BOOL -> null; // Go's *bool
            };
        }
    }

    /**
     * How to build one record from decoded values: its fields, named once, on the record's
     * components ({@code @JsonProperty} where the JSON name differs from the component's).
     */
    record Shape<T>(String goName, Constructor<T> canonical, List<Named> fields) {
        T build(Values values) {
            Object[] args = new Object[fields.size()];
            for (int i = 0; i < args.length; i++) args[i] = values.zeroOr(fields.get(i));
            try {
                return canonical.newInstance(args);
            } catch (InvocationTargetException e) {
                if (e.getCause() instanceof RuntimeException r) throw r;
                throw new IllegalStateException(e.getCause());
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot build " + goName, e);
            }
        }

        /** The numeric fields, in declaration order. */
        List<Named> numbers() {
            return fields.stream()
                    .filter(f -> f.kind() == Field.INT || f.kind() == Field.FLOAT)
                    .toList();
        }
    }

    /**
     * The fields of {@code record} as Go writes a struct whose fields are all {@code omitempty}:
     * zero numbers, empty strings and null booleans left out, in declaration order.
     */
    static <T> Map<String, Object> omitEmpty(Shape<T> shape, T record) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (Named f : shape.fields()) {
            Object v = f.get(record);
            boolean empty = switch (f.kind()) {
                case INT, FLOAT -> ((Number) v).doubleValue() == 0;
                case STRING -> ((String) v).isEmpty();
                case BOOL -> v == null;
            };
            if (!empty) m.put(f.name(), v);
        }
        return m;
    }

    /** The shape of a score record: go-ml's struct of the same simple name. */
    static <T extends Record> Shape<T> shape(Class<T> type) {
        RecordComponent[] components = type.getRecordComponents();
        List<Named> fields = new ArrayList<>(components.length);
        Class<?>[] types = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            RecordComponent c = components[i];
            // @JsonProperty targets fields, methods and parameters: on a component it lands on the accessor
            JsonProperty p = c.getAccessor().getAnnotation(JsonProperty.class);
            String name = p != null && !p.value().isEmpty() ? p.value() : c.getName();
            fields.add(new Named(name, Field.of(c.getType()), c.getAccessor()));
            types[i] = c.getType();
        }
        try {
            return new Shape<>(type.getSimpleName(), type.getDeclaredConstructor(types), List.copyOf(fields));
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException("no canonical constructor in " + type, e);
        }
    }

    /**
     * Decodes {@code json} into the shape's record.
     *
     * @throws DecodeException with Go's wording when a value has the wrong type or the text is
     *     not JSON
     */
    static <T> T decode(String json, Shape<T> shape) throws DecodeException {
        JsonNode root;
        try {
            root = Json.reader().readTree(json);
        } catch (JsonProcessingException e) {
            throw new DecodeException("invalid JSON: " + e.getOriginalMessage());
        }
        if (root == null || root.isMissingNode()) throw new DecodeException("unexpected end of JSON input");
        if (!root.isObject())
            throw new DecodeException(
                    "json: cannot unmarshal " + kindOf(root) + " into Go value of type ml." + shape.goName());
        Values values = new Values();
        boolean anyScore = false;
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            Named field = match(shape.fields(), e.getKey());
            if (field == null) continue;
            JsonNode v = e.getValue();
            if (v.isNull()) continue;
            values.values.put(field.name(), convert(v, field, shape.goName()));
            anyScore |= field.kind() != Field.STRING;
        }
        // Go would decode {"score": 9} or {} as all zeros; a judge that answered none of the
        // rubric's scores has not scored, and a zero would read as a verdict.
        if (shape.numbers().stream().noneMatch(f -> values.values.containsKey(f.name()))
                && shape.fields().stream()
                        .noneMatch(f -> f.kind() == Field.BOOL && values.values.containsKey(f.name())))
            throw new DecodeException("the reply has none of the scores asked for ("
                    + String.join(
                            ", ", shape.numbers().stream().map(Named::name).toList()) + ")");
        return shape.build(values);
    }

    /** Exact name first, then Go's case-insensitive match. */
    private static Named match(List<Named> fields, String key) {
        for (Named f : fields) if (f.name().equals(key)) return f;
        String folded = key.toLowerCase(Locale.ROOT);
        for (Named f : fields) if (f.name().toLowerCase(Locale.ROOT).equals(folded)) return f;
        return null;
    }

    private static Object convert(JsonNode v, Named field, String goName) throws DecodeException {
        switch (field.kind()) {
            case INT -> {
                if (v.isIntegralNumber() && v.canConvertToInt()) return v.intValue();
                if (v.isNumber())
                    throw new DecodeException("json: cannot unmarshal number " + v.asText() + " into Go struct field "
                            + goName + "." + field.name() + " of type int");
            }
            case FLOAT -> {
                if (v.isNumber()) return v.doubleValue();
            }
            case STRING -> {
                if (v.isTextual()) return v.textValue();
            }
            case BOOL -> {
                if (v.isBoolean()) return v.booleanValue();
            }
        }
        throw new DecodeException("json: cannot unmarshal " + kindOf(v) + " into Go struct field " + goName + "."
                + field.name() + " of type " + field.kind().goType);
    }

    private static String kindOf(JsonNode v) {
        if (v.isTextual()) return "string";
        if (v.isNumber()) return "number";
        if (v.isBoolean()) return "bool";
        if (v.isArray()) return "array";
        if (v.isObject()) return "object";
        return "null";
    }

    /** A decode failure, worded as Go's. */
    static final class DecodeException extends Exception {
        private static final long serialVersionUID = 1L;

        DecodeException(String message) {
            super(message);
        }
    }
}
