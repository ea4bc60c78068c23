package ai.lthn.ml.store;

import ai.lthn.ml.HttpStatusException;
import ai.lthn.ml.MlException;
import ai.lthn.ml.internal.Redact;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes points to InfluxDB, or, when InfluxDB cannot take them now, keeps them in a durable
 * {@link Outbox} to {@link #replay()} later. Every write path goes through here, so no accepted
 * point is lost while the server is down (go-ml buffered only its capability summary and
 * dropped the streamed points). Points should carry deterministic timestamps: a replayed point
 * then overwrites itself instead of duplicating.
 *
 * <p>A write the server refuses for good (400 malformed or partly stored, 413 too large, 422) is
 * not buffered: repeating it cannot help, so the caller gets the error. In replay, only such a
 * definitive rejection sends an entry to the outbox's dead letters; connection failures, 5xx,
 * 408/429 and 401/403/404 (a configuration to fix, not a bad batch) leave it waiting. After a
 * write or replay that found InfluxDB unavailable, the writer backs off (1 s, doubling up to
 * 5 min, measured on its {@link Clock}): until then writes go straight to the outbox and
 * {@link #replay()} returns at once, neither contacting the server (nor logging again).
 */
public final class BufferedInfluxWriter {
    private static final Logger LOG = LoggerFactory.getLogger(BufferedInfluxWriter.class);

    static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
    static final Duration MAX_BACKOFF = Duration.ofMinutes(5);

    private final InfluxClient client;
    private final Outbox outbox;
    private final Clock clock;
    private final Object backoffLock = new Object();
    private int failures;
    private Instant nextAttempt = Instant.MIN;

    /**
     * Writes through {@code client}, buffering in {@code outbox}; the backoff is timed on the
     * system UTC clock.
     *
     * @param client the InfluxDB client every write and replay goes through
     * @param outbox the durable buffer for points InfluxDB cannot take now
     */
    public BufferedInfluxWriter(InfluxClient client, Outbox outbox) {
        this(client, outbox, Clock.systemUTC());
    }

    /**
     * As {@link #BufferedInfluxWriter(InfluxClient, Outbox)}, timing the replay backoff on {@code clock}.
     *
     * @param client the InfluxDB client every write and replay goes through
     * @param outbox the durable buffer for points InfluxDB cannot take now
     * @param clock the clock the backoff deadline is measured on (a fixed or manual clock in tests)
     */
    public BufferedInfluxWriter(InfluxClient client, Outbox outbox, Clock clock) {
        this.client = Objects.requireNonNull(client, "client");
        this.outbox = Objects.requireNonNull(outbox, "outbox");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Whether a status refuses this batch for good (repeating it cannot help). */
    static boolean definitiveRejection(int status) {
        return status == 400 || status == 413 || status == 422;
    }

    /** Where the points went. */
    public enum Result {
        /** Written to InfluxDB. */
        WRITTEN,
        /** InfluxDB was unavailable; the points are in the outbox. */
        BUFFERED
    }

    /**
     * Writes the points, or buffers them durably when InfluxDB is unavailable.
     *
     * @param points the points, written as one batch of line protocol; an empty list writes
     *     nothing and returns {@link Result#WRITTEN}
     * @return {@link Result#WRITTEN} when InfluxDB took them, {@link Result#BUFFERED} when they
     *     went to the outbox (InfluxDB unavailable, or still within the backoff)
     * @throws HttpStatusException 400/413/422 when the server refuses the points for good
     */
    public Result write(List<Point> points) {
        if (points.isEmpty()) return Result.WRITTEN;
        StringBuilder body = new StringBuilder();
        for (Point p : points) body.append(p.toLine()).append('\n');
        String lines = body.toString();
        if (backingOff()) { // known down: no request (and no timeout) per write until the backoff ends
            outbox.append(lines.getBytes(StandardCharsets.UTF_8));
            return Result.BUFFERED;
        }
        try {
            client.writeLines(lines);
            reachable();
            return Result.WRITTEN;
        } catch (HttpStatusException e) {
            if (definitiveRejection(e.statusCode())) {
                reachable();
                throw e;
            }
            return buffer(lines, e);
        } catch (MlException e) {
            return buffer(lines, e);
        }
    }

    private Result buffer(String lines, MlException cause) {
        unavailable();
        outbox.append(lines.getBytes(StandardCharsets.UTF_8));
        // no outbox.size() here: that lists the directory on every write while the server is down
        LOG.warn("influx unavailable ({}); buffered the points in the outbox", Redact.urlsIn(cause.getMessage()));
        return Result.BUFFERED;
    }

    /**
     * Sends buffered points, oldest first, until InfluxDB fails again. Within the backoff after
     * a write or replay that found InfluxDB unavailable, returns at once without contacting the
     * server (the result then reports only what remains).
     *
     * @return the counts of entries delivered, rejected (dead-lettered), damaged and still
     *     remaining in the outbox
     */
    public Outbox.DrainResult replay() {
        if (backingOff()) return new Outbox.DrainResult(0, 0, 0, outbox.size());
        boolean[] waiting = {false};
        Outbox.DrainResult r = outbox.drain(payload -> {
            try {
                client.writeLines(new String(payload, StandardCharsets.UTF_8));
                return Outbox.Outcome.DELIVERED;
            } catch (HttpStatusException e) {
                if (definitiveRejection(e.statusCode())) return Outbox.Outcome.REJECTED;
                waiting[0] = true;
                return Outbox.Outcome.RETRY_LATER;
            } catch (MlException e) {
                waiting[0] = true;
                return Outbox.Outcome.RETRY_LATER;
            }
        });
        if (waiting[0]) unavailable();
        else reachable();
        return r;
    }

    private boolean backingOff() {
        synchronized (backoffLock) {
            return clock.instant().isBefore(nextAttempt);
        }
    }

    /** InfluxDB could not take points: wait 1 s, then twice as long after each further failure, up to 5 min. */
    private void unavailable() {
        synchronized (backoffLock) {
            failures = Math.min(failures + 1, 30);
            Duration wait = FIRST_BACKOFF.multipliedBy(1L << Math.min(failures - 1, 20));
            if (wait.compareTo(MAX_BACKOFF) > 0) wait = MAX_BACKOFF;
            nextAttempt = clock.instant().plus(wait);
        }
    }

    private void reachable() {
        synchronized (backoffLock) {
            failures = 0;
            nextAttempt = Instant.MIN;
        }
    }

    /**
     * Points waiting in the outbox (entries, each one write).
     *
     * @return the number of pending outbox entries (not points); lists the outbox directory
     */
    public int pending() {
        return outbox.size();
    }

    /**
     * Points waiting in the outbox (lines of the entries waiting; reads each entry).
     *
     * @return the number of buffered points
     */
    public long pendingPoints() {
        long[] n = {0};
        outbox.forEachPending(payload -> {
            for (byte b : payload) if (b == '\n') n[0]++;
        });
        return n[0];
    }
}
