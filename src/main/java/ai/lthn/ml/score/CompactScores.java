package ai.lthn.ml.score;

import java.nio.charset.StandardCharsets;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.RandomAccess;

/**
 * One model's scores from a run without judge suites, held as columns rather than objects: the id
 * as Latin-1 bytes (other ids as strings), the eight heuristic counts as bytes (counts above 127,
 * and a LEK score that is not the one the counts give, aside), exact-match scores only where there
 * are some. About 35 bytes a response instead of about 200, so a file of a million responses is scored in a small heap. Reads as a list of
 * {@link PromptScore}, each made again on {@link #get} and equal to the one that was added.
 * Appended by one thread, read after.
 */
final class CompactScores extends AbstractList<PromptScore> implements RandomAccess {
    private static final int CHUNK = 4096;

    private final String model;
    private final List<Chunk> chunks = new ArrayList<>();
    private final Map<Integer, String> wideIds = new HashMap<>();
    private final Map<Integer, StandardScores> standard = new HashMap<>();
    private final Map<Integer, HeuristicScores> wideHeuristic = new HashMap<>();
    private int size;
    /** The running sums {@link #heuristicSums} gives, and how many responses are in them. */
    private final double[] heuristicSums = new double[9];

    private int summed;

    /** {@code CHUNK} responses; read in place by {@link ScoreFileWriter}. */
    static final class Chunk {
        byte[] ids = new byte[CHUNK * 16];
        /** Where each response's id ends in {@code ids} (it starts where the last one ended). */
        final int[] idEnd = new int[CHUNK];
        /** Each response's eight counts, at eight times its place in the chunk. */
        final byte[] counts = new byte[CHUNK * 8];
        /** 0: no heuristic scores, 1: in {@code counts}, 2: in {@code wideHeuristic}. */
        final byte[] heuristic = new byte[CHUNK];

        int idBytes;
    }

    /** Responses per {@link Chunk}. */
    static int chunkSize() {
        return CHUNK;
    }

    /** The chunk holding response {@code index} (at {@code index % chunkSize()}). */
    Chunk chunk(int index) {
        return chunks.get(index / CHUNK);
    }

    /**
     * Whether response {@code index} is wholly in its chunk's columns: its id in {@code ids}
     * (Latin-1), its heuristic scores absent or in {@code counts}, no standard scores.
     */
    boolean inColumns(int index) {
        if (!wideIds.isEmpty() && wideIds.containsKey(index)) return false;
        if (!standard.isEmpty() && standard.containsKey(index)) return false;
        return chunks.get(index / CHUNK).heuristic[index % CHUNK] != 2;
    }

    String model() {
        return model;
    }

    CompactScores(String model) {
        this.model = model;
    }

    void append(PromptScore p) {
        if (p.semantic() != null || p.content() != null) {
            throw new IllegalArgumentException("judge scores are not held compactly");
        }
        if (size % CHUNK == 0) {
            if (!chunks.isEmpty()) { // a full chunk keeps only the id bytes it uses
                Chunk full = chunks.get(chunks.size() - 1);
                full.ids = Arrays.copyOf(full.ids, full.idBytes);
            }
            chunks.add(new Chunk());
        }
        Chunk c = chunks.get(chunks.size() - 1);
        int i = size % CHUNK;
        String id = p.id();
        if (isLatin1(id)) {
            if (c.idBytes + id.length() > c.ids.length)
                c.ids = Arrays.copyOf(c.ids, Math.max(c.ids.length * 3 / 2, c.idBytes + id.length()));
            for (int k = 0; k < id.length(); k++) c.ids[c.idBytes + k] = (byte) id.charAt(k);
            c.idBytes += id.length();
        } else {
            wideIds.put(size, id);
        }
        c.idEnd[i] = c.idBytes;
        HeuristicScores h = p.heuristic();
        if (h != null) sum(h);
        if (h != null && fitsBytes(h)) {
            c.heuristic[i] = 1;
            int o = i * 8;
            c.counts[o] = (byte) h.complianceMarkers();
            c.counts[o + 1] = (byte) h.formulaicPreamble();
            c.counts[o + 2] = (byte) h.firstPerson();
            c.counts[o + 3] = (byte) h.creativeForm();
            c.counts[o + 4] = (byte) h.engagementDepth();
            c.counts[o + 5] = (byte) h.emotionalRegister();
            c.counts[o + 6] = (byte) h.degeneration();
            c.counts[o + 7] = (byte) h.emptyBroken();
        } else if (h != null) {
            c.heuristic[i] = 2;
            wideHeuristic.put(size, h);
        }
        if (p.standard() != null) standard.put(size, p.standard());
        size++;
    }

