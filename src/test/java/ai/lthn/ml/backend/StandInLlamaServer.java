package ai.lthn.ml.backend;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Reader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * A stand-in for {@code llama-server}, run as a real child process: it takes llama-server's
 * arguments ({@code -m MODEL --port P --host H [--lora PATH]}), and the "model" file is a
 * properties file of switches: {@code startDelayMs} (health answers 503 "loading model" until
 * then), {@code exitCode} (print a line and exit at once), {@code neverHealthy}. It serves
 * {@code /health} and {@code /v1/chat/completions} (plain or streamed), echoing the last user
 * message as {@code reply:<text>} (and the tools' names it was offered, as {@code [tools: a,b]}).
 */
public final class StandInLlamaServer {
    private static final ObjectMapper JSON = new ObjectMapper();

    private StandInLlamaServer() {}

    public static void main(String[] args) throws Exception {
        String model = null;
        String host = "127.0.0.1";
        String lora = "";
        int port = 8080;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "-m" -> model = args[++i];
                case "--port" -> port = Integer.parseInt(args[++i]);
                case "--host" -> host = args[++i];
                case "--lora" -> lora = args[++i];
                default -> {
                    System.out.println("error: unknown argument: " + args[i]);
                    System.exit(1);
                }
            }
        }
        if (model == null || !Files.isRegularFile(Path.of(model))) {
            System.out.println("error: failed to load model '" + model + "'");
            System.exit(1);
        }
        Properties switches = new Properties();
        try (Reader r = Files.newBufferedReader(Path.of(model))) {
            switches.load(r);
        }
        System.out.println("loading model " + model + (lora.isEmpty() ? "" : " with lora " + lora));
        if (switches.containsKey("exitCode")) {
            System.out.println("fatal: model file is corrupt");
            System.exit(Integer.parseInt(switches.getProperty("exitCode")));
        }
        long readyAt = System.currentTimeMillis() + Long.parseLong(switches.getProperty("startDelayMs", "0"));
        boolean neverHealthy = Boolean.parseBoolean(switches.getProperty("neverHealthy", "false"));
        String loraTag = lora;
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getByName(host), port), 50);
        server.createContext("/health", ex -> {
            boolean ready = !neverHealthy && System.currentTimeMillis() >= readyAt;
            send(
                    ex,
                    ready ? 200 : 503,
                    "application/json",
                    ready ? "{\"status\":\"ok\"}" : "{\"error\":{\"code\":503,\"message\":\"Loading model\"}}");
        });
        server.createContext("/v1/chat/completions", ex -> chat(ex, loraTag));
        server.start();
        System.out.println("main: server is listening on http://" + host + ":" + port);
        Thread.currentThread().join();
    }

    private static void chat(HttpExchange ex, String lora) throws IOException {
        JsonNode req = JSON.readTree(ex.getRequestBody());
        JsonNode messages = req.path("messages");
        String last = messages.isEmpty()
                ? ""
                : messages.get(messages.size() - 1).path("content").asText();
        StringBuilder tools = new StringBuilder();
        for (JsonNode t : req.path("tools"))
            tools.append(tools.length() == 0 ? "" : ",")
                    .append(t.path("function").path("name").asText());
        String reply = "reply:" + last + (lora.isEmpty() ? "" : " (lora)")
                + (tools.length() == 0 ? "" : " [tools: " + tools + "]");
        if (!req.path("stream").asBoolean()) {
            var body = JSON.createObjectNode();
            body.putArray("choices")
                    .addObject()
                    .put("finish_reason", "stop")
                    .putObject("message")
                    .put("role", "assistant")
                    .put("content", reply);
            send(ex, 200, "application/json", JSON.writeValueAsString(body));
            return;
        }
        ex.getResponseHeaders().set("Content-Type", "text/event-stream");
        ex.sendResponseHeaders(200, 0);
        try (OutputStream out = ex.getResponseBody()) {
            for (String word : reply.split("(?<= )")) {
                var chunk = JSON.createObjectNode();
                chunk.putArray("choices").addObject().putObject("delta").put("content", word);
                out.write(("data: " + JSON.writeValueAsString(chunk) + "\n\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
            out.write("data: {\"choices\":[{\"delta\":{},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n"
                    .getBytes(StandardCharsets.UTF_8));
        }
    }

    private static void send(HttpExchange ex, int code, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(code, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }
}
