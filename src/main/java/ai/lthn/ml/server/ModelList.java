package ai.lthn.ml.server;

import ai.lthn.ml.MlException;
import ai.lthn.ml.Ticker;
import ai.lthn.ml.inference.ModelCatalog;
import ai.lthn.ml.inference.TextModel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The models {@code /v1/models} lists: the served id first, then, when the model routes by name
 * ({@link ModelCatalog}, e.g. an HTTP upstream), the upstream's models. The upstream's list is
 * kept for {@link #TTL}; when it cannot be fetched the served id stands alone (and that answer is
 * kept as long, so a dead upstream is not asked on every call); a fetch is waited for at most
 * {@link #FETCH_LIMIT}. Thread-safe; one fetch at a time.
 */
final class ModelList {
    /** How long an upstream's list (or its failure) is kept. */
    static final Duration TTL = Duration.ofSeconds(30);

    /** How long {@code /v1/models} waits for the upstream's list. */
    static final Duration FETCH_LIMIT = Duration.ofSeconds(5);

    private static final Logger LOG = LoggerFactory.getLogger(ModelList.class);

    private final String servedId;
    private final ModelCatalog catalog;
    private final Ticker ticker;
    private List<String> cached;
    private long fetchedAt;

    ModelList(String servedId, TextModel model, Ticker ticker) {
        this.servedId = servedId;
        this.catalog = model instanceof ModelCatalog c ? c : null;
        this.ticker = ticker;
    }

    /** The ids, the served one first, no duplicates. */
    synchronized List<String> ids() {
        if (catalog == null) return List.of(servedId);
        long now = ticker.read();
        if (cached == null || now - fetchedAt >= TTL.toNanos()) {
            cached = fetch();
            fetchedAt = ticker.read();
        }
        return cached;
    }

    /**
     * The upstream's list, waited for at most {@link #FETCH_LIMIT} (a backend's own timeout is
     * minutes, too long for a model picker); on a timeout the fetch is cancelled (interrupted: an
     * HTTP backend cancels its call) and the served id stands alone.
     */
    private List<String> fetch() {
        Set<String> ids = new LinkedHashSet<>();
        ids.add(servedId);
        FutureTask<List<String>> task = new FutureTask<>(catalog::models);
        Thread t = new Thread(task, "lthn-ml-model-list");
        t.setDaemon(true);
        t.start();
        try {
            ids.addAll(task.get(FETCH_LIMIT.toMillis(), TimeUnit.MILLISECONDS));
        } catch (TimeoutException e) {
            task.cancel(true);
            LOG.warn("the upstream's model list took over {} s, listing {} alone", FETCH_LIMIT.toSeconds(), servedId);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof MlException))
                throw new MlException("listing the upstream's models", e.getCause());
            LOG.warn(
                    "the upstream's model list is unavailable, listing {} alone: {}",
                    servedId,
                    e.getCause().getMessage());
        } catch (InterruptedException e) {
            task.cancel(true);
            Thread.currentThread().interrupt();
            throw new MlException("interrupted while listing the upstream's models", e);
        }
        return List.copyOf(new ArrayList<>(ids));
    }
}
