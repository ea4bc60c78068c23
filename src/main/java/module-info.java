/**
 * lthn-ml: run, serve and evaluate language models from the JVM.
 *
 * <p>The API is the exported packages below. {@code ai.lthn.ml.internal} and
 * {@code ai.lthn.ml.score.internal} hold shared machinery and {@code ai.lthn.ml.cli} the command
 * line: none of them is exported, so a consumer on the module path cannot reach them (on the
 * class path they are internal by name and javadoc only).
 *
 * <p>Dependencies: Jackson, OkHttp, Jetty and slf4j-api always; optionally Apache MINA SSHD (as
 * its one-jar {@code sshd-osgi} artifact plus {@code sshd-sftp}, with BouncyCastle) for {@code
 * SshTransport}, Micrometer for the server's metrics; picocli only for
 * the CLI ({@code requires static}); DuckDB is reached through {@code java.sql}'s driver
 * registry only, so it needs no {@code requires}: add {@code org.duckdb:duckdb_jdbc} (and, on
 * the module path, {@code --add-modules duckdb.jdbc}) to use {@code ResultsDb}.
 */
module ai.lthn.ml {
    requires transitive com.fasterxml.jackson.annotation; // on the public score records
    requires com.fasterxml.jackson.databind;
    requires transitive okhttp3; // the documented escape hatch: HttpBackend.Builder.client(OkHttpClient)
    requires okio; // SseReader; OkHttp 4 is an automatic module and does not require it for us
    requires org.slf4j;
    requires java.sql;
    requires org.eclipse.jetty.server; // OpenAiServer: Jetty 12 core, no servlet API
    requires org.eclipse.jetty.http;
    requires org.eclipse.jetty.io;
    requires org.eclipse.jetty.util;
    // SSH for SshTransport only (optional dependencies: add them to use the transport)
    requires static org.apache.sshd.osgi;
    requires static org.apache.sshd.sftp;
    requires static org.bouncycastle.provider; // Ed25519 for SSH; MINA SSHD finds it reflectively
    requires static info.picocli;
    // the server's /metrics, only when a MeterRegistry is given (OpenAiServer.Builder.metrics)
    requires static micrometer.core;
    requires static micrometer.registry.prometheus;
    requires static duckdb.jdbc; // optional: the dataset pipeline's bulk appender (ai.lthn.ml.data)

    exports ai.lthn.ml;
    exports ai.lthn.ml.inference;
    exports ai.lthn.ml.backend;
    exports ai.lthn.ml.backend.mlx;
    exports ai.lthn.ml.backend.nativeengine;
    exports ai.lthn.ml.agent;
    exports ai.lthn.ml.data;
    exports ai.lthn.ml.format;
    exports ai.lthn.ml.score;
    exports ai.lthn.ml.score.stats;
    exports ai.lthn.ml.server;
    exports ai.lthn.ml.store;
    exports ai.lthn.ml.transport;
    exports ai.lthn.ml.testing;
    exports ai.lthn.ml.worker;

    // Jackson binds the score records and reads package-private DTOs reflectively.
    opens ai.lthn.ml.score to
            com.fasterxml.jackson.databind;
    opens ai.lthn.ml.backend to
            com.fasterxml.jackson.databind;
    opens ai.lthn.ml.data to
            com.fasterxml.jackson.databind; // the package-private training-line records
    // picocli sets the command classes' annotated fields reflectively.
    opens ai.lthn.ml.cli to
            info.picocli;

    uses ai.lthn.ml.inference.InferenceEngine;

    provides ai.lthn.ml.inference.InferenceEngine with
            ai.lthn.ml.backend.mlx.MlxEngine,
            ai.lthn.ml.backend.nativeengine.NativeEngine;
}
