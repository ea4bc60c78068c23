package ai.lthn.ml.internal;

import java.time.Duration;
import java.util.Objects;

/** Argument checks shared by the builders. */
public final class Checks {
    private Checks() {}

    /**
     * {@code value}, if it is a positive duration.
     *
     * @param value the duration
     * @param name the setting's name, for the message
     * @return {@code value}
     * @throws NullPointerException if {@code value} is null
     * @throws IllegalArgumentException if it is zero or negative: "NAME must be positive: VALUE"
     */
    public static Duration positive(Duration value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero())
            throw new IllegalArgumentException(name + " must be positive: " + value);
        return value;
    }
}
