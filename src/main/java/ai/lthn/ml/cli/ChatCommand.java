package ai.lthn.ml.cli;

import ai.lthn.ml.Message;
import ai.lthn.ml.MlException;
import ai.lthn.ml.inference.GenerateConfig;
import ai.lthn.ml.inference.TextModel;
import ai.lthn.ml.inference.TokenStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code ml chat}: a terminal conversation with a model, streaming each reply as it comes.
 * {@code /reset} forgets the conversation, {@code /exit} (or end of input) quits. Works with piped
 * standard input; the prompt is shown only on a terminal.
 */
@Command(
        name = "chat",
        mixinStandardHelpOptions = true,
        description = "Chat with a model in the terminal (/reset, /exit).")
final class ChatCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @ParentCommand
    Main main; // standard input; --api-url, --model

    @Mixin
    ModelOptions source;

    @Option(names = "--system", description = "A system message that starts every conversation")
    String system;

    @Option(
            names = "--max-tokens",
            defaultValue = "2048",
            description = "Tokens per reply (default: ${DEFAULT-VALUE}, go-ml's)")
    int maxTokens;

    @Option(
            names = "--temperature",
            defaultValue = "0.4",
            description = "Sampling temperature (default: ${DEFAULT-VALUE}, go-ml's)")
    float temperature;

    @Option(names = "--output", description = "Append the conversations here as training JSONL (at /save and on exit)")
    java.nio.file.Path output;

    private final List<List<Message>> saved = new ArrayList<>();

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        boolean terminal = System.console() != null;
        GenerateConfig config = GenerateConfig.builder()
                .maxTokens(maxTokens)
                .temperature(temperature)
                .build();
        List<Message> history = new ArrayList<>();
        try (TextModel model = source.open(main, Duration.ofMinutes(10));
                BufferedReader in = new BufferedReader(new InputStreamReader(main.in, StandardCharsets.UTF_8))) {
            reset(history);
            while (true) {
                if (terminal) {
                    out.print("> ");
                    out.flush();
                }
                String line = in.readLine();
                if (line == null) break;
                String text = line.strip();
                if (text.isEmpty()) continue;
                if (text.startsWith("/")) {
                    if (!command(text, history, out)) break;
                    out.flush();
                    continue;
                }
                history.add(Message.user(text));
                StringBuilder reply = new StringBuilder();
                try (TokenStream tokens = model.chat(history, config)) {
                    while (tokens.hasNext()) {
                        String t = tokens.next().text();
                        reply.append(t);
                        out.print(t);
                        out.flush();
                    }
                    out.println();
                    history.add(Message.assistant(reply.toString()));
                } catch (MlException e) {
                    out.println();
                    err.println("ml: " + e.getMessage());
                    err.flush();
                    history.remove(history.size() - 1);
                }
                out.flush();
            }
            writeOutput(history);
        }
        return 0;
    }

    /** go-ml's REPL commands; false to end the session. */
    private boolean command(String text, List<Message> history, PrintWriter out) {
        String name = text.split("\\s+", 2)[0];
        switch (name) {
            case "/quit", "/exit" -> {
                return false;
            }
            case "/save" -> {
                if (output == null) {
                    out.println("No --output file specified. Use --output to enable saving.");
                } else if (!history.isEmpty()) {
                    saved.add(List.copyOf(history));
                    out.printf("Saved conversation (%d messages)%n", history.size());
                }
            }
            case "/clear", "/reset" -> {
                String sys = history.stream()
                        .filter(m -> m.role().equals("system"))
                        .map(Message::content)
                        .findFirst()
                        .orElse(null);
                history.clear();
                if (sys != null) history.add(Message.system(sys));
                out.println("Conversation cleared.");
            }
            case "/system" -> {
                String[] parts = text.split("\\s+", 2);
                if (parts.length < 2) {
                    out.println("Usage: /system <prompt text>");
                    break;
                }
                String sys = text.substring(text.indexOf(parts[1]));
                int at = -1;
                for (int i = 0; i < history.size(); i++)
                    if (history.get(i).role().equals("system")) {
                        at = i;
                        break;
                    }
                if (at >= 0) history.set(at, Message.system(sys));
                else history.add(0, Message.system(sys));
                out.printf("System prompt set (%d chars)%n", sys.getBytes(StandardCharsets.UTF_8).length);
            }
            case "/undo" -> {
                int n = history.size();
                if (n >= 2) {
                    if (history.get(n - 2).role().equals("user")
                            && history.get(n - 1).role().equals("assistant")) {
                        history.remove(n - 1);
                        history.remove(n - 2);
                        out.println("Last exchange removed.");
                    } else {
                        out.println("Cannot undo: last messages are not a user/assistant pair.");
                    }
                } else {
                    out.println("Nothing to undo.");
                }
            }
            case "/help" -> {
                out.println("Commands:");
                out.println("  /quit, /exit    End session and save");
                out.println("  /save           Save conversation so far");
                out.println("  /clear          Clear conversation history");
                out.println("  /system <text>  Set system prompt");
                out.println("  /undo           Remove last exchange");
                out.println("  /help           Show this help");
            }
            default -> out.printf("Unknown command: %s (try /help)%n", name);
        }
        return true;
    }

    /** go-ml's capture: each conversation without its system messages, when it has two messages or more. */
    private void writeOutput(List<Message> history) throws IOException {
        if (output == null) return;
        if (!history.isEmpty()) saved.add(List.copyOf(history));
        StringBuilder lines = new StringBuilder();
        for (List<Message> conversation : saved) {
            List<Message> messages = conversation.stream()
                    .filter(m -> !m.role().equals("system"))
                    .toList();
            if (messages.size() < 2) continue;
            lines.append(ai.lthn.ml.data.TrainingJsonl.line(messages)).append('\n');
        }
        try (java.io.FileOutputStream f = new java.io.FileOutputStream(output.toFile(), true)) {
            f.write(lines.toString().getBytes(StandardCharsets.UTF_8));
            f.getFD().sync();
        }
    }

    private void reset(List<Message> history) {
        history.clear();
        if (system != null && !system.isEmpty()) history.add(Message.system(system));
    }
}
