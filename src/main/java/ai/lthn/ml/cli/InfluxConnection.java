package ai.lthn.ml.cli;

import ai.lthn.ml.store.InfluxClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine;

/** The InfluxDB client the commands build from {@code --influx}, {@code --influx-db}, {@code --influx-api} and the token. */
final class InfluxConnection {
    private InfluxConnection() {}

    /**
     * A client for {@code main}'s {@code --influx} and {@code --influx-db}.
     *
     * @throws CommandLine.ParameterException when {@code --influx} is unset or {@code api} is not v1 or v3
     */
    static InfluxClient client(CommandLine cli, Main main, String api) {
        if (main.influxUrl == null || main.influxUrl.isBlank())
            throw new CommandLine.ParameterException(cli, "--influx is required (or set ML_INFLUX_URL)");
        InfluxClient.Builder b;
        try {
            b = InfluxClient.builder(main.influxUrl.strip(), main.influxDb).api(api(cli, api));
            String token = token();
            if (!token.isEmpty()) b.token(token);
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cli, e.getMessage(), e);
        }
    }

    /** {@code --influx-api}: v1 or v3. */
    static InfluxClient.Api api(CommandLine cli, String value) {
        return switch (value) {
            case "v1" -> InfluxClient.Api.V1;
            case "v3" -> InfluxClient.Api.V3;
            default -> throw new CommandLine.ParameterException(cli, "--influx-api must be v1 or v3, not " + value);
        };
    }

    /** INFLUX_TOKEN, else the trimmed ~/.influx_token (go-ml's order), else none. */
    static String token() {
        String env = System.getenv("INFLUX_TOKEN");
        if (env != null && !env.isBlank()) return env.strip();
        Path file = Path.of(System.getProperty("user.home"), ".influx_token");
        try {
            return Files.isReadable(file) ? Files.readString(file).strip() : "";
        } catch (IOException e) {
            throw new UncheckedIOException("read " + file + ": " + e.getMessage(), e);
        }
    }
}
