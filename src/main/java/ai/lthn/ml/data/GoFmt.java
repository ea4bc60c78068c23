package ai.lthn.ml.data;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** Go's {@code %.Nf}: the exact binary value rounded half to even (Java's {@code %f} rounds half up). */
final class GoFmt {
    private GoFmt() {}

    static String fixed(double v, int places) {
        if (Double.isNaN(v)) return "NaN";
        if (Double.isInfinite(v)) return v > 0 ? "+Inf" : "-Inf";
        return new BigDecimal(v).setScale(places, RoundingMode.HALF_EVEN).toPlainString();
    }
}
