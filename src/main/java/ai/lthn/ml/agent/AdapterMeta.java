package ai.lthn.ml.agent;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What an adapter directory name says about its model (go-ml's {@code AdapterMeta}): the model
 * tag, the short label prefix and the run id stem, from the ordered family table in {@code
 * model-families.tsv} (go-ml's {@code ModelFamilies}; the first matching prefix wins).
 *
 * @param modelTag e.g. {@code gemma-3-27b}
 * @param labelPrefix e.g. {@code G27-reasoning}
 * @param runIdStem e.g. {@code 27b-reasoning}
 */
public record AdapterMeta(String modelTag, String labelPrefix, String runIdStem) {

    /**
     * One row of the family table.
     *
     * @param dirPrefix the adapter directory name prefix (after {@code adapters-}) that selects
     *     this family, e.g. {@code gemma-3-1b}
     * @param tag the model tag the family stands for, e.g. {@code gemma-3-1b}
     * @param shortName the short label prefix, e.g. {@code G1}; a variant is appended after a dash
     */
    public record Family(String dirPrefix, String tag, String shortName) {
        /**
         * Validates.
         *
         * @param dirPrefix the directory name prefix; not {@code null}
         * @param tag the model tag; not {@code null}
         * @param shortName the short label prefix; not {@code null}
         * @throws NullPointerException if any component is {@code null}
         */
        public Family {
            Objects.requireNonNull(dirPrefix, "dirPrefix");
            Objects.requireNonNull(tag, "tag");
            Objects.requireNonNull(shortName, "shortName");
        }
    }

    private static final List<Family> FAMILIES = load();

    /**
     * Validates.
     *
     * @param modelTag the model tag; not {@code null}
     * @param labelPrefix the short label prefix; not {@code null}
     * @param runIdStem the run id stem; not {@code null}
     * @throws NullPointerException if any component is {@code null}
     */
    public AdapterMeta {
        Objects.requireNonNull(modelTag, "modelTag");
        Objects.requireNonNull(labelPrefix, "labelPrefix");
        Objects.requireNonNull(runIdStem, "runIdStem");
    }

    /**
     * The family table, in matching order.
     *
     * @return the rows of {@code model-families.tsv}, in file order (the first matching prefix
     *     wins); unmodifiable
     */
    public static List<Family> families() {
        return FAMILIES;
    }

    /**
     * The metadata of an adapter directory name (relative to the adapter base), e.g. {@code
     * adapters-15k/gemma-3-1b-creative} → {@code (gemma-3-1b, G1-creative,
     * 15k-gemma-3-1b-creative)}. An unknown family gives {@code (name, first 10 bytes of name,
     * name)}.
     *
     * @param dirname the adapter directory name relative to the adapter base, with or without the
     *     {@code adapters-} prefix; not {@code null}
     * @return the metadata; never {@code null} (an unknown family falls back as above)
     */
    public static AdapterMeta of(String dirname) {
        Objects.requireNonNull(dirname, "dirname");
        String name = dirname.startsWith("adapters-") ? dirname.substring("adapters-".length()) : dirname;
        for (Family family : FAMILIES) {
            if (name.startsWith(family.dirPrefix())) {
                String variant = name.substring(family.dirPrefix().length());
                int dashes = 0;
                while (dashes < variant.length() && variant.charAt(dashes) == '-') {
                    dashes++;
                }
                variant = variant.substring(dashes);
                if (variant.isEmpty()) {
                    variant = "base";
                }
                String shortName = variant.equals("base") ? family.shortName() : family.shortName() + "-" + variant;
                return new AdapterMeta(family.tag(), shortName, name.replace('/', '-'));
            }
        }
        return new AdapterMeta(name, firstBytes(name, 10), name);
    }

    /** The longest prefix of {@code s} of at most {@code max} UTF-8 bytes that splits no character. */
    private static String firstBytes(String s, int max) {
        int bytes = 0;
        int i = 0;
        while (i < s.length()) {
            int cp = s.codePointAt(i);
            int len = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
            if (bytes + len > max) {
                break;
            }
            bytes += len;
            i += Character.charCount(cp);
        }
        return s.substring(0, i);
    }

    private static List<Family> load() {
        String resource = "model-families.tsv";
        try (InputStream in = AdapterMeta.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource);
            }
            List<Family> rows = new ArrayList<>();
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] cols = line.split("\t");
                if (cols.length != 3) {
                    throw new IllegalStateException(resource + ": bad row: " + line);
                }
                rows.add(new Family(cols[0], cols[1], cols[2]));
            }
            return List.copyOf(rows);
        } catch (IOException e) {
            throw new UncheckedIOException(resource, e);
        }
    }
}
