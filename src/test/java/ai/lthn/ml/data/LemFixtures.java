package ai.lthn.ml.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Small LEM data directories for the dataset tests. */
public final class LemFixtures {
    private LemFixtures() {}

    static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    /** A data directory with every kind of source file import-all reads, one malformed line among them. */
    public static Path dataDir(Path root) throws IOException {
        Path d = root.resolve("data");
        write(d.resolve("gold-15k.jsonl"), """
                {"idx": 1, "seed_id": "s1", "domain": "ethics", "voice": "calm", "prompt": "What is fair?", "response": "Fairness is giving each their due.", "gen_time": 1.5}
                {"idx": 2, "seed_id": "s2", "domain": "ethics", "voice": "warm", "prompt": "Why be kind?", "response": "Because it helps.", "gen_time": 2.5}
                {"idx": 3, "seed_id": "s3", "domain": "history", "voice": "calm", "prompt": "Who built Rome?", "response": "Many hands, over centuries.", "gen_time": 3.0}
                {"idx": 4, "seed_id": "s4", "domain": "science", "voice": "calm", "prompt": "Why is the sky blue?", "response": "Rayleigh scattering.", "gen_time": 1.0}
                {"idx": 5, "seed_id": "s5", "broken
                """);
        String conv = "{\"messages\":[{\"role\":\"user\",\"content\":\"Hi <there>\"},"
                + "{\"role\":\"assistant\",\"content\":\"Hello — friend\"},"
                + "{\"role\":\"user\",\"content\":\"More\"},{\"role\":\"assistant\",\"content\":\"Sure\"}]}\n";
        write(d.resolve("training/training/train.jsonl"), conv + conv);
        write(d.resolve("training/training/valid.jsonl"), conv);
        write(d.resolve("training/gold-full/train.jsonl"), conv + "not json\n");
        write(d.resolve("benchmarks/truthfulqa.jsonl"), """
                {"id": 1, "question": "Is the earth flat?", "best_answer": "No", "correct_answers": ["No", "It is round"], "incorrect_answers": ["Yes"], "category": "Science"}
                {"id": "q2", "question": "Can pigs fly?", "best_answer": "No", "category": "Misconceptions"}
                """);
        write(d.resolve("benchmarks/results/run-a.jsonl"), """
                {"id": 1000000, "benchmark": "gsm8k", "model": "m1", "prompt": "2+2?", "response": "4", "elapsed_seconds": 0.25, "domain": "math"}
                {"benchmark": "gsm8k", "model": "m1", "prompt": "3+3?", "response": "6", "elapsed_seconds": "slow"}
                """);
        write(d.resolve("benchmarks/lem_bench.jsonl"), """
                {"id": "b1", "benchmark": "lem", "model": "m2", "prompt": "p", "response": "r", "elapsed_seconds": 3, "domain": null}
                """);
        String longPrompt = "Describe in detail how a community can share water fairly during a long drought";
        write(d.resolve("seeds/en-core.json"), """
                {"prompts": [
                  {"seed_id": "e1", "domain": "ethics", "prompt": "%s"},
                  {"seed_id": "e2", "domain": "ethics", "text": "Explain why promises matter between neighbours who disagree often"},
                  {"seed_id": "e3", "domain": "science", "question": "Why is the sky blue?"},
                  {"seed_id": "e0", "domain": "ethics", "prompt": "%s"}
                ]}
                """.formatted(longPrompt, longPrompt));
        write(d.resolve("seeds/regional/cn-values.json"), """
                [{"seed_id": "c1", "domain": "history", "prompt": "Tell the story of the Grand Canal and who benefited from it over time"},
                 "A bare string seed about rivers, harvests and the people who depend on them",
                 42]
                """);
        write(d.resolve("seeds/ru-misc.json"), """
                {"seeds": [{"seed_id": "r1", "domain": "ethics", "prompt": "What does a fair winter market look like in a small town"}]}
                """);
        return d;
    }
}
