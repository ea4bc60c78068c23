package ai.lthn.ml.agent;

import ai.lthn.ml.Backend;
import ai.lthn.ml.GenOpts;
import ai.lthn.ml.GenerationCancelledException;
import ai.lthn.ml.MlException;
import ai.lthn.ml.backend.OllamaClient;
import ai.lthn.ml.score.CapabilityProbe;
import ai.lthn.ml.score.CapabilityProbes;
import ai.lthn.ml.score.CapabilityScores;
import ai.lthn.ml.score.ContentProbe;
import ai.lthn.ml.score.ContentScores;
import ai.lthn.ml.score.Judge;
import ai.lthn.ml.score.ProbeResult;
import ai.lthn.ml.score.ThinkBlocks;
import ai.lthn.ml.score.Verdict;
import ai.lthn.ml.score.internal.GoText;
import ai.lthn.ml.store.Point;
import ai.lthn.ml.store.ResultsDb;
import ai.lthn.ml.transport.RemoteTransport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Evaluates one checkpoint (go-ml's {@code ProcessOne}), on one of two paths:
 *
 * <ul>
 *   <li>the Ollama path, for tags with an Ollama base model ({@code gemma-3-*}): copy the adapter
 *       and its config from the host, convert MLX → PEFT, create a temporary Ollama model, run the
 *       23 capability probes writing one {@code probe_score} point per probe, write the summary,
 *       judge the capability answers, run and judge the 6 content probes; the temporary model and
 *       the local files are ALWAYS deleted;
 *   <li>the API path for every other tag (including {@code gpt-oss-*}, which go-ml sent down the
 *       Ollama path where it always failed for want of an Ollama base model): the capability probes
 *       against the inference API, then the summary and per-probe points.
 * </ul>
 *
 * A failed generation fails its probe with the response {@code ERROR: <message>}, never checked
 * against the probe's answer (go-ml checked it, so an error text could pass a probe).
 */
public final class CheckpointEvaluator implements AgentLoop.Evaluator {

    /** MLX LoRA → PEFT (the format package's {@code PeftConverter.convert}). */
    @FunctionalInterface
    public interface AdapterConverter {
        /**
         * Converts {@code safetensors} + {@code adapterConfig} into a PEFT directory.
         *
         * @param safetensors the downloaded MLX LoRA adapter weights
         * @param adapterConfig the MLX {@code adapter_config.json} next to them
         * @param outputDir the PEFT directory to write
         * @param baseModel the Hugging Face base model id recorded in the PEFT config
         * @throws Exception any conversion failure; it fails the checkpoint
         */
        void convert(Path safetensors, Path adapterConfig, Path outputDir, String baseModel) throws Exception;
    }

    private static final GenOpts CAPABILITY = GenOpts.builder()
            .temperature(AgentConfig.CAPABILITY_TEMPERATURE)
            .maxTokens(AgentConfig.CAPABILITY_MAX_TOKENS)
            .build();
    private static final GenOpts CONTENT = GenOpts.builder()
            .temperature(AgentConfig.CONTENT_TEMPERATURE)
            .maxTokens(AgentConfig.CONTENT_MAX_TOKENS)
            .build();

    private final AgentConfig config;
    private final RemoteTransport transport;
    private final AgentInflux influx;
    private final OllamaClient ollama;
    private final Function<String, Backend> ollamaModel;
    private final Function<String, Backend> api;
    private final Judge judge;
    private final AdapterConverter converter;
    private final Consumer<String> log;

    private CheckpointEvaluator(Builder b) {
        config = Objects.requireNonNull(b.config, "config");
        transport = Objects.requireNonNull(b.transport, "transport");
        influx = Objects.requireNonNull(b.influx, "influx");
        ollama = Objects.requireNonNull(b.ollama, "ollama");
        ollamaModel = Objects.requireNonNull(b.ollamaModel, "ollamaModel");
        api = Objects.requireNonNull(b.api, "api");
        judge = Objects.requireNonNull(b.judge, "judge");
        converter = Objects.requireNonNull(b.converter, "converter");
        log = Objects.requireNonNull(b.log, "log");
    }

    /**
     * A builder.
     *
     * @return a new builder whose converter is {@link ai.lthn.ml.format.PeftConverter#convert} and
     *     whose log discards; everything else must be set
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Whether {@code tag} goes down the Ollama path.
     *
     * @param tag a model tag from {@link AdapterMeta}, e.g. {@code gemma-3-27b}
     * @return {@code true} when {@link OllamaClient#BASE_MODELS} has a base model for the tag
     */
    public static boolean usesOllama(String tag) {
        return OllamaClient.BASE_MODELS.containsKey(tag);
    }

    /**
     * The temporary Ollama model's name for a checkpoint.
     *
     * @param cp the checkpoint
     * @return {@code lem-<modelTag>-<iteration>}, the iteration without leading zeros
     */
    public static String tempModelName(Checkpoint cp) {
        return "lem-" + cp.modelTag() + "-" + cp.iteration();
    }

    @Override
    public void evaluate(Checkpoint cp) throws Exception {
        log.accept("Processing: " + cp.dirname() + " / " + cp.filename() + " [" + cp.modelTag() + "]");
        if (usesOllama(cp.modelTag())) {
            evaluateWithOllama(cp);
        } else {
            evaluateWithApi(cp);
        }
    }

    private void evaluateWithOllama(Checkpoint cp) throws Exception {
        String ollamaBase = OllamaClient.BASE_MODELS.get(cp.modelTag());
        String hfBase = OllamaClient.HF_BASE_MODELS.getOrDefault(cp.modelTag(), ollamaBase);
        String temp = tempModelName(cp);
        Path local = config.workDir().resolve("adapter-" + safeName(cp.dirname()) + "-" + cp.iteration());
        Path peft = config.workDir().resolve("peft-" + safeName(cp.dirname()) + "-" + cp.iteration());
        boolean created = false;
        try {
            Files.createDirectories(local);
            Path sf = local.resolve(cp.filename());
            Path cfg = local.resolve("adapter_config.json");
            transport.copyFrom(cp.remotePath(), sf);
            transport.copyFrom(cp.remoteDir() + "/adapter_config.json", cfg);
            converter.convert(sf, cfg, peft, hfBase);
            created = true; // a failed create may still have left a model behind: delete it anyway
            ollama.createModel(temp, ollamaBase, peft);
            Backend model = ollamaModel.apply(temp);
            List<Answer> answers = new ArrayList<>();
            ProbeResult result = runCapability(model, cp, answers);
            log.accept(String.format(
                    java.util.Locale.ROOT,
                    "Capability: %s -- %.1f%% (%d/%d)",
                    cp.label(),
                    result.accuracy(),
                    result.correct(),
                    result.total()));
            write(InfluxReporter.capabilitySummary(cp, result));
            writeDb(cp, result);
            judgeCapability(cp, answers);
            judgeContent(cp, model);
        } finally {
            if (created) {
                try {
                    ollama.deleteModel(temp);
                } catch (RuntimeException e) {
                    log.accept("Cannot delete temporary model " + temp + ": " + e.getMessage());
                }
            }
            deleteTree(local);
            deleteTree(peft);
        }
    }

    private void evaluateWithApi(Checkpoint cp) {
        ProbeResult result = runCapability(api.apply(cp.modelTag()), cp, new ArrayList<>());
        log.accept(String.format(
                java.util.Locale.ROOT,
                "Result: %s -- %.1f%% (%d/%d)",
                cp.label(),
                result.accuracy(),
                result.correct(),
                result.total()));
        write(InfluxReporter.capabilitySummary(cp, result));
        writeDb(cp, result);
    }

    private record Answer(CapabilityProbe probe, String response, boolean failed) {}

    /** The 23 probes in order, one {@code probe_score} point written after each. */
    private ProbeResult runCapability(Backend backend, Checkpoint cp, List<Answer> answers) {
        List<String> ids =
                CapabilityProbes.all().stream().map(CapabilityProbe::id).toList();
        Map<String, int[]> cats = new LinkedHashMap<>();
        Map<String, ProbeResult.Single> probes = new LinkedHashMap<>();
        int correct = 0;
        int total = 0;
        for (CapabilityProbe probe : CapabilityProbes.all()) {
            if (Thread.currentThread().isInterrupted()) {
                throw new GenerationCancelledException("interrupted before probe " + probe.id());
            }
            int[] cat = cats.computeIfAbsent(probe.category(), c -> new int[2]);
            total++;
            cat[1]++;
            boolean passed;
            String stored;
            try {
                String clean = ThinkBlocks.strip(backend.generate(probe.prompt(), CAPABILITY));
                passed = probe.check(clean);
                stored = GoText.prefixBytes(clean, AgentConfig.MAX_STORED_RESPONSE_LEN);
                answers.add(new Answer(probe, clean, false));
                log.accept(
                        "[" + probe.id() + "] " + (passed ? "PASS" : "FAIL") + " (expected: " + probe.answer() + ")");
            } catch (GenerationCancelledException e) {
                throw e;
            } catch (MlException e) {
                passed = false;
                stored = "ERROR: " + e.getMessage();
                answers.add(new Answer(probe, stored, true));
                log.accept("[" + probe.id() + "] ERROR: " + e.getMessage());
            }
            if (passed) {
                correct++;
                cat[0]++;
            }
            probes.put(probe.id(), new ProbeResult.Single(passed, stored));
            write(List.of(InfluxReporter.probeScore(cp, probe.id(), passed, ids)));
        }
        Map<String, ProbeResult.Category> byCategory = new LinkedHashMap<>();
        cats.forEach((k, v) -> byCategory.put(k, new ProbeResult.Category(v[0], v[1])));
        double accuracy = total > 0 ? (double) correct / total * 100 : 0;
        return new ProbeResult(accuracy, correct, total, byCategory, probes);
    }

    private void judgeCapability(Checkpoint cp, List<Answer> answers) {
        List<Point> points = new ArrayList<>();
        for (int i = 0; i < answers.size(); i++) {
            Answer a = answers.get(i);
            if (a.failed()) {
                continue; // nothing to judge: the model gave no answer
            }
            try {
                Verdict<CapabilityScores> v =
                        judge.capability(a.probe().prompt(), a.probe().answer(), a.response());
                points.add(InfluxReporter.capabilityJudge(
                        cp, i, a.probe().id(), a.probe().category(), v.orThrow()));
            } catch (MlException e) {
                log.accept("Judge failed for " + a.probe().id() + ": " + e.getMessage());
            }
        }
        write(points);
    }

    private void judgeContent(Checkpoint cp, Backend model) {
        String runId = InfluxReporter.contentRunId(cp.runId());
        int judged = 0;
        List<ContentProbe> all = ContentProbe.all();
        for (int i = 0; i < all.size(); i++) {
            ContentProbe probe = all.get(i);
            String response;
            try {
                response = ThinkBlocks.strip(model.generate(probe.prompt(), CONTENT));
            } catch (GenerationCancelledException e) {
                throw e;
            } catch (MlException e) {
                log.accept("[content:" + probe.id() + "] ERROR: " + e.getMessage());
                continue;
            }
            try {
                ContentScores s = judge.content(probe, response).orThrow();
                write(InfluxReporter.contentScores(cp, runId, i, s));
                judged++;
            } catch (MlException e) {
                log.accept("Content judge failed for " + probe.id() + ": " + e.getMessage());
            }
        }
        log.accept("Content scoring done for " + cp.label() + ": " + judged + " probes x 6 dimensions");
    }

    private void write(List<Point> points) {
        try {
            influx.write(points);
        } catch (MlException e) {
            log.accept("InfluxDB refused points: " + e.getMessage());
        }
    }

    private void writeDb(Checkpoint cp, ProbeResult result) {
        if (config.dbPath() == null) {
            return;
        }
        List<ResultsDb.ProbeRow> rows = new ArrayList<>();
        result.probes().forEach((id, s) -> rows.add(new ResultsDb.ProbeRow(id, s.passed(), s.response())));
        try (ResultsDb db = ResultsDb.openReadWrite(config.dbPath())) {
            db.ensureScoringTables();
            db.writeCheckpoint(
                    cp.modelTag(),
                    cp.runId(),
                    cp.label(),
                    Math.toIntExact(cp.iteration()),
                    result.correct(),
                    result.total(),
                    rows);
            log.accept("DuckDB: wrote " + (rows.size() + 1) + " probe results for " + cp.label());
        } catch (RuntimeException e) {
            log.accept("DuckDB write failed for " + cp.label() + ": " + e.getMessage());
        }
    }

    /** A local file name for a remote directory name: only {@code [A-Za-z0-9._-]}. */
    static String safeName(String dirname) {
        String s = dirname.replaceAll("[^A-Za-z0-9._-]", "_");
        return s.startsWith(".") ? "_" + s : s;
    }

    private void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            log.accept("Cannot delete " + dir + ": " + e.getMessage());
        }
    }

    /** Builds a {@link CheckpointEvaluator}. */
    public static final class Builder {
        private AgentConfig config;
        private RemoteTransport transport;
        private AgentInflux influx;
        private OllamaClient ollama;
        private Function<String, Backend> ollamaModel;
        private Function<String, Backend> api;
        private Judge judge;
        private AdapterConverter converter =
                (sf, cfg, out, base) -> ai.lthn.ml.format.PeftConverter.convert(sf, cfg, out, base);
        private Consumer<String> log = s -> {};

        private Builder() {}

        /**
         * The agent's settings (work dir, DuckDB path).
         *
         * @param v the agent's settings (required)
         * @return this builder
         */
        public Builder config(AgentConfig v) {
            config = v;
            return this;
        }

        /**
         * The training host.
         *
         * @param v the transport the adapter files are copied over (required)
         * @return this builder
         */
        public Builder transport(RemoteTransport v) {
            transport = v;
            return this;
        }

        /**
         * Where points go.
         *
         * @param v the InfluxDB side every point is written through (required)
         * @return this builder
         */
        public Builder influx(AgentInflux v) {
            influx = v;
            return this;
        }

        /**
         * The Ollama server that hosts the temporary models.
         *
         * @param v the Ollama client that creates and deletes the temporary models (required)
         * @return this builder
         */
        public Builder ollama(OllamaClient v) {
            ollama = v;
            return this;
        }

        /**
         * A backend for a model name on the Ollama server.
         *
         * @param v maps a temporary model name to a backend that generates with it (required)
         * @return this builder
         */
        public Builder ollamaModel(Function<String, Backend> v) {
            ollamaModel = v;
            return this;
        }

        /**
         * The inference API for the non-Ollama path, given the checkpoint's model tag.
         *
         * @param v maps a model tag to a backend on the inference API (required)
         * @return this builder
         */
        public Builder api(Function<String, Backend> v) {
            api = v;
            return this;
        }

        /**
         * The judge.
         *
         * @param v the judge that scores capability and content answers (required)
         * @return this builder
         */
        public Builder judge(Judge v) {
            judge = v;
            return this;
        }

        /**
         * MLX → PEFT; default {@link ai.lthn.ml.format.PeftConverter#convert}.
         *
         * @param v the converter
         * @return this builder
         */
        public Builder converter(AdapterConverter v) {
            converter = v;
            return this;
        }

        /**
         * Progress lines.
         *
         * @param v receives each progress line (default: discarded)
         * @return this builder
         */
        public Builder log(Consumer<String> v) {
            log = v;
            return this;
        }

        /**
         * Builds.
         *
         * @return the evaluator
         * @throws NullPointerException if a required value was not set
         */
        public CheckpointEvaluator build() {
            return new CheckpointEvaluator(this);
        }
    }
}
