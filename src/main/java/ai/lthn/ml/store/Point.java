package ai.lthn.ml.store;

import java.time.Clock;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One InfluxDB point, encoded as line protocol by {@link #toLine()} with the escaping go-ml
 * lacked: commas, equals signs and spaces in tag keys, tag values and field keys; commas and
 * spaces in the measurement; {@code "} and {@code \} in string fields. What line protocol cannot
 * carry is rejected rather than corrupted: a line break anywhere, and in names and tags a
 * backslash at the end or before a comma, equals sign or space (InfluxDB does not unescape
 * {@code \\} there, verified against influxd 1.6). Tags with empty values are dropped (the
 * server rejects them). Tags are written sorted by key, as InfluxDB recommends.
 *
 * <p>Give every point a deterministic timestamp: a point written twice with the same series and
 * timestamp overwrites itself, so replaying a buffer is idempotent. A point built without one is
 * stamped when it is built (go-ml's were written at time 0 and overwrote each other), from the
 * builder's {@link Builder#clock clock}; on the default system clock stamps are strictly
 * increasing within this JVM, so two such points never share a time even within one tick.
 *
 * @param measurement the measurement name; not empty
 * @param tags tag key to value; empty values are dropped, the rest kept sorted by key
 * @param fields field values: {@link Long}/{@link Integer} (written {@code 5i}), {@link Double},
 *     {@link Boolean} or {@link String}
 * @param timestampNanos nanoseconds since the epoch
 */
public record Point(String measurement, Map<String, String> tags, Map<String, Object> fields, long timestampNanos) {

    /**
     * Validates and copies.
     *
     * @param measurement the measurement name; not empty, no line break or unencodable backslash
     * @param tags tag key to value; keys not empty, values not {@code null}; empty values are
     *     dropped
     * @param fields field name to value; at least one; {@link Long}, {@link Integer}, finite
     *     {@link Double}, {@link Boolean} or {@link String} without a line break
     * @param timestampNanos nanoseconds since the epoch
     * @throws NullPointerException if a map, key or value is {@code null}
     * @throws IllegalArgumentException if something cannot be carried by line protocol, as above
     */
    public Point {
        requireText(measurement, "measurement");
        TreeMap<String, String> t = new TreeMap<>();
        for (var e : Objects.requireNonNull(tags, "tags").entrySet()) {
            requireText(e.getKey(), "tag key");
            String v = Objects.requireNonNull(e.getValue(), "tag value");
            noNewline(v, "tag " + e.getKey());
            encodable(v, "tag " + e.getKey());
            if (!v.isEmpty()) t.put(e.getKey(), v);
        }
        tags = Collections.unmodifiableMap(t);
        if (Objects.requireNonNull(fields, "fields").isEmpty())
            throw new IllegalArgumentException("point " + measurement + " has no fields");
        LinkedHashMap<String, Object> f = new LinkedHashMap<>();
        for (var e : fields.entrySet()) {
            requireText(e.getKey(), "field key");
            Object v = Objects.requireNonNull(e.getValue(), "field " + e.getKey());
            if (v instanceof Double d && (d.isNaN() || d.isInfinite()))
                throw new IllegalArgumentException("field " + e.getKey() + " is not finite: " + d);
            if (v instanceof String s) noNewline(s, "field " + e.getKey());
            else if (!(v instanceof Long || v instanceof Integer || v instanceof Double || v instanceof Boolean))
                throw new IllegalArgumentException("field " + e.getKey() + " has unsupported type "
                        + v.getClass().getName());
            f.put(e.getKey(), v);
        }
        fields = Collections.unmodifiableMap(f);
    }

    /**
     * A builder for a point in {@code measurement}.
     *
     * @param measurement the measurement name (checked by {@link Builder#build()})
     * @return a new builder with no tags, no fields and no timestamp
     */
    public static Builder builder(String measurement) {
        return new Builder(measurement);
    }

    /**
     * The line-protocol line (no trailing newline).
     *
     * @return {@code measurement,tags fields timestamp}, escaped; integers carry an {@code i}
     *     suffix
     */
    public String toLine() {
        StringBuilder sb = new StringBuilder(128);
        escape(sb, measurement, false, true);
        for (var e : tags.entrySet()) {
            sb.append(',');
            escape(sb, e.getKey(), true, false);
            sb.append('=');
            escape(sb, e.getValue(), true, false);
        }
        char sep = ' ';
        for (var e : fields.entrySet()) {
            sb.append(sep);
            sep = ',';
            escape(sb, e.getKey(), true, false);
            sb.append('=');
            Object v = e.getValue();
            if (v instanceof Long || v instanceof Integer) sb.append(v).append('i');
            else if (v instanceof Double d) sb.append(ai.lthn.ml.internal.GoFloats.format(d));
            else if (v instanceof Boolean b) sb.append(b);
            else {
                sb.append('"');
                String s = (String) v;
                for (int i = 0; i < s.length(); i++) {
                    char c = s.charAt(i);
                    if (c == '"' || c == '\\') sb.append('\\');
                    sb.append(c);
                }
                sb.append('"');
            }
        }
        return sb.append(' ').append(timestampNanos).toString();
    }

    private static void escape(StringBuilder sb, String s, boolean equalsToo, boolean measurement) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == ',' || c == ' ' || (equalsToo && c == '=')) sb.append('\\');
            sb.append(c);
        }
    }

    private static void requireText(String s, String what) {
        Objects.requireNonNull(s, what);
        if (s.isEmpty()) throw new IllegalArgumentException(what + " is empty");
        noNewline(s, what);
        encodable(s, what);
    }

    /** A backslash that would escape the separator after it, or an escaped character, is refused. */
    private static void encodable(String s, String what) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) != '\\') continue;
            char next = i + 1 < s.length() ? s.charAt(i + 1) : ' ';
            if (next == ',' || next == '=' || next == ' ' || next == '\\')
                throw new IllegalArgumentException(
                        what + " has a backslash line protocol cannot carry (at the end or before , = space \\): " + s);
        }
    }

    private static void noNewline(String s, String what) {
        if (s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0)
            throw new IllegalArgumentException(what + " contains a line break: " + s.strip());
    }

    /** Builds a {@link Point}; tags and fields keep their insertion order until encoded. */
    public static final class Builder {
        private final String measurement;
        private final Map<String, String> tags = new LinkedHashMap<>();
        private final Map<String, Object> fields = new LinkedHashMap<>();
        private static final AtomicLong LAST_STAMP = new AtomicLong();

        private long timestampNanos;
        private boolean timestampSet;
        private Clock clock;

        private Builder(String measurement) {
            this.measurement = measurement;
        }

        /**
         * Adds a tag; a later value for the same key replaces the earlier one.
         *
         * @param key the tag key; not empty
         * @param value the tag value; empty drops the tag, {@code null} fails {@link #build()}
         * @return this builder
         */
        public Builder tag(String key, String value) {
            tags.put(key, value);
            return this;
        }

        /**
         * Adds an integer field (written with the {@code i} suffix).
         *
         * @param key the field name; not empty
         * @param value the value
         * @return this builder
         */
        public Builder field(String key, long value) {
            fields.put(key, value);
            return this;
        }

        /**
         * Adds a float field.
         *
         * @param key the field name; not empty
         * @param value the value; must be finite, or {@link #build()} fails
         * @return this builder
         */
        public Builder field(String key, double value) {
            fields.put(key, value);
            return this;
        }

        /**
         * Adds a boolean field.
         *
         * @param key the field name; not empty
         * @param value the value
         * @return this builder
         */
        public Builder field(String key, boolean value) {
            fields.put(key, value);
            return this;
        }

        /**
         * Adds a string field (quoted, with {@code "} and {@code \} escaped).
         *
         * @param key the field name; not empty
         * @param value the value; no line break, not {@code null}
         * @return this builder
         */
        public Builder field(String key, String value) {
            fields.put(key, value);
            return this;
        }

        /**
         * The time, in nanoseconds since the epoch; without one the point is stamped when built.
         *
         * @param value nanoseconds since the epoch
         * @return this builder
         */
        public Builder timestampNanos(long value) {
            this.timestampNanos = value;
            this.timestampSet = true;
            return this;
        }

        /**
         * The clock that stamps a point built without a timestamp; default the system clock.
         *
         * @param value the clock; not {@code null}
         * @return this builder
         */
        public Builder clock(Clock value) {
            this.clock = Objects.requireNonNull(value, "clock");
            return this;
        }

        /**
         * Builds the point, stamping it now if no timestamp was set.
         *
         * @return the validated point
         * @throws IllegalArgumentException if the point cannot be carried by line protocol (see
         *     {@link Point#Point})
         */
        public Point build() {
            return new Point(measurement, tags, fields, timestampSet ? timestampNanos : stamp());
        }

        private long stamp() {
            if (clock != null) return nanos(clock.instant());
            long now = nanos(Instant.now());
            return LAST_STAMP.updateAndGet(last -> Math.max(now, last + 1));
        }

        private static long nanos(Instant t) {
            return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000_000L), t.getNano());
        }
    }
}
