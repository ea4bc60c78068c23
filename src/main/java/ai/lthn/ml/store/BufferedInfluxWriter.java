package ai.lthn.ml.store;

import ai.lthn.ml.HttpStatusException;
import ai.lthn.ml.MlException;
import java.nio.charset.StandardCharsets;
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
 * <p>A write the server refuses as malformed (400) is not buffered: repeating it cannot help, so
 * the caller gets the error. In replay, such an entry goes to the outbox's dead letters.
 */
public final class BufferedInfluxWriter {
    private static final Logger LOG = LoggerFactory.getLogger(BufferedInfluxWriter.class);

    private final InfluxClient client;
    private final Outbox outbox;

    /** Writes through {@code client}, buffering in {@code outbox}. */
    public BufferedInfluxWriter(InfluxClient client, Outbox outbox) {
        this.client = Objects.requireNonNull(client, "client");
        this.outbox = Objects.requireNonNull(outbox, "outbox");
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
     * @throws HttpStatusException 400 when the server refuses the points as malformed
     */
    public Result write(List<Point> points) {
        if (points.isEmpty()) return Result.WRITTEN;
        StringBuilder body = new StringBuilder();
        for (Point p : points) body.append(p.toLine()).append('\n');
        String lines = body.toString();
        try {
            client.writeLines(lines);
            return Result.WRITTEN;
        } catch (HttpStatusException e) {
            if (e.statusCode() == 400) throw e;
            return buffer(lines, e);
        } catch (MlException e) {
            return buffer(lines, e);
        }
    }

    private Result buffer(String lines, MlException cause) {
        outbox.append(lines.getBytes(StandardCharsets.UTF_8));
        // no outbox.size() here: that lists the directory on every write while the server is down
        LOG.warn("influx unavailable ({}); buffered the points in the outbox", cause.getMessage());
        return Result.BUFFERED;
    }

    /** Sends buffered points, oldest first, until InfluxDB fails again. */
    public Outbox.DrainResult replay() {
        return outbox.drain(payload -> {
            try {
                client.writeLines(new String(payload, StandardCharsets.UTF_8));
                return Outbox.Outcome.DELIVERED;
            } catch (HttpStatusException e) {
                return e.statusCode() == 400 ? Outbox.Outcome.REJECTED : Outbox.Outcome.RETRY_LATER;
            } catch (MlException e) {
                return Outbox.Outcome.RETRY_LATER;
            }
        });
    }

    /** Points waiting in the outbox (entries, each one write). */
    public int pending() {
        return outbox.size();
    }
}
