package ai.lthn.ml.store;

import ai.lthn.ml.HttpStatusException;
import ai.lthn.ml.MlException;
import ai.lthn.ml.MlTimeoutException;
import ai.lthn.ml.RetryPolicy;
import ai.lthn.ml.internal.Checks;
import ai.lthn.ml.internal.HttpBodies;
import ai.lthn.ml.internal.HttpRetry;
import ai.lthn.ml.internal.Json;
import ai.lthn.ml.internal.Redact;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.FormBody;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * An InfluxDB client over the v1 HTTP API ({@code /write}, {@code /query}, {@code /ping}), which
 * InfluxDB 1.x serves and InfluxDB 3 keeps for compatibility (go-ml spoke the v3-only
 * {@code /api/v3} endpoints, which nothing installable here serves).
 *
 * <p>Better than go-ml: no default URL (go-ml defaulted to a private address); the database name
 * is URL-encoded; a token is sent only when configured, never in clear text to anything but
 * loopback, and never logged; a {@code user:password@} in the URL is sent as HTTP basic
 * authentication (InfluxDB 1.x accepts it) under the same clear-text rule, and every URL in a
 * message or log line has its credentials redacted; 408/429/5xx and connection failures are retried under a
 * {@link RetryPolicy}, while a 400 (bad or partial write: InfluxDB stores the good lines) or
 * 401/404 fails at once, since repeating it cannot help; response bodies are read with a bound.
 * Thread-safe.
 */
public final class InfluxClient {
    private static final MediaType TEXT = MediaType.get("text/plain; charset=utf-8");
    private static final OkHttpClient SHARED = ai.lthn.ml.internal.HttpClients.shared();

    private final HttpUrl base;
    private final String display;
    private final String basicAuth;
    private final String database;
    private final String token;
    private final OkHttpClient client;
    private final Duration timeout;
    private final RetryPolicy retry;
    private final HttpRetry.Sleeper sleeper;
    private final long maxResponseBytes;
    private final Api api;

    /** The HTTP API spoken. */
    public enum Api {
        /** {@code /write} and {@code /query} (InfluxQL): InfluxDB 1.x, the 2.x and 3.x compatibility API. */
        V1,
        /**
         * InfluxDB 3: {@code /api/v3/write_lp}, {@code /api/v3/query_influxql} for {@link #query} and
         * {@code /api/v3/query_sql} for {@link #querySql}.
         */
        V3
    }

    private InfluxClient(Builder b) {
        this.api = b.api;
        this.base = b.base.newBuilder().username("").password("").build();
        this.display = Redact.url(b.base.toString());
        this.basicAuth = b.base.username().isEmpty()
                ? ""
                : okhttp3.Credentials.basic(
                        b.base.username(), b.base.password(), java.nio.charset.StandardCharsets.UTF_8);
        this.database = b.database;
        this.token = b.token;
        this.client = b.client != null ? b.client : SHARED;
        this.timeout = b.timeout;
        this.retry = b.retry;
        this.sleeper = b.sleeper;
        this.maxResponseBytes = b.maxResponseBytes;
    }

    /**
     * A builder for the server at {@code url} (e.g. {@code http://127.0.0.1:8086}) and
     * {@code database}.
     *
     * @param url the server's base URL, http or https; a {@code user:password@} in it is sent as
     *     basic authentication
     * @param database the database name; not empty (it is URL-encoded when sent)
     * @return a builder with the defaults: no token, the v1 API, a 10 s timeout and {@link
     *     RetryPolicy#defaults()}
     * @throws IllegalArgumentException if the URL is not an http(s) URL or the database is empty
     */
    public static Builder builder(String url, String database) {
        return new Builder(url, database);
    }

    /**
     * The HTTP API spoken.
     *
     * @return the API chosen on the builder ({@link Api#V1} by default)
     */
    public Api api() {
        return api;
    }

    /**
     * The database written to.
     *
     * @return the database name, as given (not encoded)
     */
    public String database() {
        return database;
    }

    /**
     * Writes points in one request ({@code precision=ns}).
     *
     * @param points the points; an empty list sends nothing
     * @throws HttpStatusException for a rejected write (400 names the bad lines; the good ones of
     *     the batch were stored), an unknown database (404) or a refused token (401)
     * @throws MlException after the retries for 408/429/5xx or connection failures
     */
    public void write(List<Point> points) {
        if (points.isEmpty()) return;
        StringBuilder body = new StringBuilder(points.size() * 96);
        for (Point p : points) body.append(p.toLine()).append('\n');
        writeLines(body.toString());
    }

