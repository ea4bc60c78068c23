package ai.lthn.ml.agent;

import ai.lthn.ml.transport.OpenSshServer;
import ai.lthn.ml.transport.SshTransport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Measures checkpoint discovery over a real loopback sshd (run, don't assert): 1,000 adapter
 * directories × 5 checkpoints, found by {@link CheckpointDiscovery}'s one {@code find}, against
 * go-ml's pattern ({@code ls -d base/adapters-*}, then per directory {@code ls -d dir/gemma-3-*}
 * and {@code ls dir/*_adapters.safetensors}: 1 + 2N commands), replayed two ways: as go-ml runs
 * it (an {@code ssh} process, so a new connection, per command; timed on a sample and scaled),
 * and, more kindly, as exec channels on one open connection.
 *
 * <p>Needs root and {@code /usr/sbin/sshd} (as the ITs). Run with the test class path:
 * {@code mvn -q -o dependency:build-classpath -Dmdep.outputFile=target/cp.txt && java -cp
 * target/test-classes:target/classes:$(cat target/cp.txt) ai.lthn.ml.agent.DiscoveryLoad 1000 5 50}
 */
public final class DiscoveryLoad {
    private DiscoveryLoad() {}

    public static void main(String[] args) throws Exception {
        int dirs = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int per = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        int sample = args.length > 2 ? Integer.parseInt(args[2]) : 50;
        try (OpenSshServer sshd = new OpenSshServer()) {
            Path base = sshd.dir.resolve("lem");
            for (int d = 0; d < dirs; d++) {
                Path dir = Files.createDirectories(base.resolve("adapters-run" + d));
                for (int k = 1; k <= per; k++)
                    Files.createFile(dir.resolve(String.format("%07d_adapters.safetensors", k * 100)));
            }
            AgentConfig config = AgentConfig.builder()
                    .m3Host("127.0.0.1")
                    .m3User("root")
                    .m3Port(sshd.port)
                    .m3AdapterBase(base.toString())
                    .knownHosts(sshd.knownHosts)
                    .influxUrl(java.net.URI.create("http://127.0.0.1:1"))
                    .influxDb("x")
                    .apiUrl(java.net.URI.create("http://127.0.0.1:1"))
                    .judgeUrl(java.net.URI.create("http://127.0.0.1:1"))
                    .judgeModel("j")
                    .baseModel("b")
                    .workDir(Path.of("/tmp"))
                    .build();
            try (SshTransport ssh = SshTransport.builder("127.0.0.1", "root")
                    .port(sshd.port)
                    .knownHosts(sshd.knownHosts)
                    .identity(sshd.clientKey)
                    .build()) {
                CheckpointDiscovery discovery = CheckpointDiscovery.of(ssh, config, Duration.ofMinutes(2));
                int found = discovery.discover().size(); // connects, warms up
                long best = Long.MAX_VALUE;
                for (int i = 0; i < 5; i++) {
                    long t0 = System.nanoTime();
                    found = discovery.discover().size();
                    best = Math.min(best, System.nanoTime() - t0);
                }
                System.out.printf(
                        "one find, open connection: %d checkpoints, 1 command, best of 5 %.1f ms%n", found, best / 1e6);

                // go-ml's commands as exec channels on the same connection (kinder than go-ml)
                long t0 = System.nanoTime();
                int commands = 1;
                String listing = ssh.run(List.of("sh", "-c", "ls -d " + base + "/adapters-*"), Duration.ofMinutes(1))
                        .stdout();
                List<String> found2 = new ArrayList<>();
                for (String dir : listing.strip().split("\n")) {
                    ssh.run(List.of("sh", "-c", "ls -d " + dir + "/gemma-3-* 2>/dev/null"), Duration.ofMinutes(1));
                    String files = ssh.run(
                                    List.of("sh", "-c", "ls " + dir + "/*_adapters.safetensors"), Duration.ofMinutes(1))
                            .stdout();
                    for (String f : files.strip().split("\n")) if (!f.isBlank()) found2.add(f);
                    commands += 2;
                }
                double channels = (System.nanoTime() - t0) / 1e6;
                System.out.printf(
                        "go-ml's pattern, exec channels on the open connection: %d checkpoints, %d commands, %.0f ms (%.2f ms per command)%n",
                        found2.size(), commands, channels, channels / commands);
                System.out.printf(
                        "  ratio to the one find: %.0f x the time, %d x the round trips%n",
                        channels / (best / 1e6), commands);
            }
            // go-ml as it runs: one ssh process (a new connection) per command, on a sample
            List<String> sshCmd = List.of(
                    "ssh",
                    "-q",
                    "-i",
                    sshd.clientKey.toString(),
                    "-p",
                    "" + sshd.port,
                    "-o",
                    "UserKnownHostsFile=" + sshd.knownHosts,
                    "-o",
                    "StrictHostKeyChecking=yes",
                    "-o",
                    "BatchMode=yes",
                    "root@127.0.0.1");
            long t0 = System.nanoTime();
            int n = 0;
            for (int d = 0; d < sample; d++) {
                for (String remote : List.of(
                        "ls -d " + base + "/adapters-run" + d + "/gemma-3-* 2>/dev/null",
                        "ls " + base + "/adapters-run" + d + "/*_adapters.safetensors")) {
                    List<String> c = new ArrayList<>(sshCmd);
                    c.add(remote);
                    Process p = new ProcessBuilder(c).redirectErrorStream(true).start();
                    p.getInputStream().readAllBytes();
                    if (!p.waitFor(60, TimeUnit.SECONDS)) throw new IllegalStateException("ssh hung");
                    n++;
                }
            }
            double perCommand = (System.nanoTime() - t0) / 1e6 / n;
            int total = 1 + 2 * dirs;
            System.out.printf(
                    "go-ml's pattern, an ssh process per command: %.1f ms per command (%d sampled); %d commands -> %.1f s%n",
                    perCommand, n, total, perCommand * total / 1000);
        }
    }
}
