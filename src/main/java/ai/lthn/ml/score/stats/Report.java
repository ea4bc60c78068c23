package ai.lthn.ml.score.stats;

import ai.lthn.ml.internal.AtomicFiles;
import ai.lthn.ml.score.ProbeResult;
import ai.lthn.ml.score.PromptScore;
import ai.lthn.ml.score.ScorerOutput;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One self-contained HTML page about an evaluation: per-model means with confidence intervals,
 * bar charts with error bars (inline SVG), a probe pass matrix by category, judge failure counts,
 * and, given a second run, the paired comparison with the items that flipped first and their
 * response texts side by side. No scripts, fonts or images from anywhere: the file opens offline.
 *
 * <pre>{@code
 * String html = Report.builder(ScorerOutput.read(scores))
 *         .compareWith(ScorerOutput.read(previous))
 *         .probes("gemma-3-1b", probeResult)
 *         .build()
 *         .html();
 * }</pre>
 */
public final class Report {
    private static final double CONFIDENCE = 0.95;
    private static final long SEED = 42;
    private static final int RESAMPLES = 2000;
    private static final int MAX_FLIPS = 50;

    private final Builder b;

    private Report(Builder b) {
        this.b = b;
    }

    /**
     * A report on {@code scores}.
     *
     * @param scores a score file (go-ml's ScorerOutput)
     * @return a builder
     */
    public static Builder builder(ScorerOutput scores) {
        return new Builder(scores);
    }

    /** What goes into a {@link Report}. */
    public static final class Builder {
        private final ScorerOutput scores;
        private ScorerOutput baseline;
        private final Map<String, ProbeResult> probes = new LinkedHashMap<>();
        private final Map<String, String> texts = new TreeMap<>();
        private final Map<String, String> baselineTexts = new TreeMap<>();
        private long judgeOk = -1;
        private long promptTokens = -1;
        private long completionTokens;
        private Double cost;
        private long judgeFailed = -1;
        private String title = "lthn-ml evaluation report";

        private Builder(ScorerOutput scores) {
            this.scores = Objects.requireNonNull(scores, "scores");
        }

        /**
         * Compares with an earlier run of the same prompts (shown as A; this run is B).
         *
         * @param earlier the earlier score file
         * @return this builder
         */
        public Builder compareWith(ScorerOutput earlier) {
            this.baseline = Objects.requireNonNull(earlier, "earlier");
            return this;
        }

        /**
         * Adds a probe run.
         *
         * @param label the row label (model or checkpoint)
         * @param result the probe file's content
         * @return this builder
         */
        public Builder probes(String label, ProbeResult result) {
            probes.put(Objects.requireNonNull(label, "label"), Objects.requireNonNull(result, "result"));
            return this;
        }

        /**
         * The response texts of this run (B), for the side-by-side diff.
         *
         * @param model the model
         * @param id the prompt id
         * @param text the response
         * @return this builder
         */
        public Builder response(String model, String id, String text) {
            texts.put(model + "\u0000" + id, text);
            return this;
        }

        /**
         * The response texts of the earlier run (A).
         *
         * @param model the model
         * @param id the prompt id
         * @param text the response
         * @return this builder
         */
        public Builder baselineResponse(String model, String id, String text) {
            baselineTexts.put(model + "\u0000" + id, text);
            return this;
        }

        /**
         * Judge call outcomes, e.g. from a run ledger.
         *
         * @param ok calls that gave a reply
         * @param failed calls that failed
         * @return this builder
         */
        public Builder judgeCalls(long ok, long failed) {
            this.judgeOk = ok;
            this.judgeFailed = failed;
            return this;
        }

        /**
         * The judge's token usage and cost ({@code ml score}'s {@code .usage.json}).
         *
         * @param prompt prompt tokens
         * @param completion completion tokens
         * @param totalCost the cost, or null when not priced
         * @return this builder
         */
        public Builder usage(long prompt, long completion, Double totalCost) {
            this.promptTokens = prompt;
            this.completionTokens = completion;
            this.cost = totalCost;
            return this;
        }

        /**
         * The page title.
         *
         * @param value the title
         * @return this builder
         */
        public Builder title(String value) {
            this.title = Objects.requireNonNull(value, "title");
            return this;
        }

        /**
         * The report.
         *
         * @return the report
         */
        public Report build() {
            return new Report(this);
        }
    }

