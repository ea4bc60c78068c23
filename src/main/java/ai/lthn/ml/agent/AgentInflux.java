package ai.lthn.ml.agent;

import ai.lthn.ml.agent.CheckpointDiscovery.ScoredLabel;
import ai.lthn.ml.internal.Json;
import ai.lthn.ml.score.ProbeResult;
import ai.lthn.ml.store.BufferedInfluxWriter;
import ai.lthn.ml.store.InfluxClient;
import ai.lthn.ml.store.Point;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The agent's InfluxDB side: every write through the durable {@link BufferedInfluxWriter}, the
 * scored-labels query, and the one-time import of a go-ml {@code influx_buffer.jsonl}.
 */
public final class AgentInflux {
    /**
     * InfluxQL cannot {@code SELECT DISTINCT} tags; grouping by both tags returns one series per
     * (run_id, label) pair that has any point, on InfluxDB 1.x and the v1 API of 2.x/3.x.
     */
    public static final String SCORED_LABELS_INFLUXQL =
            "SELECT last(\"total\") FROM \"capability_score\" GROUP BY \"run_id\", \"label\"";

    /** go-ml's scored-labels query, on the v3 API. */
    public static final String SCORED_LABELS_SQL = "SELECT DISTINCT run_id, label FROM capability_score";

    private final InfluxClient client;
    private final BufferedInfluxWriter writer;
    private final Consumer<String> log;

    /**
     * Queries through {@code client}, writes through {@code writer}.
     *
     * @param client the InfluxDB client the scored-labels query runs on; its {@link
     *     InfluxClient#api()} picks InfluxQL or SQL
     * @param writer the durable writer every point goes through
     * @param log receives one line per replay event or problem (nothing is thrown for those)
     */
    public AgentInflux(InfluxClient client, BufferedInfluxWriter writer, Consumer<String> log) {
        this.client = Objects.requireNonNull(client, "client");
        this.writer = Objects.requireNonNull(writer, "writer");
        this.log = Objects.requireNonNull(log, "log");
    }

    /**
     * Writes (or durably buffers) the points.
     *
     * @param points the points to write; an empty list writes nothing
     * @return {@link BufferedInfluxWriter.Result#WRITTEN} or {@link
     *     BufferedInfluxWriter.Result#BUFFERED} when InfluxDB was unavailable
     * @throws ai.lthn.ml.HttpStatusException when InfluxDB refuses the points for good (400, 413,
     *     422)
     */
    public BufferedInfluxWriter.Result write(List<Point> points) {
        return writer.write(points);
    }

    /**
     * The (run id, label) pairs that have a {@code capability_score} point.
     *
     * @return the pairs in the order InfluxDB returned them, without duplicates; rows with an
     *     empty or missing run id or label are skipped
     */
    public Set<ScoredLabel> scoredLabels() {
        Set<ScoredLabel> out = new LinkedHashSet<>();
        List<Map<String, Object>> rows = client.api() == InfluxClient.Api.V3
                ? client.querySql(SCORED_LABELS_SQL)
                : client.query(SCORED_LABELS_INFLUXQL);
        for (Map<String, Object> row : rows) {
            Object run = row.get("run_id");
            Object label = row.get("label");
            if (run instanceof String r && label instanceof String l && !r.isEmpty() && !l.isEmpty()) {
                out.add(new ScoredLabel(r, l));
            }
        }
        return out;
    }

    /**
     * Sends the outbox, then imports a go-ml {@code influx_buffer.jsonl} in {@code workDir} once:
     * each entry becomes the same points a live run writes (same timestamps, so nothing doubles),
     * handed to the durable writer; the file is then renamed to {@code .replayed}. Lines that do
     * not parse are kept in {@code influx_buffer.jsonl.bad}.
     *
     * @param workDir the agent's work directory, where go-ml left {@code influx_buffer.jsonl}
     * @return the number of go-ml entries imported; 0 when there is no such file or it cannot be
     *     read (the problem is logged)
     */
    public int replay(Path workDir) {
        writer.replay();
        Path file = workDir.resolve(AgentConfig.GO_INFLUX_BUFFER_FILE);
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return 0;
        } catch (IOException e) {
            log.accept("Cannot read " + file + ": " + e.getMessage());
            return 0;
        }
        List<String> bad = new ArrayList<>();
        int imported = 0;
        int lineNo = 0;
        for (String line : text.split("\n")) {
            lineNo++;
            if (line.isBlank()) {
                continue;
            }
            try {
                JsonNode entry = Json.reader().readTree(line);
                Checkpoint cp = checkpoint(entry.path("checkpoint"));
                ProbeResult result = probeResult(entry.path("results"));
                writer.write(InfluxReporter.capabilityResults(cp, result));
                imported++;
                log.accept("Replayed buffered result: " + cp.label());
            } catch (IOException | RuntimeException e) {
                log.accept(file + ":" + lineNo + ": not replayable: " + e.getMessage());
                bad.add(line);
            }
        }
        try {
            if (!bad.isEmpty()) {
                Files.writeString(
                        workDir.resolve(AgentConfig.GO_INFLUX_BUFFER_FILE + ".bad"),
                        String.join("\n", bad) + "\n",
                        StandardCharsets.UTF_8);
            }
            Files.move(
                    file,
                    workDir.resolve(AgentConfig.GO_INFLUX_BUFFER_FILE + ".replayed"),
                    StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            log.accept("Cannot retire " + file + ": " + e.getMessage());
        }
        return imported;
    }

    private static Checkpoint checkpoint(JsonNode n) {
        return new Checkpoint(
                text(n, "RemoteDir"),
                text(n, "Filename"),
                text(n, "Dirname"),
                n.path("Iteration").asLong(),
                text(n, "ModelTag"),
                text(n, "Label"),
                text(n, "RunID"));
    }

    private static ProbeResult probeResult(JsonNode n) {
        Map<String, ProbeResult.Category> cats = new TreeMap<>();
        n.path("by_category")
                .fields()
                .forEachRemaining(e -> cats.put(
                        e.getKey(),
                        new ProbeResult.Category(
                                e.getValue().path("correct").asInt(),
                                e.getValue().path("total").asInt())));
        Map<String, ProbeResult.Single> probes = new TreeMap<>();
        n.path("probes")
                .fields()
                .forEachRemaining(e -> probes.put(
                        e.getKey(),
                        new ProbeResult.Single(
                                e.getValue().path("passed").asBoolean(),
                                e.getValue().path("response").asText(""))));
        if (!n.has("total")) {
            throw new IllegalArgumentException("results.total missing");
        }
        return new ProbeResult(
                n.path("accuracy").asDouble(),
                n.path("correct").asInt(),
                n.path("total").asInt(),
                cats,
                probes);
    }

    private static String text(JsonNode n, String key) {
        JsonNode v = n.get(key);
        if (v == null || !v.isTextual()) {
            throw new IllegalArgumentException("checkpoint." + key + " missing");
        }
        return v.asText();
    }
}
