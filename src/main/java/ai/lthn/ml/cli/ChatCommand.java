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

    @Option(names = "--max-tokens", defaultValue = "1024", description = "Tokens per reply (default: ${DEFAULT-VALUE})")
    int maxTokens;

    @Option(
            names = "--temperature",
            defaultValue = "0.7",
            description = "Sampling temperature (default: ${DEFAULT-VALUE})")
    float temperature;

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
                if (line == null || line.strip().equals("/exit")) break;
                String text = line.strip();
                if (text.isEmpty()) continue;
                if (text.equals("/reset")) {
                    reset(history);
                    out.println("(conversation reset)");
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
        }
        return 0;
    }

    private void reset(List<Message> history) {
        history.clear();
        if (system != null && !system.isEmpty()) history.add(Message.system(system));
    }
}
