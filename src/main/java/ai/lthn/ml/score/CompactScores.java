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

    /** {@code CHUNK} responses. */
    private static final class Chunk {
        byte[] ids = new byte[CHUNK * 16];
        final int[] idEnd = new int[CHUNK];
        final byte[] counts = new byte[CHUNK * 8];
        /** 0: no heuristic scores, 1: in {@code counts}, 2: in {@code wideHeuristic}. */
        final byte[] heuristic = new byte[CHUNK];

        int idBytes;
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
     * Adds every response's heuristic sub-scores, in input order, to {@code sums} (the eight counts
     * in {@link HeuristicScores}' component order, then the LEK score): the sums {@link
     * ModelAverages} would make from {@link #get} one response at a time, bit for bit, without
     * making the responses again.
     *
     * @param sums nine running sums
     * @return how many responses had heuristic scores
     */
    int sumHeuristic(double[] sums) {
        int n = 0;
        for (int index = 0; index < size; index++) {
            Chunk c = chunks.get(index / CHUNK);
            int i = index % CHUNK;
            if (c.heuristic[i] == 1) {
                int o = i * 8;
                byte[] v = c.counts;
                for (int k = 0; k < 8; k++) sums[k] += v[o + k];
                sums[8] +=
                        HeuristicScores.lek(v[o], v[o + 1], v[o + 2], v[o + 3], v[o + 4], v[o + 5], v[o + 6], v[o + 7]);
                n++;
            } else if (c.heuristic[i] == 2) {
                HeuristicScores h = wideHeuristic.get(index);
                sums[0] += h.complianceMarkers();
                sums[1] += h.formulaicPreamble();
                sums[2] += h.firstPerson();
                sums[3] += h.creativeForm();
                sums[4] += h.engagementDepth();
                sums[5] += h.emotionalRegister();
                sums[6] += h.degeneration();
                sums[7] += h.emptyBroken();
                sums[8] += h.lekScore();
                n++;
            }
        }
        return n;
    }

    @Override
    public int size() {
        return size;
    }
}
