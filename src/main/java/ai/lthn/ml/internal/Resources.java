package ai.lthn.ml.internal;

import com.fasterxml.jackson.databind.JsonNode;
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
        try {
            return Json.reader().readTree(bytes(anchor, name));
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

    private static String path(Class<?> anchor, String name) {
        if (name.startsWith("/")) return name.substring(1);
        return anchor.getPackageName().replace('.', '/') + "/" + name;
    }
}
