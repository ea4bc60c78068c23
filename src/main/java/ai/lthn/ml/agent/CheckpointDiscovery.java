package ai.lthn.ml.agent;

import ai.lthn.ml.transport.RemoteTransport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the checkpoints on the training host: the same set go-ml's three levels of {@code ls}
 * globs find ({@code <base>/adapters-<filter>*}, then {@code <dir>/gemma-3-*} when present (the
 * nested layout) else the directory itself (flat), then {@code *_adapters.safetensors}), but in
 * ONE round trip: a single {@code find} with a fixed argument list (POSIX options only, so GNU and
 * BSD find both serve it), whose NUL-separated output is parsed here. Remote names are data only:
 * nothing read from the host ever becomes part of a command.
 */
public final class CheckpointDiscovery {
    private static final Pattern DIGITS = Pattern.compile("\\d+");
    private static final String SUFFIX = "_adapters.safetensors";

    private final RemoteTransport transport;
    private final String base;
    private final String filter;
    private final Duration timeout;

    /**
     * Discovery under {@code base} (absolute, no trailing slash) of {@code adapters-<filter>*}.
     *
     * @param transport the connection to the training host the {@code find} runs over
     * @param base the adapter base directory on the host, absolute, without a trailing slash
     * @param filter the literal prefix after {@code adapters-}; empty for every adapter directory
     * @param timeout how long the remote {@code find} may run
     */
    public CheckpointDiscovery(RemoteTransport transport, String base, String filter, Duration timeout) {
        this.transport = Objects.requireNonNull(transport, "transport");
        this.base = Objects.requireNonNull(base, "base");
        this.filter = Objects.requireNonNull(filter, "filter");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    /**
     * Discovery for an agent's settings.
     *
     * @param transport the connection to the training host
     * @param config gives the adapter base ({@link AgentConfig#m3AdapterBase()}) and the filter
     * @param timeout how long the remote {@code find} may run
     * @return the discovery
     */
    public static CheckpointDiscovery of(RemoteTransport transport, AgentConfig config, Duration timeout) {
        return new CheckpointDiscovery(transport, config.m3AdapterBase(), config.filter(), timeout);
    }

    /**
     * The fixed command run on the host (the base path is one argument; nothing else varies).
     *
     * @return the {@code find} argv, unquoted (the transport quotes it)
     */
    public List<String> command() {
        // -L follows symbolic links like the shell globs do; depth 2 holds gemma-3-* and flat
        // checkpoints, depth 3 nested checkpoints.
        return List.of(
                "find",
                "-L",
                base,
                "-mindepth",
                "2",
                "-maxdepth",
                "3",
                "(",
                "-name",
                "gemma-3-*",
                "-o",
                "-name",
                "*" + SUFFIX,
                ")",
                "-print0");
    }

    /**
     * Lists the checkpoints, in go-ml's order (adapter directories by name, then file names).
     *
     * @return the checkpoints found; empty when there are none
     * @throws AgentException when the listing fails and printed nothing (e.g. no such base)
     */
    public List<Checkpoint> discover() {
        RemoteTransport.Result result;
        try {
            result = transport.run(command(), timeout);
        } catch (RuntimeException e) {
            throw new AgentException("list adapter dirs under " + base + ": " + e.getMessage(), e);
        }
        if (!result.ok() && result.stdout().isEmpty()) {
            throw new AgentException("list adapter dirs under " + base + ": exit " + result.exitCode() + ": "
                    + result.stderr().strip());
        }
        return parse(result.stdout());
    }

    /**
     * Parses {@code find -print0} output into checkpoints (public for tests and benchmarks).
     *
     * @param findOutput the NUL-separated paths {@link #command()} printed; paths outside the base
     *     or not matching the layout are ignored
     * @return the checkpoints, in go-ml's order; unmodifiable
     */
    public List<Checkpoint> parse(String findOutput) {
        String prefix = base.equals("/") ? "/" : base + "/";
        // top dir -> (nested gemma-3-* names, flat checkpoint files, nested dir -> files)
        Map<String, Set<String>> nested = new TreeMap<>();
        Map<String, Set<String>> flatFiles = new TreeMap<>();
        Map<String, Set<String>> nestedFiles = new TreeMap<>();
        for (String path : findOutput.split("\0")) {
            if (path.isEmpty() || !path.startsWith(prefix)) {
                continue;
            }
            String rel = path.substring(prefix.length());
            while (rel.startsWith("/")) {
                rel = rel.substring(1);
            }
            String[] parts = rel.split("/", -1);
            if (parts.length < 2 || !parts[0].startsWith("adapters-" + filter)) {
                continue;
            }
            if (parts.length == 2) {
                if (parts[1].startsWith("gemma-3-")) {
                    nested.computeIfAbsent(parts[0], k -> new TreeSet<>()).add(parts[1]);
                }
                if (isCheckpointName(parts[1])) {
                    flatFiles.computeIfAbsent(parts[0], k -> new TreeSet<>()).add(parts[1]);
                }
            } else if (parts.length == 3 && parts[1].startsWith("gemma-3-") && isCheckpointName(parts[2])) {
                nested.computeIfAbsent(parts[0], k -> new TreeSet<>()).add(parts[1]);
                nestedFiles
                        .computeIfAbsent(parts[0] + "/" + parts[1], k -> new TreeSet<>())
                        .add(parts[2]);
            }
        }
        Set<String> tops = new TreeSet<>(Comparator.naturalOrder());
        tops.addAll(nested.keySet());
        tops.addAll(flatFiles.keySet());
        List<Checkpoint> out = new ArrayList<>();
        for (String top : tops) {
            Set<String> subs = nested.get(top);
            if (subs != null) {
                for (String sub : subs) {
                    emit(out, top + "/" + sub, nestedFiles.getOrDefault(top + "/" + sub, Set.of()));
                }
            } else {
                emit(out, top, flatFiles.getOrDefault(top, Set.of()));
            }
        }
        return List.copyOf(out);
    }

    private void emit(List<Checkpoint> out, String dirname, Set<String> files) {
        String remoteDir = (base.equals("/") ? "" : base) + "/" + dirname;
        AdapterMeta meta = AdapterMeta.of(dirname);
        for (String file : files) {
            Matcher m = DIGITS.matcher(file);
            if (!m.find()) {
                continue;
            }
            String digits = m.group();
            long iteration;
            try {
                iteration = Long.parseLong(digits);
            } catch (NumberFormatException e) {
                continue; // more digits than a long holds: go-ml's Atoi fails too and skips it
            }
            out.add(new Checkpoint(
                    remoteDir,
                    file,
                    dirname,
                    iteration,
                    meta.modelTag(),
                    meta.labelPrefix() + " @" + digits,
                    meta.runIdStem() + "-capability-auto"));
        }
    }

    /** What the shell glob {@code *_adapters.safetensors} matches: no leading dot. */
    private static boolean isCheckpointName(String name) {
        return name.endsWith(SUFFIX) && !name.startsWith(".");
    }

    /**
     * The checkpoints whose (run id, label) is not in {@code scored}, sorted by directory name
     * (code point order) then iteration (go-ml's {@code FindUnscored}); {@code null} scored means
     * all are unscored.
     *
     * @param checkpoints the discovered checkpoints
     * @param scored the pairs already in InfluxDB, or {@code null} when they could not be queried
     * @return the unscored checkpoints, sorted as above; unmodifiable
     */
    public static List<Checkpoint> unscored(List<Checkpoint> checkpoints, Set<ScoredLabel> scored) {
        List<Checkpoint> out = new ArrayList<>();
        for (Checkpoint c : checkpoints) {
            if (scored == null || !scored.contains(new ScoredLabel(c.runId(), c.label()))) {
                out.add(c);
            }
        }
        out.sort(Comparator.comparing(Checkpoint::dirname).thenComparingLong(Checkpoint::iteration));
        return List.copyOf(out);
    }

    /**
     * A (run id, label) pair already in InfluxDB.
     *
     * @param runId the {@code run_id} tag, as {@link Checkpoint#runId()}
     * @param label the {@code label} tag, as {@link Checkpoint#label()}
     */
    public record ScoredLabel(String runId, String label) {
        /**
         * Validates.
         *
         * @param runId the run id; not {@code null}
         * @param label the label; not {@code null}
         * @throws NullPointerException if either is {@code null}
         */
        public ScoredLabel {
            Objects.requireNonNull(runId, "runId");
            Objects.requireNonNull(label, "label");
        }
    }
}
