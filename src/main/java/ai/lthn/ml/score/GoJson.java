package ai.lthn.ml.score;

import ai.lthn.ml.internal.Json;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Decodes a judge's JSON the way Go's {@code encoding/json} decodes into go-ml's structs, so the
 * same replies are accepted and rejected: keys match field names case-insensitively; an int field
 * takes only an integer literal (no fraction or exponent: {@code 7.0} and {@code "8"} are
 * errors); a float field takes any number; a string field only a string; {@code null} leaves the
 * zero value; unknown keys are ignored; the top level must be an object.
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

        Named named(String name) {
            return new Named(name, this);
        }
    }

    /** One struct field: its JSON name and kind. */
    record Named(String name, Field kind) {}

    /** Decoded values by field name, zero where absent. */
    static final class Values {
        private final Map<String, Object> values = new HashMap<>();

        int integer(String name) {
            Object v = values.get(name);
            return v == null ? 0 : (Integer) v;
        }

        double number(String name) {
            Object v = values.get(name);
            return v == null ? 0 : (Double) v;
        }

        String string(String name) {
            Object v = values.get(name);
            return v == null ? "" : (String) v;
        }

        /** The boolean, or null when absent (Go's *bool). */
        Boolean bool(String name) {
            return (Boolean) values.get(name);
        }
    }

    /** How to build one record from decoded values. */
    record Shape<T>(String goName, Function<Values, T> build, List<Named> fields) {}

    static <T> Shape<T> shape(String goName, Function<Values, T> build, Named... fields) {
        return new Shape<>(goName, build, List.of(fields));
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
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            Named field = match(shape.fields(), e.getKey());
            if (field == null) continue;
            JsonNode v = e.getValue();
            if (v.isNull()) continue;
            values.values.put(field.name(), convert(v, field, shape.goName()));
        }
        return shape.build().apply(values);
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