    /** Whether every count fits a byte and the LEK score is the one the counts give. */
    private static boolean fitsBytes(HeuristicScores h) {
        // no array of the eight: C1, which compiles ml score, would allocate it for every record
        if (!fitsByte(h.complianceMarkers())
                || !fitsByte(h.formulaicPreamble())
                || !fitsByte(h.firstPerson())
                || !fitsByte(h.creativeForm())
                || !fitsByte(h.engagementDepth())
                || !fitsByte(h.emotionalRegister())
                || !fitsByte(h.degeneration())
                || !fitsByte(h.emptyBroken())) {
            return false;
        }
        double lek = HeuristicScores.lek(
                h.complianceMarkers(),
                h.formulaicPreamble(),
                h.firstPerson(),
                h.creativeForm(),
                h.engagementDepth(),
                h.emotionalRegister(),
                h.degeneration(),
                h.emptyBroken());
        return Double.doubleToRawLongBits(lek) == Double.doubleToRawLongBits(h.lekScore());
    }

    private static boolean fitsByte(int v) {
        return v >= Byte.MIN_VALUE && v <= Byte.MAX_VALUE;
    }

    private static boolean isLatin1(String s) {
        for (int k = 0; k < s.length(); k++) if (s.charAt(k) > 0xFF) return false;
        return true;
    }

    @Override
    public PromptScore get(int index) {
        if (index < 0 || index >= size) throw new IndexOutOfBoundsException(index + " of " + size);
        Chunk c = chunks.get(index / CHUNK);
        int i = index % CHUNK;
        String id = wideIds.get(index);
        if (id == null) {
            int from = i == 0 ? 0 : c.idEnd[i - 1];
            id = new String(c.ids, from, c.idEnd[i] - from, StandardCharsets.ISO_8859_1);
        }
        HeuristicScores h = null;
        if (c.heuristic[i] == 1) {
            int o = i * 8;
            byte[] n = c.counts;
            h = new HeuristicScores(
                    n[o],
                    n[o + 1],
                    n[o + 2],
                    n[o + 3],
                    n[o + 4],
                    n[o + 5],
                    n[o + 6],
                    n[o + 7],
                    HeuristicScores.lek(n[o], n[o + 1], n[o + 2], n[o + 3], n[o + 4], n[o + 5], n[o + 6], n[o + 7]));
        } else if (c.heuristic[i] == 2) {
            h = wideHeuristic.get(index);
        }
        return new PromptScore(id, model, h, null, null, standard.get(index));
    }

    /**
     * The sums of the heuristic sub-scores of every response appended so far, in input order (the
     * eight counts in {@link HeuristicScores}' component order, then the LEK score): the sums
     * {@link ModelAverages} would make from {@link #get} one response at a time, bit for bit. They
     * are kept as responses are appended (on the thread that collects a run, while the others
     * score), so a run's averages cost nothing at its end.
     *
     * @return nine sums, a copy
     */
    double[] heuristicSums() {
        return heuristicSums.clone();
    }

    /** How many responses had heuristic scores (the count {@link #heuristicSums} divides by). */
    int heuristicCount() {
        return summed;
    }

    private void sum(HeuristicScores h) {
        double[] s = heuristicSums;
        s[0] += h.complianceMarkers();
        s[1] += h.formulaicPreamble();
        s[2] += h.firstPerson();
        s[3] += h.creativeForm();
        s[4] += h.engagementDepth();
        s[5] += h.emotionalRegister();
        s[6] += h.degeneration();
        s[7] += h.emptyBroken();
        s[8] += h.lekScore();
        summed++;
    }

    @Override
    public int size() {
        return size;
    }
}