    /**
     * Writes {@link #html()} to {@code path} atomically (a temporary file, fsynced, then renamed).
     *
     * @param path the HTML file
     * @throws ai.lthn.ml.MlIOException if it cannot be written
     */
    public void write(Path path) {
        String html = html();
        AtomicFiles.write(path, out -> out.write(html.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * The page.
     *
     * @return a complete HTML document
     */
    public String html() {
        StringBuilder h = new StringBuilder(64 * 1024);
        h.append("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
                .append(esc(b.title))
                .append("</title><style>")
                .append("body{font:14px/1.45 system-ui,sans-serif;margin:1.5rem;color:#1f2933}")
                .append("table{border-collapse:collapse;margin:.5rem 0 1.5rem}")
                .append("td,th{border:1px solid #d9e2ec;padding:.25rem .5rem;text-align:right}")
                .append("th:first-child,td:first-child{text-align:left}")
                .append(".ci{color:#627d98;font-size:12px}.up{color:#18794e}.down{color:#b42318}")
                .append(".pair{display:grid;grid-template-columns:1fr 1fr;gap:.5rem}")
                .append(".pair pre{white-space:pre-wrap;background:#f5f7fa;padding:.5rem;margin:0}")
                .append("svg text{font:11px system-ui,sans-serif}")
                .append("</style></head><body>\n");
        h.append("<h1>").append(esc(b.title)).append("</h1>\n");
        var meta = b.scores.metadata();
        if (meta != null)
            h.append("<p>Judge: ")
                    .append(esc(meta.judgeModel()))
                    .append(" &middot; scored at ")
                    .append(esc(String.valueOf(meta.scoredAt())))
                    .append("</p>\n");
        models(h);
        if (!b.probes.isEmpty()) probeMatrix(h);
        judge(h);
        if (b.baseline != null) diff(h);
        h.append("</body></html>\n");
        return h.toString();
    }

    private void models(StringBuilder h) {
        h.append("<h2>Models</h2>\n");
        Map<String, List<PromptScore>> per = b.scores.perPrompt();
        Set<String> metrics = new LinkedHashSet<>();
        for (List<PromptScore> list : per.values())
            for (PromptScore ps : list) metrics.addAll(ps.metricValues().keySet());
        h.append("<table id=\"models\"><tr><th>model</th><th>n</th>");
        for (String m : metrics) h.append("<th>").append(esc(m)).append("</th>");
        h.append("<th>exact</th></tr>\n");
        Map<String, Map<String, Estimate>> estimates = new TreeMap<>();
        for (var e : per.entrySet()) {
            Map<String, Estimate> row = new LinkedHashMap<>();
            for (String metric : metrics) {
                double[] values = e.getValue().stream()
                        .map(ps -> ps.metricValues().get(metric))
                        .filter(Objects::nonNull)
                        .mapToDouble(Double::doubleValue)
                        .toArray();
                if (values.length > 0) row.put(metric, Stats.mean(values, CONFIDENCE, SEED, RESAMPLES));
            }
            long judged =
                    e.getValue().stream().filter(ps -> correct(ps) != null).count();
            long passed = e.getValue().stream()
                    .filter(ps -> Boolean.TRUE.equals(correct(ps)))
                    .count();
            if (judged > 0) row.put("exact", Stats.proportion(passed, judged, CONFIDENCE));
            estimates.put(e.getKey(), row);
            h.append("<tr class=\"model\"><td>")
                    .append(esc(e.getKey()))
                    .append("</td><td>")
                    .append(e.getValue().size())
                    .append("</td>");
            for (String metric : metrics) cell(h, row.get(metric));
            cell(h, row.get("exact"));
            h.append("</tr>\n");
        }
        h.append("</table>\n");
        for (String metric : List.of("lek_score", "exact")) chart(h, metric, estimates);
    }

    private static void cell(StringBuilder h, Estimate e) {
        if (e == null) {
            h.append("<td>–</td>");
            return;
        }
        h.append("<td>")
                .append(fmt(e.mean()))
                .append(" <span class=\"ci\">[")
                .append(fmt(e.interval().low()))
                .append(", ")
                .append(fmt(e.interval().high()))
                .append("]</span></td>");
    }

    /** A horizontal bar chart with error bars, as inline SVG. */
    private static void chart(StringBuilder h, String metric, Map<String, Map<String, Estimate>> estimates) {
        List<Map.Entry<String, Estimate>> rows = new ArrayList<>();
        for (var e : estimates.entrySet()) {
            Estimate est = e.getValue().get(metric);
            if (est != null) rows.add(Map.entry(e.getKey(), est));
        }
        if (rows.isEmpty()) return;
        double lo = 0;
        double hi = 0;
        for (var r : rows) {
            lo = Math.min(lo, r.getValue().interval().low());
            hi = Math.max(hi, r.getValue().interval().high());
        }
        if (hi == lo) hi = lo + 1;
        final double min = lo;
        final double span = hi - lo;
        int width = 640;
        int left = 180;
        int plot = width - left - 20;
        int rowH = 22;
        int height = rows.size() * rowH + 30;
        java.util.function.DoubleUnaryOperator x = v -> left + (v - min) / span * plot;
        h.append("<h3>")
                .append(esc(metric))
                .append(" (95% intervals)</h3>\n<svg class=\"chart\" data-metric=\"")
                .append(esc(metric))
                .append("\" width=\"")
                .append(width)
                .append("\" height=\"")
                .append(height)
                .append("\" viewBox=\"0 0 ")
                .append(width)
                .append(' ')
                .append(height)
                .append("\" role=\"img\" aria-label=\"")
                .append(esc(metric))
                .append(" by model\">\n");
        double zero = x.applyAsDouble(0);
        h.append(String.format(
                Locale.ROOT,
                "<line x1=\"%.1f\" y1=\"5\" x2=\"%.1f\" y2=\"%d\" stroke=\"#9aa5b1\"/>%n",
                zero,
                zero,
                height - 20));
        int i = 0;
        for (var r : rows) {
            Estimate e = r.getValue();
            double y = 10 + i * rowH;
            double xm = x.applyAsDouble(e.mean());
            h.append(String.format(
                    Locale.ROOT,
                    "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n",
                    left - 6,
                    y + 12,
                    esc(r.getKey())));
            h.append(String.format(
                    Locale.ROOT,
                    "<rect class=\"bar\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"14\" fill=\"#4c78a8\"><title>%s %s</title></rect>%n",
                    Math.min(zero, xm),
                    y + 2,
                    Math.abs(xm - zero),
                    esc(r.getKey()),
                    fmt(e.mean())));
            double a = x.applyAsDouble(e.interval().low());
            double c = x.applyAsDouble(e.interval().high());
            h.append(String.format(
                    Locale.ROOT,
                    "<path class=\"errorbar\" d=\"M%.1f %.1fH%.1fM%.1f %.1fv10M%.1f %.1fv10\" stroke=\"#1f2933\" fill=\"none\"/>%n",
                    a,
                    y + 9,
                    c,
                    a,
                    y + 4,
                    c,
                    y + 4));
            i++;
        }
        h.append(String.format(
                Locale.ROOT,
                "<text x=\"%d\" y=\"%d\">%s</text><text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>%n",
                left,
                height - 5,
                fmt(lo),
                width - 20,
                height - 5,
                fmt(hi)));
        h.append("</svg>\n");
    }

    private void probeMatrix(StringBuilder h) {
        h.append("<h2>Capability probes</h2>\n<table id=\"probes\"><tr><th>run</th><th>all</th>");
        Set<String> categories = new TreeSet<>();
        for (ProbeResult p : b.probes.values()) categories.addAll(p.byCategory().keySet());
        for (String c : categories) h.append("<th>").append(esc(c)).append("</th>");
        h.append("</tr>\n");
        for (var e : b.probes.entrySet()) {
            ProbeResult p = e.getValue();
            h.append("<tr><td>").append(esc(e.getKey())).append("</td>");
            rate(h, p.correct(), p.total());
            for (String c : categories) {
                ProbeResult.Category cat = p.byCategory().get(c);
                if (cat == null) h.append("<td>–</td>");
                else rate(h, cat.correct(), cat.total());
            }
            h.append("</tr>\n");
        }
        h.append("</table>\n");
    }

    private static void rate(StringBuilder h, int correct, int total) {
        double r = total == 0 ? 0 : (double) correct / total;
        int green = (int) Math.round(120 * r); // red (0) to green (120) hue
        h.append(String.format(
                Locale.ROOT,
                "<td class=\"rate\" style=\"background:hsl(%d,70%%,85%%)\">%d/%d</td>",
                green,
                correct,
                total));
    }

    /**
     * Judge outcomes: per model and judge suite, the prompts that got no scores (a failed call or a
     * reply that could not be read; score files keep no failure, so they are the missing ones),
     * the ledger's call counts and the usage and cost, when given.
     */
    private void judge(StringBuilder h) {
        List<String> suites = b.scores.metadata() == null || b.scores.metadata().suites() == null
                ? List.of()
                : b.scores.metadata().suites();
        boolean all = suites.contains("all");
        List<String> judged = new ArrayList<>();
        for (String s : List.of("semantic", "content", "standard")) if (all || suites.contains(s)) judged.add(s);
        if (judged.isEmpty() && b.judgeOk < 0 && b.promptTokens < 0) return;
        h.append("<h2>Judge</h2>\n");
        if (!judged.isEmpty()) {
            h.append("<table id=\"judge-failures\"><tr><th>model</th>");
            for (String s : judged) h.append("<th>").append(esc(s)).append(" without scores</th>");
            h.append("</tr>\n");
            for (var e : b.scores.perPrompt().entrySet()) {
                h.append("<tr><td>").append(esc(e.getKey())).append("</td>");
                for (String s : judged) {
                    long missing = e.getValue().stream()
                            .filter(ps -> switch (s) {
                                case "semantic" -> ps.semantic() == null;
                                case "content" -> false; // only content-domain prompts are judged for it
                                default -> ps.standard() == null;
                            })
                            .count();
                    h.append("<td>")
                            .append(missing)
                            .append(" / ")
                            .append(e.getValue().size())
                            .append("</td>");
                }
                h.append("</tr>\n");
            }
            h.append("</table>\n");
        }
        if (b.judgeOk >= 0)
            h.append("<p id=\"judge\">")
                    .append(b.judgeOk)
                    .append(" calls answered, ")
                    .append(b.judgeFailed)
                    .append(" failed (run ledger)</p>\n");
        if (b.promptTokens >= 0)
            h.append("<p id=\"usage\">Judge tokens: ")
                    .append(b.promptTokens)
                    .append(" prompt + ")
                    .append(b.completionTokens)
                    .append(" completion")
                    .append(b.cost == null ? "" : String.format(Locale.ROOT, "; cost %.4f", b.cost))
                    .append("</p>\n");
    }

    private void diff(StringBuilder h) {
        h.append("<h2>Compared with the earlier run (A = earlier, B = this run)</h2>\n");
        List<String[]> flips = new ArrayList<>();
        List<Object[]> moves = new ArrayList<>();
        for (var e : b.scores.perPrompt().entrySet()) {
            String model = e.getKey();
            Map<String, PromptScore> before = new LinkedHashMap<>();
            for (PromptScore ps : b.baseline.perPrompt().getOrDefault(model, List.of()))
                before.putIfAbsent(ps.id(), ps);
            for (PromptScore now : e.getValue()) {
                PromptScore was = before.get(now.id());
                if (was == null) continue;
                Boolean x = correct(was);
                Boolean y = correct(now);
                if (x != null && y != null && !x.equals(y))
                    flips.add(new String[] {model, now.id(), y ? "now passes" : "now fails"});
                Double la = was.metricValues().get("lek_score");
                Double lb = now.metricValues().get("lek_score");
                if (la != null && lb != null && !la.equals(lb)) moves.add(new Object[] {model, now.id(), la, lb});
            }
        }
        moves.sort(Comparator.comparingDouble((Object[] m) -> -Math.abs((double) m[3] - (double) m[2])));
        h.append("<ol id=\"flips\">\n");
        int shown = 0;
        for (String[] f : flips) {
            if (shown++ >= MAX_FLIPS) break;
            item(h, "flip", f[0], f[1], "exact match " + f[2]);
        }
        for (Object[] m : moves) {
            if (shown++ >= MAX_FLIPS) break;
            item(
                    h,
                    "move",
                    (String) m[0],
                    (String) m[1],
                    "lek_score " + fmt((double) m[2]) + " → " + fmt((double) m[3]));
        }
        h.append("</ol>\n");
    }

    private void item(StringBuilder h, String kind, String model, String id, String what) {
        String key = model + "\u0000" + id;
        h.append("<li class=\"")
                .append(kind)
                .append("\"><b>")
                .append(esc(model))
                .append(" / ")
                .append(esc(id))
                .append("</b>: ")
                .append(esc(what));
        if (b.baselineTexts.containsKey(key) || b.texts.containsKey(key))
            h.append("<div class=\"pair\"><pre>A: ")
                    .append(esc(b.baselineTexts.getOrDefault(key, "")))
                    .append("</pre><pre>B: ")
                    .append(esc(b.texts.getOrDefault(key, "")))
                    .append("</pre></div>");
        h.append("</li>\n");
    }

    private static Boolean correct(PromptScore ps) {
        return ps.standard() == null ? null : ps.standard().correct();
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }

    static String esc(String s) {
        if (s == null) return "";
        StringBuilder sb = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }
}
