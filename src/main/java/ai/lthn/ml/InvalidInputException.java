package ai.lthn.ml;

/**
 * Input data is malformed: a JSON line that does not parse, a field of the wrong type, a line
 * over the size limit, a binary file with a bad header. The message names the source and the
 * place (file and line, or byte offset), so the user can go and fix it.
 */
public class InvalidInputException extends MlException {
    private static final long serialVersionUID = 1L;

    /** Where the input came from. */
    private final String source;
    /** The 1-based line or byte offset, 0 when unknown. */
    private final long location;
    /** What is wrong. */
    private final String problem;

    /**
     * Bad input.
     *
     * @param source the file, URL or stream name the input came from
     * @param location the 1-based line, or byte offset, of the problem; 0 when unknown
     * @param problem what is wrong, for the message
     * @param cause the underlying failure, or null
     */
    public InvalidInputException(String source, long location, String problem, Throwable cause) {
        super(format(source, location, problem), cause);
        this.source = source;
        this.location = location;
        this.problem = problem;
    }

    /**
     * Bad input with no cause.
     *
     * @param source the file, URL or stream name the input came from
     * @param location the 1-based line, or byte offset; 0 when unknown
     * @param problem what is wrong
     */
    public InvalidInputException(String source, long location, String problem) {
        this(source, location, problem, null);
    }

    private static String format(String source, long location, String problem) {
        return location > 0 ? source + ":" + location + ": " + problem : source + ": " + problem;
    }

    /**
     * Where the input came from.
     *
     * @return the file, URL or stream name
     */
    public String source() {
        return source;
    }

    /**
     * What is wrong, without the source and location.
     *
     * @return the problem
     */
    public String problem() {
        return problem;
    }

    /**
     * The 1-based line or byte offset of the problem, 0 when unknown.
     *
     * @return the 1-based line or byte offset of the problem, 0 when unknown
     */
    public long location() {
        return location;
    }
}
