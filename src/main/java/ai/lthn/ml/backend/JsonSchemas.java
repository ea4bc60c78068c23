package ai.lthn.ml.backend;

import ai.lthn.ml.internal.Json;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.Optional;

/**
 * JSON Schemas generated from Java records, for {@link ResponseFormat#jsonSchema(String, Class)}
 * and {@link Tool#function(String, String, Class)}: the common case, where the reply decodes back
 * into the record with Jackson.
 *
 * <table>
 * <caption>The mapping</caption>
 * <tr><th>Java</th><th>schema</th></tr>
 * <tr><td>{@code String}, {@code char}/{@code Character}</td><td>{@code {"type":"string"}}</td></tr>
 * <tr><td>{@code int}, {@code long}, {@code short}, {@code byte}, their boxes, {@code BigInteger}</td>
 *     <td>{@code {"type":"integer"}}</td></tr>
 * <tr><td>{@code double}, {@code float}, their boxes, {@code BigDecimal}</td><td>{@code {"type":"number"}}</td></tr>
 * <tr><td>{@code boolean}/{@code Boolean}</td><td>{@code {"type":"boolean"}}</td></tr>
 * <tr><td>an enum</td><td>{@code {"type":"string","enum":[the constants' names]}}</td></tr>
 * <tr><td>{@code List<T>}, {@code Set<T>}, any {@code Collection<T>}, {@code T[]}</td>
 *     <td>{@code {"type":"array","items":T's schema}}</td></tr>
 * <tr><td>a nested record</td><td>an object schema of its components, in declaration order</td></tr>
 * <tr><td>{@code Optional<T>}, or a component annotated {@code @Nullable} (any annotation of that
 *     simple name)</td><td>not required ({@link #of}); in {@link #strict} mode required but
 *     nullable: {@code "type":[T,"null"]}, or {@code anyOf} [T, null] for an object or array</td></tr>
 * </table>
 *
 * <p>Property names are the components' names, or the value of Jackson's {@code @JsonProperty}
 * when present. Every object has {@code "additionalProperties": false}. Strict mode is what
 * OpenAI's structured outputs require: every property listed in {@code required}, optional ones
 * made nullable instead. A type outside the mapping (a map, {@code Object}, a generic type
 * variable, an interface) or a record that contains itself is refused with the component's path.
 */
public final class JsonSchemas {
    private JsonSchemas() {}

    /**
     * The schema of a record, optional components not required.
     *
     * @param type the record
     * @return the schema as JSON text
     * @throws IllegalArgumentException naming the component whose type the mapping does not cover
     */
    public static String of(Class<? extends Record> type) {
        return text(new Generator(false).object(type, type.getSimpleName()));
    }

    /**
     * The schema of a record in OpenAI's strict form: every property required, optional ones
     * nullable, no additional properties.
     *
     * @param type the record
     * @return the schema as JSON text
     * @throws IllegalArgumentException naming the component whose type the mapping does not cover
     */
    public static String strict(Class<? extends Record> type) {
        return text(new Generator(true).object(type, type.getSimpleName()));
    }

    private static String text(ObjectNode schema) {
        try {
            return Json.writer().writeValueAsString(schema);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write a schema", e);
        }
    }

    private static final class Generator {
        private final boolean strict;
        private final Deque<Class<?>> path = new ArrayDeque<>();

        Generator(boolean strict) {
            this.strict = strict;
        }

        ObjectNode object(Class<?> type, String where) {
            if (path.contains(type))
                throw new IllegalArgumentException(where + ": record " + type.getSimpleName()
                        + " contains itself; the mapping covers no recursion");
            path.push(type);
            try {
                ObjectNode schema = Json.object().put("type", "object");
                ObjectNode properties = schema.putObject("properties");
                ArrayNode required = schema.putArray("required");
                for (RecordComponent c : type.getRecordComponents()) {
                    String name = name(c);
                    String at = where + "." + c.getName();
                    Type t = c.getGenericType();
                    boolean optional = false;
                    if (t instanceof ParameterizedType p && p.getRawType() == Optional.class) {
                        t = p.getActualTypeArguments()[0];
                        optional = true;
                    }
                    optional |= nullable(c);
                    if (optional && c.getType().isPrimitive())
                        throw new IllegalArgumentException(at + ": a primitive cannot be null");
                    ObjectNode property = schema(t, at);
                    if (optional && strict) property = nullable(property);
                    properties.set(name, property);
                    if (strict || !optional) required.add(name);
                }
                schema.put("additionalProperties", false);
                return schema;
            } finally {
                path.pop();
            }
        }

        private static String name(RecordComponent c) {
            JsonProperty p = c.getAccessor().getAnnotation(JsonProperty.class);
            if (p == null) p = c.getAnnotation(JsonProperty.class);
            return p != null && !p.value().isEmpty() ? p.value() : c.getName();
        }

        private static boolean nullable(RecordComponent c) {
            for (Annotation a : c.getAnnotations())
                if (a.annotationType().getSimpleName().equals("Nullable")) return true;
            for (Annotation a : c.getAnnotatedType().getAnnotations())
                if (a.annotationType().getSimpleName().equals("Nullable")) return true;
            return false;
        }

        private static ObjectNode nullable(ObjectNode property) {
            if (property.get("type").isTextual() && !property.has("properties") && !property.has("items")) {
                String t = property.get("type").textValue();
                ArrayNode types = property.putArray("type");
                types.add(t).add("null");
                if (property.has("enum")) ((ArrayNode) property.get("enum")).addNull();
                return property;
            }
            ObjectNode any = Json.object();
            ArrayNode options = any.putArray("anyOf");
            options.add(property);
            options.addObject().put("type", "null");
            return any;
        }

        ObjectNode schema(Type t, String where) {
            if (t instanceof Class<?> c) {
                if (c == String.class || c == char.class || c == Character.class)
                    return Json.object().put("type", "string");
                if (c == int.class
                        || c == long.class
                        || c == short.class
                        || c == byte.class
                        || c == Integer.class
                        || c == Long.class
                        || c == Short.class
                        || c == Byte.class
                        || c == BigInteger.class) return Json.object().put("type", "integer");
                if (c == double.class
                        || c == float.class
                        || c == Double.class
                        || c == Float.class
                        || c == BigDecimal.class) return Json.object().put("type", "number");
                if (c == boolean.class || c == Boolean.class)
                    return Json.object().put("type", "boolean");
                if (c.isEnum()) {
                    ObjectNode e = Json.object().put("type", "string");
                    ArrayNode values = e.putArray("enum");
                    for (Object constant : c.getEnumConstants()) values.add(((Enum<?>) constant).name());
                    return e;
                }
                if (c.isArray()) return array(c.getComponentType(), where);
                if (c.isRecord()) return object(c, where);
                throw unsupported(where, c.getTypeName());
            }
            if (t instanceof GenericArrayType g) return array(g.getGenericComponentType(), where);
            if (t instanceof ParameterizedType p
                    && p.getRawType() instanceof Class<?> raw
                    && Collection.class.isAssignableFrom(raw)) return array(p.getActualTypeArguments()[0], where);
            throw unsupported(where, t.getTypeName());
        }

        private ObjectNode array(Type item, String where) {
            ObjectNode a = Json.object().put("type", "array");
            a.set("items", schema(item, where + "[]"));
            return a;
        }

        private static IllegalArgumentException unsupported(String where, String type) {
            return new IllegalArgumentException(where + ": no JSON Schema mapping for " + type
                    + " (strings, numbers, booleans, enums, collections, arrays, records and Optional are mapped)");
        }
    }
}
