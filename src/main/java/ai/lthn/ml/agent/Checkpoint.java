package ai.lthn.ml.agent;

import java.util.Objects;

/**
 * One adapter checkpoint on the training host (go-ml's {@code Checkpoint}).
 *
 * @param remoteDir the adapter directory on the host, e.g. {@code /data/adapters-27b/gemma-3-27b-x}
 * @param filename the checkpoint file name, e.g. {@code 0001000_adapters.safetensors}
 * @param dirname the adapter directory relative to the adapter base, e.g. {@code adapters-27b}
 * @param iteration the training iteration (the first run of digits in the file name, decimal)
 * @param modelTag the model tag from {@link AdapterMeta}, e.g. {@code gemma-3-27b}
 * @param label the label written to InfluxDB, digits as in the file name: {@code G27 @0001000}
 * @param runId the run id written to InfluxDB: {@code <stem>-capability-auto}
 */
public record Checkpoint(
        String remoteDir,
        String filename,
        String dirname,
        long iteration,
        String modelTag,
        String label,
        String runId) {

    /**
     * Validates: every text present, the iteration not negative.
     *
     * @param remoteDir the adapter directory on the host; not {@code null}
     * @param filename the checkpoint file name; not {@code null}
     * @param dirname the adapter directory relative to the adapter base; not {@code null}
     * @param iteration the training iteration; zero or positive
     * @param modelTag the model tag; not {@code null}
     * @param label the InfluxDB label; not {@code null}
     * @param runId the InfluxDB run id; not {@code null}
     * @throws NullPointerException if a text is {@code null}
     * @throws IllegalArgumentException if {@code iteration} is negative
     */
    public Checkpoint {
        Objects.requireNonNull(remoteDir, "remoteDir");
        Objects.requireNonNull(filename, "filename");
        Objects.requireNonNull(dirname, "dirname");
        Objects.requireNonNull(modelTag, "modelTag");
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(runId, "runId");
        if (iteration < 0) {
            throw new IllegalArgumentException("iteration must not be negative: " + iteration);
        }
    }

    /**
     * The remote path of the checkpoint file.
     *
     * @return {@code remoteDir + "/" + filename}
     */
    public String remotePath() {
        return remoteDir + "/" + filename;
    }
}
