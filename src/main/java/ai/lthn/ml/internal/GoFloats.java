package ai.lthn.ml.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Floats written as Go's {@code encoding/json} writes a float64: the shortest form, {@code 4}
 * rather than {@code 4.0}, plain digits for magnitudes in [1e-6, 1e21) and otherwise an exponent
 * such as {@code 1e-07} or {@code 1.5e+21}. Used so score files match go-ml's byte for byte.
 */
public final class GoFloats {
    private GoFloats() {}

    /** A Jackson module that writes every double this way. */
    public static SimpleModule module() {
        JsonSerializer<Double> ser = new JsonSerializer<>() {
            @Override
            public void serialize(Double value, JsonGenerator gen, SerializerProvider provider) throws IOException {
                gen.writeNumber(format(value));
            }
        };
        SimpleModule m = new SimpleModule("go-floats");
        m.addSerializer(Double.class, ser);
        m.addSerializer(Double.TYPE, ser);
        return m;
    }

    /** Go's JSON text for {@code v} (which must be finite, as Go refuses NaN and infinities). */
    public static String format(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) throw new IllegalArgumentException("unsupported value: " + v);
        if (v == 0) return "0";
        double abs = Math.abs(v);
        // whole numbers below 2^53 (most score values) are their own shortest form: the same
        // digits without Double.toString's work (above, the shortest form ends in zeros)
        if (abs < 0x1p53 && v == Math.rint(v)) return Long.toString((long) v);
        String s = Double.toString(v);
        if (abs >= 1e-6 && abs < 1e21) {
            String plain =
                    s.indexOf('E') >= 0 ? new BigDecimal(s).stripTrailingZeros().toPlainString() : s;
            return plain.endsWith(".0") ? plain.substring(0, plain.length() - 2) : plain;
        }
        int e = s.indexOf('E');
        String mantissa = s.substring(0, e);
        if (mantissa.endsWith(".0")) mantissa = mantissa.substring(0, mantissa.length() - 2);
        int exp = Integer.parseInt(s.substring(e + 1));
        return mantissa + "e" + (exp < 0 ? "-" : "+") + (Math.abs(exp) < 10 ? "0" : "") + Math.abs(exp);
    }

    /** Go's {@code %.<places>f} text for finite {@code v}: the exact binary value rounded half to even. */
    public static String fixed(double v, int places) {
        boolean negative = v < 0 || (v == 0 && 1 / v < 0); // Go keeps the sign of -0.001 and -0.0
        String digits = new BigDecimal(Math.abs(v))
                .setScale(places, RoundingMode.HALF_EVEN)
                .toPlainString();
        return negative ? "-" + digits : digits;
    }

    /** The value Go's {@code %.<places>f} text parses back to (for fields go-ml wrote as text). */
    public static double fixedValue(double v, int places) {
        return new BigDecimal(v).setScale(places, RoundingMode.HALF_EVEN).doubleValue();
    }
}