    /**
     * Writes already-encoded line protocol (one point per line), as {@link #write} does.
     *
     * @param body newline-separated line protocol with nanosecond timestamps; an empty string
     *     sends nothing
     * @throws HttpStatusException for a rejected write, an unknown database or a refused token
     * @throws MlException after the retries for 408/429/5xx or connection failures
     */
    public void writeLines(String body) {
        if (body.isEmpty()) return;
        HttpUrl url = api == Api.V3
                ? base.newBuilder()
                        .addPathSegments("api/v3/write_lp")
                        .addQueryParameter("db", database)
                        .addQueryParameter("precision", "nanosecond")
                        .build()
                : base.newBuilder()
                        .addPathSegment("write")
                        .addQueryParameter("db", database)
                        .addQueryParameter("precision", "ns")
                        .build();
        Request req =
                request(url).post(RequestBody.create(body.toString(), TEXT)).build();
        HttpRetry.run(retry, sleeper, "POST " + display + "write", () -> {
            try (Response r = call(req).execute()) {
                if (r.code() == 204 || r.code() == 200) return null;
                throw status(r, "write to " + database);
            }
        });
    }

    /**
     * Runs InfluxQL and returns the rows of every series: each row maps the series' tags and the
     * columns to their values (times as nanosecond numbers).
     *
     * @param influxQl the InfluxQL statement, sent as is (the caller quotes identifiers)
     * @return the rows of every series in the server's order; empty when nothing matched
     * @throws MlException when the server reports an error for the statement
     */
    public List<Map<String, Object>> query(String influxQl) {
        if (api == Api.V3) return v3Query("query_influxql", influxQl);
        HttpUrl url = base.newBuilder()
                .addPathSegment("query")
                .addQueryParameter("epoch", "ns")
                .build();
        Request req = request(url)
                .post(new FormBody.Builder()
                        .add("db", database)
                        .add("q", influxQl)
                        .build())
                .build();
        JsonNode root = HttpRetry.run(retry, sleeper, "POST " + display + "query", () -> {
            try (Response r = call(req).execute()) {
                if (r.code() != 200) throw status(r, "query");
                return Json.reader().readTree(bounded(r));
            }
        });
        List<Map<String, Object>> rows = new ArrayList<>();
        for (JsonNode result : root.path("results")) {
            if (result.hasNonNull("error"))
                throw new MlException("query failed: " + result.path("error").asText() + " (" + influxQl + ")");
            for (JsonNode series : result.path("series")) {
                List<String> columns = new ArrayList<>();
                series.path("columns").forEach(c -> columns.add(c.asText()));
                for (JsonNode values : series.path("values")) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    series.path("tags")
                            .fields()
                            .forEachRemaining(
                                    t -> row.put(t.getKey(), t.getValue().asText()));
                    for (int i = 0; i < columns.size(); i++) row.put(columns.get(i), value(values.get(i)));
                    rows.add(row);
                }
            }
        }
        return rows;
    }

    /**
     * Runs SQL on InfluxDB 3 ({@code /api/v3/query_sql}) and returns its rows.
     *
     * @param sql the SQL statement, sent as is
     * @return one map per row, column name to JSON value; empty when nothing matched
     * @throws MlException when the server answers with an error or not a JSON array of rows
     * @throws IllegalStateException on the v1 API, which has no SQL
     */
    public List<Map<String, Object>> querySql(String sql) {
        if (api != Api.V3) throw new IllegalStateException("SQL queries need the v3 API");
        return v3Query("query_sql", sql);
    }

    private List<Map<String, Object>> v3Query(String endpoint, String q) {
        HttpUrl url = base.newBuilder().addPathSegments("api/v3/" + endpoint).build();
        com.fasterxml.jackson.databind.node.ObjectNode body = Json.object();
        body.put("db", database).put("q", q).put("format", "json");
        Request req = request(url)
                .post(RequestBody.create(body.toString(), MediaType.get("application/json")))
                .build();
        JsonNode root = HttpRetry.run(retry, sleeper, "POST " + base + "api/v3/" + endpoint, () -> {
            try (Response r = call(req).execute()) {
                if (r.code() != 200) throw status(r, "query");
                return Json.reader().readTree(bounded(r));
            }
        });
        if (root == null || !root.isArray())
            throw new MlException("influx " + endpoint + ": expected a JSON array of rows (" + q + ")");
        List<Map<String, Object>> rows = new ArrayList<>();
        for (JsonNode row : root) {
            Map<String, Object> m = new LinkedHashMap<>();
            row.fields().forEachRemaining(e -> m.put(e.getKey(), value(e.getValue())));
            rows.add(m);
        }
        return rows;
    }

    /** Creates the database if it does not exist (InfluxDB 1.x needs this before writing; v3 creates it on write). */
    public void createDatabase() {
        if (api == Api.V3) return;
        query("CREATE DATABASE \"" + database.replace("\\", "\\\\").replace("\"", "\\\"") + "\"");
    }

    /**
     * Whether {@code /ping} answers 204 now (one try, no retries).
     *
     * @return {@code true} on a 204; {@code false} on any other status or a connection failure
     */
    public boolean ping() {
        HttpUrl url = base.newBuilder().addPathSegment("ping").build();
        try (Response r = call(request(url).get().build()).execute()) {
            return r.code() == 204;
        } catch (IOException e) {
            return false;
        }
    }

    private Request.Builder request(HttpUrl url) {
        Request.Builder b = new Request.Builder().url(url);
        if (!token.isEmpty()) b.header("Authorization", "Token " + token);
        else if (!basicAuth.isEmpty()) b.header("Authorization", basicAuth);
        return b;
    }

    private Call call(Request req) {
        Call c = client.newCall(req);
        c.timeout().timeout(timeout.toNanos(), TimeUnit.NANOSECONDS);
        return c;
    }

    private HttpStatusException status(Response r, String what) throws IOException {
        String body = HttpBodies.text(r.body(), HttpBodies.ERROR_TEXT_BYTES);
        if (body.length() > 2000) body = body.substring(0, 2000) + "...";
        String message = body;
        try {
            JsonNode j = Json.reader().readTree(body);
            if (j != null && j.hasNonNull("error")) message = j.path("error").asText();
        } catch (IOException notJson) {
            // keep the raw body
        }
        return new HttpStatusException(
                "influx " + what + " failed " + r.code() + ": " + message.strip(),
                r.code(),
                body,
                HttpRetry.retryAfter(r.header("Retry-After")));
    }

    private byte[] bounded(Response r) throws IOException {
        try {
            return HttpBodies.bytes(r.body(), maxResponseBytes, "influx " + display);
        } catch (InterruptedIOException e) {
            throw new MlTimeoutException("influx call timed out after " + timeout.toMillis() + " ms", timeout, "", e);
        }
    }

    private static Object value(JsonNode v) {
        if (v == null || v.isNull()) return null;
        if (v.isIntegralNumber()) return v.longValue();
        if (v.isNumber()) return v.doubleValue();
        if (v.isBoolean()) return v.booleanValue();
        return v.asText();
    }

    /** Builds an {@link InfluxClient}. */
    public static final class Builder {
        private final HttpUrl base;
        private final String database;
        private String token = "";
        private boolean allowInsecureToken;
        private OkHttpClient client;
        private Duration timeout = Duration.ofSeconds(10);
        private RetryPolicy retry = RetryPolicy.defaults();
        private HttpRetry.Sleeper sleeper = HttpRetry.Sleeper.real();
        private long maxResponseBytes = 8L * 1024 * 1024;
        private Api api = Api.V1;

        private Builder(String url, String database) {
            Objects.requireNonNull(url, "url");
            HttpUrl parsed = HttpUrl.parse(url.endsWith("/") ? url : url + "/");
            if (parsed == null) throw new IllegalArgumentException("not an http(s) URL: " + url);
            this.base = parsed;
            this.database = Objects.requireNonNull(database, "database");
            if (database.isEmpty()) throw new IllegalArgumentException("database is empty");
        }

        /**
         * A token sent as {@code Authorization: Token ...}; never logged.
         *
         * @param value the token; empty (the default) sends none; not {@code null}
         * @return this builder
         */
        public Builder token(String value) {
            this.token = Objects.requireNonNull(value, "token");
            return this;
        }

        /**
         * Allow sending the token over plain http to a non-loopback host (default: refused).
         *
         * @param value {@code true} to allow it
         * @return this builder
         */
        public Builder allowInsecureToken(boolean value) {
            this.allowInsecureToken = value;
            return this;
        }

        /**
         * The HTTP API; default {@link Api#V1}.
         *
         * @param value the API; not {@code null}
         * @return this builder
         */
        public Builder api(Api value) {
            this.api = Objects.requireNonNull(value, "api");
            return this;
        }

        /**
         * Use this client (not closed here).
         *
         * @param value the OkHttp client to share; not {@code null} (default: a client of this builder's own)
         * @return this builder
         */
        public Builder client(OkHttpClient value) {
            this.client = Objects.requireNonNull(value, "client");
            return this;
        }

        /**
         * The limit on one request; default 10 s (go-ml's).
         *
         * @param value the limit on one request, each retry included separately; positive
         * @return this builder
         */
        public Builder timeout(Duration value) {
            this.timeout = Checks.positive(value, "timeout");
            return this;
        }

        /**
         * The retry policy; default {@link RetryPolicy#defaults()}.
         *
         * @param value the policy for 408/429/5xx and connection failures; not {@code null}
         * @return this builder
         */
        public Builder retryPolicy(RetryPolicy value) {
            this.retry = Objects.requireNonNull(value, "retryPolicy");
            return this;
        }

        Builder sleeper(HttpRetry.Sleeper value) {
            this.sleeper = value;
            return this;
        }

        /**
         * The client.
         *
         * @return the client
         * @throws IllegalArgumentException if a token would travel in clear text off this machine
         */
        public InfluxClient build() {
            boolean secret = !token.isEmpty() || !base.password().isEmpty();
            if (secret && !base.isHttps() && !allowInsecureToken && !isLoopback(base.host()))
                throw new IllegalArgumentException("refusing to send an InfluxDB "
                        + (token.isEmpty() ? "password" : "token") + " over plain http to " + base.host()
                        + " (use https, or allowInsecureToken(true))");
            return new InfluxClient(this);
        }

        private static boolean isLoopback(String host) {
            if (host.equals("localhost")) return true;
            try {
                return host.matches("[0-9.]+|\\[?[0-9a-fA-F:]+\\]?")
                        && InetAddress.getByName(host).isLoopbackAddress();
            } catch (UnknownHostException e) {
                return false;
            }
        }
    }
}
