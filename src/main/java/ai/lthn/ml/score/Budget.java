package ai.lthn.ml.score;

import ai.lthn.ml.CallEvent;
import ai.lthn.ml.CallObserver;
import ai.lthn.ml.InvalidInputException;
import ai.lthn.ml.MlIOException;
import ai.lthn.ml.internal.AtomicFiles;
import ai.lthn.ml.internal.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Token accounting and a budget for a run's judge calls: it adds up the tokens every call reports
 * ({@code usage}), prices them, and once the run passes its cost or token limit calls {@code
 * onExceeded} once (the command cancels the run there; its ledger makes it resumable).
 *
 * <p>Thread-safe.
 */
public final class Budget implements CallObserver {
    /**
     * Prices per million tokens.
     *
     * @param inputPerMillion price of a million prompt tokens
     * @param outputPerMillion price of a million completion tokens
     */
    public record Price(double inputPerMillion, double outputPerMillion) {
        /**
         * Refuses negative prices.
         *
         * @param inputPerMillion price of a million prompt tokens, in the pricing file's currency;
         *     zero or positive
         * @param outputPerMillion price of a million completion tokens; zero or positive
         * @throws IllegalArgumentException if a price is negative
         */
        public Price {
            if (inputPerMillion < 0 || outputPerMillion < 0) throw new IllegalArgumentException("negative price");
        }

        /**
         * Reads a pricing file, {@code {"MODEL": {"input_per_million": 0.5, "output_per_million":
         * 1.5}, ...}}, and takes {@code model}'s entry.
         *
         * @param file the pricing file
         * @param model the model priced
         * @return its price
         * @throws InvalidInputException if the file has no valid entry for the model
         */
        public static Price fromFile(Path file, String model) {
            JsonNode root;
            try {
                root = Json.reader().readTree(java.nio.file.Files.readAllBytes(file));
            } catch (IOException e) {
                throw new MlIOException("read " + file + ": " + e.getMessage(), e);
            }
            JsonNode entry = root == null ? null : root.get(model);
            if (entry == null
                    || !entry.path("input_per_million").isNumber()
                    || !entry.path("output_per_million").isNumber())
                throw new InvalidInputException(
                        file.toString(), 0, "no price for " + model + " (input_per_million and output_per_million)");
            return new Price(
                    entry.get("input_per_million").doubleValue(),
                    entry.get("output_per_million").doubleValue());
        }
    }

    private final Price price;
    private final double maxCost;
    private final long maxTokens;
    private final Runnable onExceeded;
    private long promptTokens;
    private long completionTokens;
    private long calls;
    private boolean exceeded;

    /**
     * A budget.
     *
     * @param price the model's price; null when unknown (then only tokens are counted)
     * @param maxCost stop past this cost; 0 for no limit (needs a price)
     * @param maxTokens stop past this many tokens in all; 0 for no limit
     * @param onExceeded called once, on the calling thread, when a limit is passed
     */
    public Budget(Price price, double maxCost, long maxTokens, Runnable onExceeded) {
        if (maxCost > 0 && price == null) throw new IllegalArgumentException("a cost limit needs a price");
        if (maxCost < 0 || maxTokens < 0) throw new IllegalArgumentException("negative limit");
        this.price = price;
        this.maxCost = maxCost;
        this.maxTokens = maxTokens;
        this.onExceeded = Objects.requireNonNull(onExceeded, "onExceeded");
    }

    @Override
    public void onCall(CallEvent e) {
        boolean fire;
        synchronized (this) {
            calls++;
            if (e.promptTokens() > 0) promptTokens += e.promptTokens();
            if (e.completionTokens() > 0) completionTokens += e.completionTokens();
            boolean over =
                    (maxTokens > 0 && promptTokens + completionTokens > maxTokens) || (maxCost > 0 && cost() > maxCost);
            fire = over && !exceeded;
            exceeded |= over;
        }
        if (fire) onExceeded.run();
    }

    /**
     * Prompt tokens so far.
     *
     * @return the count
     */
    public synchronized long promptTokens() {
        return promptTokens;
    }

    /**
     * Completion tokens so far.
     *
     * @return the count
     */
    public synchronized long completionTokens() {
        return completionTokens;
    }

    /**
     * The cost so far, or 0 without a price.
     *
     * @return the cost in the pricing file's currency
     */
    public synchronized double cost() {
        return price == null
                ? 0
                : (promptTokens * price.inputPerMillion() + completionTokens * price.outputPerMillion()) / 1e6;
    }

    /**
     * Whether a limit was passed.
     *
     * @return true once a limit was passed
     */
    public synchronized boolean exceeded() {
        return exceeded;
    }

    /**
     * Whether a price is known.
     *
     * @return true if costs are computed
     */
    public boolean priced() {
        return price != null;
    }

    /**
     * What the run used so far, as {@code ml score} records it beside a score file.
     *
     * @param judgeModel the judge model, for the record
     * @return the usage
     */
    public synchronized Usage usage(String judgeModel) {
        return new Usage(judgeModel, promptTokens, completionTokens, price == null ? null : cost());
    }

    /**
     * A run's token usage and cost: the {@code <scores>.usage.json} file {@code ml score} writes
     * beside its score file (go-ml's score file stays as go-ml wrote it) and {@code ml report} reads.
     *
     * @param judgeModel the judge model ({@code judge_model})
     * @param promptTokens prompt tokens ({@code prompt_tokens})
     * @param completionTokens completion tokens ({@code completion_tokens})
     * @param cost the cost in the pricing file's currency; null when unpriced ({@code cost})
     */
    public record Usage(String judgeModel, long promptTokens, long completionTokens, Double cost) {
        /**
         * Writes the file atomically.
         *
         * @param file the file
         * @throws MlIOException if it cannot be written
         */
        public void write(Path file) {
            ObjectNode u = Json.object()
                    .put("judge_model", judgeModel)
                    .put("prompt_tokens", promptTokens)
                    .put("completion_tokens", completionTokens);
            if (cost != null) u.put("cost", cost);
            else u.putNull("cost");
            AtomicFiles.write(file, o -> o.write(u.toPrettyString().getBytes(StandardCharsets.UTF_8)));
        }

        /**
         * Reads a usage file.
         *
         * @param file the file
         * @return its usage
         * @throws InvalidInputException if it is not a usage file
         * @throws MlIOException if it cannot be read
         */
        public static Usage read(Path file) {
            JsonNode u;
            try {
                u = Json.reader().readTree(java.nio.file.Files.readAllBytes(file));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new InvalidInputException(file.toString(), 0, "not a usage file: " + e.getOriginalMessage(), e);
            } catch (IOException e) {
                throw new MlIOException("read " + file + ": " + e.getMessage(), e);
            }
            if (u == null || !u.isObject())
                throw new InvalidInputException(file.toString(), 0, "not a usage file: no JSON object");
            return new Usage(
                    u.path("judge_model").asText(""),
                    u.path("prompt_tokens").asLong(),
                    u.path("completion_tokens").asLong(),
                    u.path("cost").isNumber() ? u.path("cost").doubleValue() : null);
        }
    }
}
