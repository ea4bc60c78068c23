package ai.lthn.ml.data;

import ai.lthn.ml.HttpStatusException;
import ai.lthn.ml.MlException;
import ai.lthn.ml.RetryPolicy;
import ai.lthn.ml.internal.HttpBodies;
import ai.lthn.ml.internal.HttpClients;
import ai.lthn.ml.internal.HttpRetry;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * Uploads a dataset's Parquet splits and card to a dataset hub (go-ml's {@code Publish}): {@code
 * <input>/{train,valid,test}.parquet} as {@code data/<split>.parquet} and {@code
 * <input>/../dataset_card.md} as {@code README.md}, each a {@code PUT
 * <endpoint>/api/datasets/<repo>/upload/main/<remote>} with a bearer token.
 *
 * <p>Beyond go-ml: the endpoint is a setting (go-ml's Hugging Face address by default); files
 * are streamed, not read into memory; an upload that fails on I/O, 408, 429 or 5xx is retried
 * (go-ml's {@link RetryPolicy#defaults()}); a failure names the files already uploaded; the
 * token is never printed and is not sent over plain HTTP except to a loopback address.
 */
public final class Publish {
    /** go-ml's hub. */
    public static final String DEFAULT_ENDPOINT = "https://huggingface.co";

    private static final MediaType OCTETS = MediaType.get("application/octet-stream");
    private static final List<String> SPLITS = List.of("train", "valid", "test");

    private Publish() {}

    /**
     * What to publish and where.
     *
     * @param inputDir the directory holding {@code <split>.parquet}
     * @param repo the dataset repository, e.g. {@code lthn/LEM-golden-set}
     * @param isPublic go-ml's {@code --public}: shown in the dry run only (go-ml never sent it)
     * @param token the bearer token; empty in a dry run
     * @param dryRun list what would be uploaded, upload nothing
     * @param endpoint the hub's base URL, e.g. {@link #DEFAULT_ENDPOINT}
     */
    public record Config(Path inputDir, String repo, boolean isPublic, String token, boolean dryRun, String endpoint) {
        /**
         * Checks the settings (the token only matters for a real run).
         *
         * @param inputDir the directory holding {@code <split>.parquet}
         * @param repo the dataset repository, e.g. {@code lthn/LEM-golden-set}
         * @param isPublic go-ml's {@code --public}: shown in the dry run only (go-ml never sent it)
         * @param token the bearer token; empty in a dry run
         * @param dryRun list what would be uploaded, upload nothing
         * @param endpoint the hub's base URL, e.g. {@link #DEFAULT_ENDPOINT}
         */
        public Config {
            Objects.requireNonNull(inputDir, "inputDir");
            Objects.requireNonNull(repo, "repo");
            Objects.requireNonNull(endpoint, "endpoint");
            token = token == null ? "" : token.strip();
            if (repo.isBlank() || repo.startsWith("/") || repo.contains(".."))
                throw new IllegalArgumentException("--repo must be OWNER/NAME, got \"" + repo + "\"");
        }

        @Override
        public String toString() { // never the token
            return "Config[inputDir=" + inputDir + ", repo=" + repo + ", public=" + isPublic + ", dryRun=" + dryRun
                    + ", endpoint=" + endpoint + ", token=" + (token.isEmpty() ? "none" : "set") + "]";
        }
    }

    /** One file and where it goes. */
    record Upload(Path local, String remote) {}

    /**
     * The token go-ml would use: {@code flag}, else {@code HF_TOKEN}, else the trimmed {@code
     * ~/.huggingface/token}; empty when none.
     *
     * @param flag the {@code --token} value, or null
     * @param env the environment ({@code System.getenv()})
     * @param home the user's home directory
     * @return the token, or empty
     */
    public static String token(String flag, java.util.Map<String, String> env, Path home) {
        if (flag != null && !flag.isBlank()) return flag.strip();
        String e = env.get("HF_TOKEN");
        if (e != null && !e.isBlank()) return e.strip();
        Path file = home.resolve(".huggingface").resolve("token");
        try {
            return Files.isReadable(file) ? Files.readString(file).strip() : "";
        } catch (IOException unreadable) {
            return "";
        }
    }

    /**
     * Publishes (or, in a dry run, lists) the dataset, printing go-ml's lines to {@code out}.
     *
     * @param config what and where
     * @param out where progress goes
     * @return the remote names uploaded, in order (empty in a dry run)
     * @throws IllegalArgumentException for go-ml's configuration errors (no input, no token, an endpoint
     *     that is not a URL or would carry the token in clear)
     * @throws MlException when there is nothing to publish, or an upload fails for good; its message
     *     then names the files uploaded before
     */
    public static List<String> publish(Config config, PrintWriter out) {
        return publish(config, out, HttpClients.shared(), RetryPolicy.defaults(), HttpRetry.Sleeper.real());
    }

    static List<String> publish(
            Config config, PrintWriter out, OkHttpClient shared, RetryPolicy retry, HttpRetry.Sleeper sleeper) {
        if (config.inputDir().toString().isEmpty()) throw new IllegalArgumentException("--input-dir is required");
        if (config.token().isEmpty() && !config.dryRun())
            throw new IllegalArgumentException(
                    "HuggingFace token required (--token, HF_TOKEN env, or ~/.huggingface/token)");
        List<Upload> files = files(config.inputDir());
        if (files.stream().noneMatch(u -> u.remote().endsWith(".parquet")))
            throw new MlException("no Parquet files found in " + config.inputDir());
        String endpoint = config.endpoint().replaceAll("/+$", "");
        if (config.dryRun()) {
            out.println("Dry run: would publish to " + config.repo());
            out.println("  Visibility: " + (config.isPublic() ? "public" : "private"));
            for (Upload u : files) {
                long size = size(u.local());
                out.printf(
                        Locale.ROOT,
                        "  %s -> %s (%.1f MB)%n",
                        u.local().getFileName(),
                        u.remote(),
                        size / 1024.0 / 1024.0);
            }
            out.flush();
            return List.of();
        }
        HttpUrl base = HttpUrl.parse(endpoint);
        if (base == null) throw new IllegalArgumentException("--endpoint is not an http(s) URL: " + endpoint);
        if (!base.isHttps() && !loopback(base.host()))
            throw new IllegalArgumentException("refusing to send the token over plain HTTP to " + base.host()
                    + ": use https (only loopback may be plain http)");
        OkHttpClient client = shared.newBuilder()
                .writeTimeout(Duration.ofSeconds(120)) // go-ml's 120 s, here per stalled read/write
                .readTimeout(Duration.ofSeconds(120))
                .build();
        out.println("Publishing to " + endpoint + "/datasets/" + config.repo());
        out.flush();
        List<String> done = new ArrayList<>();
        for (Upload u : files) {
            HttpUrl url = base.newBuilder()
                    .addPathSegments("api/datasets")
                    .addPathSegments(config.repo())
                    .addPathSegments("upload/main")
                    .addPathSegments(u.remote())
                    .build();
            try {
                HttpRetry.run(retry, sleeper, "PUT " + url, () -> {
                    Request req = new Request.Builder()
                            .url(url)
                            .header("Authorization", "Bearer " + config.token())
                            .put(RequestBody.create(u.local().toFile(), OCTETS)) // streamed from disk
                            .build();
                    try (Response r = client.newCall(req).execute()) {
                        if (r.code() >= 300) {
                            String body = HttpBodies.text(r.body(), 2000).strip();
                            throw new HttpStatusException(
                                    "upload failed: HTTP " + r.code() + ": " + body,
                                    r.code(),
                                    body,
                                    HttpRetry.retryAfter(r.header("Retry-After")));
                        }
                    }
                    return null;
                });
            } catch (MlException e) {
                throw new MlException(
                        "upload " + u.local().getFileName() + " -> " + u.remote() + ": " + e.getMessage()
                                + (done.isEmpty()
                                        ? " (nothing was uploaded)"
                                        : " (already uploaded: " + String.join(", ", done) + ")"),
                        e);
            }
            done.add(u.remote());
            out.println("  Uploaded " + u.local().getFileName() + " -> " + u.remote());
            out.flush();
        }
        out.println();
        out.println("Published to " + endpoint + "/datasets/" + config.repo());
        out.flush();
        return done;
    }

    /** go-ml's file list: the splits that exist, then the card beside the input directory. */
    static List<Upload> files(Path inputDir) {
        List<Upload> out = new ArrayList<>();
        for (String split : SPLITS) {
            Path p = inputDir.resolve(split + ".parquet");
            if (Files.isRegularFile(p)) out.add(new Upload(p, "data/" + split + ".parquet"));
        }
        Path parent = inputDir.toAbsolutePath().normalize().getParent();
        Path card = parent == null ? null : parent.resolve("dataset_card.md");
        if (card != null && Files.isRegularFile(card)) out.add(new Upload(card, "README.md"));
        return out;
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return 0;
        }
    }

    private static boolean loopback(String host) {
        return host.equals("localhost") || host.equals("127.0.0.1") || host.equals("::1") || host.startsWith("127.");
    }
}
