package ai.lthn.ml.backend;

import java.nio.file.Path;
import java.util.List;

/**
 * A child JVM that starts a {@link LlamaBackend} on the stand-in server, prints the server's pid,
 * and waits to be terminated: the test sends it SIGTERM and checks the server died with it.
 */
public final class LlamaParentMain {
    private LlamaParentMain() {}

    public static void main(String[] args) throws Exception {
        LlamaBackend llama = LlamaBackend.builder(Path.of(args[0]))
                .command(List.of(args[1], "-cp", args[2], StandInLlamaServer.class.getName()))
                .build();
        llama.start();
        System.out.println("pid " + llama.pid());
        System.out.flush();
        Thread.sleep(120_000);
    }
}
