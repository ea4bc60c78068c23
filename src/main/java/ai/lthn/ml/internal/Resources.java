package ai.lthn.ml.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The one loader of the library's bundled resources (behaviour tables, rubrics, pages). A
 * missing resource is a broken build, not bad input: {@link IllegalStateException}.
 */
public final class Resources {
    private Resources() {}

    /**
     * The bytes of a resource.
     *
     * @param anchor the class whose package a relative {@code name} is resolved against
     * @param name the resource name, relative to {@code anchor}'s package or absolute ({@code /...})
     * @return its bytes
     * @throws IllegalStateException if the resource is missing
     * @throws UncheckedIOException if it cannot be read
     */
    public static byte[] bytes(Class<?> anchor, String name) {
        try (InputStream in = anchor.getResourceAsStream(name)) {
            if (in == null) throw new IllegalStateException("missing resource " + path(anchor, name));
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("reading resource " + path(anchor, name), e);
        }
    }

    /**
     * A resource as UTF-8 text, byte for byte.
     *
     * @param anchor the class whose package a relative {@code name} is resolved against
     * @param name the resource name
     * @return its text
     */
    public static String text(Class<?> anchor, String name) {
        return new String(bytes(anchor, name), StandardCharsets.UTF_8);
    }

    /**
     * A JSON resource as a tree.
     *
     * @param anchor the class whose package a relative {@code name} is resolved against
     * @param name the resource name
     * @return its root node
     */
    public static JsonNode json(Class<?> anchor, String name) {
        // the streaming parser into nodes: the tree data binding's readTree builds, without
        // building the object mapper (start-up of ml score, which reads its patterns this way)
        try (JsonParser p = Json.factory().createParser(bytes(anchor, name))) {
            JsonToken first = p.nextToken();
            if (first == null) throw new IOException("no JSON value");
            JsonNode root = node(p, first);
            if (p.nextToken() != null) throw new IOException("more than one JSON value");
            return root;
        } catch (IOException e) {
            throw new UncheckedIOException("reading resource " + path(anchor, name), e);
        }
    }

    /**
     * A JSON resource bound to {@code type} (unknown fields ignored).
     *
     * @param <T> the bound type
     * @param anchor the class whose package a relative {@code name} is resolved against
     * @param name the resource name
     * @param type the type to bind
     * @return the value
     */
    public static <T> T json(Class<?> anchor, String name, Class<T> type) {
        try {
            return Json.reader().forType(type).readValue(bytes(anchor, name));
        } catch (IOException e) {
            throw new UncheckedIOException("reading resource " + path(anchor, name), e);
        }
    }

    private static JsonNode node(JsonParser p, JsonToken token) throws IOException {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        return switch (token) {
            case START_OBJECT -> {
                ObjectNode object = nodes.objectNode();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String field = p.currentName();
                    object.set(field, node(p, p.nextToken()));
                }
                yield object;
            }
            case START_ARRAY -> {
                ArrayNode array = nodes.arrayNode();
                for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) array.add(node(p, t));
                yield array;
            }
            case VALUE_STRING -> nodes.textNode(p.getText());
            case VALUE_NUMBER_INT ->
                switch (p.getNumberType()) {
                    case INT -> nodes.numberNode(p.getIntValue());
                    case LONG -> nodes.numberNode(p.getLongValue());
                    default -> nodes.numberNode(p.getBigIntegerValue());
                };
            case VALUE_NUMBER_FLOAT -> nodes.numberNode(p.getDoubleValue());
            case VALUE_TRUE -> nodes.booleanNode(true);
            case VALUE_FALSE -> nodes.booleanNode(false);
            case VALUE_NULL -> nodes.nullNode();
            default -> throw new IOException("unexpected " + token);
        };
    }

    private static String path(Class<?> anchor, String name) {
        if (name.startsWith("/")) return name.substring(1);
        return anchor.getPackageName().replace('.', '/') + "/" + name;
    }
}
