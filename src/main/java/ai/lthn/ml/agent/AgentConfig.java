package ai.lthn.ml.agent;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * The checkpoint agent's settings (go-ml's {@code AgentConfig} and constants). There are no
 * defaults for hosts, users, URLs or paths: a missing required value is a clear error from {@link
 * Builder#build()}.
 *
 * @param m3Host the training host
 * @param m3User the user on the training host
 * @param m3Port its SSH port
 * @param m3SshKey the private key file, or {@code null} for the SSH agent's keys
 * @param knownHosts the known_hosts file the host key is checked against
 * @param m3AdapterBase the directory on the host holding {@code adapters-*} (no trailing slash)
 * @param influxUrl the InfluxDB base URL
 * @param influxDb the InfluxDB database
 * @param influxApi which InfluxDB HTTP API to speak
 * @param dbPath the DuckDB file for results, or {@code null} for none
 * @param apiUrl the OpenAI-compatible inference API (the conversion path)
 * @param judgeUrl the judge's API
 * @param judgeModel the judge's model
 * @param model the model name sent to {@code apiUrl}
 * @param baseModel go-ml's {@code --base-model} (the Hugging Face base it converted against; informational)
 * @param pollInterval the wait between polls when there is nothing to do
 * @param pause the wait between checkpoints (go-ml's 5 s)
 * @param workDir the local working directory (downloads, the buffer)
 * @param filter a literal prefix after {@code adapters-}, or empty for all
 * @param force score every checkpoint, scored or not
 * @param oneShot one pass, then stop
 * @param dryRun list what would be processed, process nothing
 */
public record AgentConfig(
        String m3Host,
        String m3User,
        int m3Port,
        Path m3SshKey,
        Path knownHosts,
        String m3AdapterBase,
        URI influxUrl,
        String influxDb,
        InfluxApi influxApi,
        Path dbPath,
        URI apiUrl,
        URI judgeUrl,
        String judgeModel,
        String model,
        String baseModel,
        Duration pollInterval,
        Duration pause,
        Path workDir,
        String filter,
        boolean force,
        boolean oneShot,
        boolean dryRun) {

    /** go-ml's synthetic time origin: 2025-02-15T00:00:00Z, in seconds. */
    public static final long EPOCH_BASE = 1_739_577_600L;
    /** go-ml's pause between checkpoints. */
    public static final Duration INTER_CHECKPOINT_DELAY = Duration.ofSeconds(5);
    /** Measurement names (go-ml's, so dashboards keep working). */
    public static final String MEASUREMENT_CAPABILITY_SCORE = "capability_score";
    /** The judged capability measurement. */
    public static final String MEASUREMENT_CAPABILITY_JUDGE = "capability_judge";
    /** The judged content measurement. */
    public static final String MEASUREMENT_CONTENT_SCORE = "content_score";
    /** The per-probe measurement. */
    public static final String MEASUREMENT_PROBE_SCORE = "probe_score";
    /** The training loss measurement ({@code ml ingest}). */
    public static final String MEASUREMENT_TRAINING_LOSS = "training_loss";
    /** DuckDB table of per-checkpoint scores. */
    public static final String TABLE_CHECKPOINT_SCORES = "checkpoint_scores";
    /** DuckDB table of per-probe results. */
    public static final String TABLE_PROBE_RESULTS = "probe_results";
    /** Responses are stored cut to this many characters. */
    public static final int MAX_STORED_RESPONSE_LEN = 300;
    /** Capability probe sampling. */
    public static final double CAPABILITY_TEMPERATURE = 0.1;
    /** Capability probe token limit. */
    public static final int CAPABILITY_MAX_TOKENS = 500;
    /** Content probe sampling. */
    public static final double CONTENT_TEMPERATURE = 0.7;
    /** Content probe token limit. */
    public static final int CONTENT_MAX_TOKENS = 1000;
    /** go-ml's offline buffer file in the work directory (replayed once, then retired). */
    public static final String GO_INFLUX_BUFFER_FILE = "influx_buffer.jsonl";

    /** The InfluxDB HTTP API. */
    public enum InfluxApi {
        /** {@code /write} and {@code /query} (InfluxQL): InfluxDB 1.x, 2.x compat, 3.x. */
        V1,
        /** {@code /api/v3/write_lp} and {@code /api/v3/query_sql}: InfluxDB 3. */
        V3
    }

    /**
     * Validates (the builder gives the clear messages; this catches direct construction).
     *
     * @param m3Host the training host; not blank
     * @param m3User the user on the training host; not blank
     * @param m3Port its SSH port, 1..65535
     * @param m3SshKey the private key file, or {@code null} for the SSH agent's keys
     * @param knownHosts the known_hosts file; not {@code null}
     * @param m3AdapterBase the absolute adapter base directory on the host; trailing slashes are
     *     removed
     * @param influxUrl the InfluxDB base URL; not {@code null}
     * @param influxDb the InfluxDB database; not blank
     * @param influxApi which InfluxDB HTTP API to speak; not {@code null}
     * @param dbPath the DuckDB file for results, or {@code null} for none
     * @param apiUrl the OpenAI-compatible inference API; not {@code null}
     * @param judgeUrl the judge's API; not {@code null}
     * @param judgeModel the judge's model; not blank
     * @param model the model name sent to {@code apiUrl}; empty for the server's default, not
     *     {@code null}
     * @param baseModel go-ml's {@code --base-model} (informational); may be empty, not {@code null}
     * @param pollInterval the wait between polls; positive
     * @param pause the wait between checkpoints; zero or positive
     * @param workDir the local working directory; not {@code null}
     * @param filter a literal prefix after {@code adapters-} without {@code /} or NUL; empty for
     *     all, not {@code null}
     * @param force score every checkpoint, scored or not
     * @param oneShot one pass, then stop
     * @param dryRun list what would be processed, process nothing
     * @throws NullPointerException if a required value is {@code null}
     * @throws IllegalArgumentException if a value is blank or out of range, as above
     */
    public AgentConfig {
        require(m3Host, "m3Host");
        require(m3User, "m3User");
        require(m3AdapterBase, "m3AdapterBase");
        Objects.requireNonNull(knownHosts, "knownHosts");
        Objects.requireNonNull(influxUrl, "influxUrl");
        require(influxDb, "influxDb");
        Objects.requireNonNull(influxApi, "influxApi");
        Objects.requireNonNull(apiUrl, "apiUrl");
        Objects.requireNonNull(judgeUrl, "judgeUrl");
        require(judgeModel, "judgeModel");
        Objects.requireNonNull(baseModel, "baseModel");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(workDir, "workDir");
        Objects.requireNonNull(filter, "filter");
        positive(pollInterval, "pollInterval");
        Objects.requireNonNull(pause, "pause");
        if (pause.isNegative()) {
            throw new IllegalArgumentException("pause must not be negative: " + pause);
        }
        if (m3Port < 1 || m3Port > 65535) {
            throw new IllegalArgumentException("m3Port must be 1..65535: " + m3Port);
        }
        if (filter.contains("/") || filter.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("filter must be a name prefix without '/': " + filter);
        }
        m3AdapterBase = trimTrailingSlashes(m3AdapterBase);
        if (!m3AdapterBase.startsWith("/")) {
            throw new IllegalArgumentException("m3AdapterBase must be an absolute path: " + m3AdapterBase);
        }
    }

    /**
     * A builder; {@link Builder#build()} names every required setting that is missing.
     *
     * @return a new builder with the defaults: port 22, {@link InfluxApi#V1}, a 5 minute poll
     *     interval, a 5 s pause, an empty model, base model and filter, and all flags off
     */
    public static Builder builder() {
        return new Builder();
    }

    private static void require(String value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
    }

    private static void positive(Duration value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + value);
        }
    }

    private static String trimTrailingSlashes(String path) {
        String p = path;
        while (p.length() > 1 && p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p;
    }

    /** Builds an {@link AgentConfig}. */
    public static final class Builder {
        private String m3Host;
        private String m3User;
        private int m3Port = 22;
        private Path m3SshKey;
        private Path knownHosts;
        private String m3AdapterBase;
        private URI influxUrl;
        private String influxDb;
        private InfluxApi influxApi = InfluxApi.V1;
        private Path dbPath;
        private URI apiUrl;
        private URI judgeUrl;
        private String judgeModel;
        private String model = "";
        private String baseModel = "";
        private Duration pollInterval = Duration.ofMinutes(5);
        private Duration pause = INTER_CHECKPOINT_DELAY;
        private Path workDir;
        private String filter = "";
        private boolean force;
        private boolean oneShot;
        private boolean dryRun;

        private Builder() {}

        /**
         * The training host (required).
         *
         * @param v the host name or address; not blank
         * @return this builder
         */
        public Builder m3Host(String v) {
            m3Host = v;
            return this;
        }

        /**
         * The user on the training host (required).
         *
         * @param v the SSH user name; not blank
         * @return this builder
         */
        public Builder m3User(String v) {
            m3User = v;
            return this;
        }

        /**
         * The SSH port (22).
         *
         * @param v the port, 1..65535 (checked by {@link #build()})
         * @return this builder
         */
        public Builder m3Port(int v) {
            m3Port = v;
            return this;
        }

        /**
         * The private key file; unset uses no key file.
         *
         * @param v the private key file, or {@code null} for none (the SSH agent's keys)
         * @return this builder
         */
        public Builder m3SshKey(Path v) {
            m3SshKey = v;
            return this;
        }

        /**
         * The known_hosts file (required).
         *
         * @param v the known_hosts file the host key is checked against
         * @return this builder
         */
        public Builder knownHosts(Path v) {
            knownHosts = v;
            return this;
        }

        /**
         * The adapter base directory on the host (required, absolute).
         *
         * @param v the absolute directory holding {@code adapters-*}; trailing slashes are removed
         * @return this builder
         */
        public Builder m3AdapterBase(String v) {
            m3AdapterBase = v;
            return this;
        }

        /**
         * The InfluxDB URL (required).
         *
         * @param v the InfluxDB base URL
         * @return this builder
         */
        public Builder influxUrl(URI v) {
            influxUrl = v;
            return this;
        }

        /**
         * The InfluxDB database (required).
         *
         * @param v the database name; not blank
         * @return this builder
         */
        public Builder influxDb(String v) {
            influxDb = v;
            return this;
        }

        /**
         * The InfluxDB API (v1).
         *
         * @param v the HTTP API to speak; not {@code null}
         * @return this builder
         */
        public Builder influxApi(InfluxApi v) {
            influxApi = v;
            return this;
        }

        /**
         * The DuckDB file, or {@code null}.
         *
         * @param v the DuckDB results file, or {@code null} to store no results locally
         * @return this builder
         */
        public Builder dbPath(Path v) {
            dbPath = v;
            return this;
        }

        /**
         * The inference API (required).
         *
         * @param v the OpenAI-compatible inference API base URL
         * @return this builder
         */
        public Builder apiUrl(URI v) {
            apiUrl = v;
            return this;
        }

        /**
         * The judge API (required).
         *
         * @param v the judge's OpenAI-compatible API base URL
         * @return this builder
         */
        public Builder judgeUrl(URI v) {
            judgeUrl = v;
            return this;
        }

        /**
         * The judge model (required).
         *
         * @param v the judge's model name; not blank
         * @return this builder
         */
        public Builder judgeModel(String v) {
            judgeModel = v;
            return this;
        }

        /**
         * The model name for the inference API (empty: the server's default).
         *
         * @param v the model name; empty for the server's default, not {@code null}
         * @return this builder
         */
        public Builder model(String v) {
            model = v;
            return this;
        }

        /**
         * go-ml's --base-model, recorded only: the Ollama path takes its base from the model tag.
         *
         * @param v the Hugging Face base model name; may be empty, not {@code null}
         * @return this builder
         */
        public Builder baseModel(String v) {
            baseModel = v;
            return this;
        }

        /**
         * The poll interval (5 minutes).
         *
         * @param v the wait between polls when there is nothing to do; positive
         * @return this builder
         */
        public Builder pollInterval(Duration v) {
            pollInterval = v;
            return this;
        }

        /**
         * The pause between checkpoints (5 s).
         *
         * @param v the wait between checkpoints; zero or positive
         * @return this builder
         */
        public Builder pause(Duration v) {
            pause = v;
            return this;
        }

        /**
         * The local work directory (required).
         *
         * @param v the directory for downloads and the buffer
         * @return this builder
         */
        public Builder workDir(Path v) {
            workDir = v;
            return this;
        }

        /**
         * A literal prefix after {@code adapters-} (empty: all).
         *
         * @param v the prefix without {@code /}; {@code null} or empty for all
         * @return this builder
         */
        public Builder filter(String v) {
            filter = v == null ? "" : v;
            return this;
        }

        /**
         * Score everything.
         *
         * @param v {@code true} to score every checkpoint, scored or not (default {@code false})
         * @return this builder
         */
        public Builder force(boolean v) {
            force = v;
            return this;
        }

        /**
         * One pass.
         *
         * @param v {@code true} to make one pass, then stop (default {@code false})
         * @return this builder
         */
        public Builder oneShot(boolean v) {
            oneShot = v;
            return this;
        }

        /**
         * Process nothing, list only.
         *
         * @param v {@code true} to list what would be processed and process nothing (default {@code false})
         * @return this builder
         */
        public Builder dryRun(boolean v) {
            dryRun = v;
            return this;
        }

        /**
         * Builds.
         *
         * @return the validated settings
         * @throws IllegalArgumentException naming every required setting that is missing
         */
        public AgentConfig build() {
            StringBuilder missing = new StringBuilder();
            missing(missing, m3Host, "m3Host (--m3-host / M3_HOST)");
            missing(missing, m3User, "m3User (--m3-user / M3_USER)");
            missing(missing, m3AdapterBase, "m3AdapterBase (--m3-adapter-base / M3_ADAPTER_BASE)");
            missing(missing, influxUrl, "influxUrl (--influx / ML_INFLUX_URL)");
            missing(missing, influxDb, "influxDb (--influx-db / ML_INFLUX_DB)");
            missing(missing, apiUrl, "apiUrl (--api-url / ML_API_URL)");
            missing(missing, judgeUrl, "judgeUrl (--judge-url / ML_JUDGE_URL)");
            missing(missing, judgeModel, "judgeModel (--judge-model / ML_JUDGE_MODEL)");
            missing(missing, workDir, "workDir (--work-dir / WORK_DIR)");
            missing(missing, knownHosts, "knownHosts (--known-hosts)");
            if (missing.length() > 0) {
                throw new IllegalArgumentException("agent settings missing: " + missing);
            }
            return new AgentConfig(
                    m3Host,
                    m3User,
                    m3Port,
                    m3SshKey,
                    knownHosts,
                    m3AdapterBase,
                    influxUrl,
                    influxDb,
                    influxApi,
                    dbPath,
                    apiUrl,
                    judgeUrl,
                    judgeModel,
                    model,
                    baseModel,
                    pollInterval,
                    pause,
                    workDir,
                    filter,
                    force,
                    oneShot,
                    dryRun);
        }

        private static void missing(StringBuilder out, Object value, String name) {
            if (value == null || (value instanceof String s && s.isBlank())) {
                out.append(out.length() == 0 ? "" : ", ").append(name);
            }
        }
    }
}
