package ai.lthn.ml.cli;

import ai.lthn.ml.store.BufferedInfluxWriter;
import ai.lthn.ml.store.InfluxClient;
import ai.lthn.ml.store.Outbox;
import java.nio.file.Path;
import picocli.CommandLine;

/** What the dataset commands share: the --db check and the InfluxDB writer. */
final class DataSupport {
    private DataSupport() {}

    /** {@code --db} (or LEM_DB), refused as go-ml refused it when unset. */
    static Path requireDb(CommandLine.Model.CommandSpec spec, Main main) {
        if (main.db == null || main.db.toString().isBlank())
            throw new CommandLine.ParameterException(spec.commandLine(), "--db or LEM_DB required");
        return main.db;
    }

    /** The InfluxDB client of {@code --influx}/{@code --influx-db}, token from INFLUX_TOKEN or ~/.influx_token. */
    static InfluxClient influx(CommandLine.Model.CommandSpec spec, Main main) {
        return InfluxConnection.client(spec.commandLine(), main, "v1");
    }

    /**
     * A durable writer over {@code client}: the outbox sits next to the database, and points it
     * holds from an earlier run are sent first.
     */
    static BufferedInfluxWriter writer(InfluxClient client, Path db, java.io.PrintWriter out) {
        try {
            client.createDatabase(); // InfluxDB 1.x refuses points for a database it does not have
        } catch (RuntimeException e) {
            out.println("warning: InfluxDB: cannot create database " + client.database() + ": " + e.getMessage());
        }
        Path dir = db.toAbsolutePath().getParent();
        BufferedInfluxWriter w = new BufferedInfluxWriter(
                client, Outbox.open((dir == null ? Path.of(".") : dir).resolve(".influx-outbox")));
        w.replay();
        return w;
    }
}
