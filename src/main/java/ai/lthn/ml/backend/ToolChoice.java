package ai.lthn.ml.backend;

import java.util.Objects;

/**
 * Whether and which tool the model must call (OpenAI's {@code tool_choice}).
 */
public sealed interface ToolChoice {
    /** The model decides ({@code "auto"}, the servers' default when tools are given). */
    ToolChoice AUTO = new Mode("auto");
    /** The model must not call a tool ({@code "none"}). */
    ToolChoice NONE = new Mode("none");
    /** The model must call at least one tool ({@code "required"}). */
    ToolChoice REQUIRED = new Mode("required");

    /**
     * The model must call this function.
     *
     * @param name the function's name
     * @return the choice
     */
    static ToolChoice function(String name) {
        return new Function(name);
    }

    /**
     * One of the string forms: {@code auto}, {@code none}, {@code required}.
     *
     * @param wire the wire value
     */
    record Mode(String wire) implements ToolChoice {
        /**
         * Validates the value.
         *
         * @param wire "auto", "none" or "required"
         * @throws IllegalArgumentException for another value
         */
        public Mode {
            if (!wire.equals("auto") && !wire.equals("none") && !wire.equals("required"))
                throw new IllegalArgumentException(
                        "tool_choice must be \"auto\", \"none\", \"required\" or a function, not \"" + wire + "\"");
        }
    }

    /**
     * A named function ({@code {"type":"function","function":{"name":…}}}).
     *
     * @param name the function's name
     */
    record Function(String name) implements ToolChoice {
        /**
         * Validates the name.
         *
         * @param name the function's name, not empty
         */
        public Function {
            Objects.requireNonNull(name, "name");
            if (name.isEmpty()) throw new IllegalArgumentException("tool_choice names an empty function");
        }
    }
}
