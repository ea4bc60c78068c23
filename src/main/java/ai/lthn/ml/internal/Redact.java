package ai.lthn.ml.internal;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one place URLs are made safe to log or put in a message: credentials in the userinfo
 * ({@code user:password@}) and the values of query parameters that carry secrets ({@code p},
 * {@code password}, {@code token}, {@code api_key}, ...) become {@code ***}. Works on text that
 * is not a valid URL too, so a half-parsed value cannot slip through.
 */
public final class Redact {
    private Redact() {}

    /** Query parameters whose values are secrets (compared ignoring case). */
    static final Set<String> SECRET_PARAMETERS = Set.of(
            "p",
            "password",
            "pass",
            "pwd",
            "token",
            "access_token",
            "refresh_token",
            "id_token",
            "api_key",
            "apikey",
            "api-key",
            "key",
            "secret",
            "client_secret",
            "auth",
            "authorization",
            "sig",
            "signature");

    private static final Pattern URL = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*://[^\\s\"'<>]+");

    /** {@code url} with its credentials replaced by {@code ***}; null stays null. */
    public static String url(String url) {
        if (url == null) return null;
        int scheme = url.indexOf("://");
        int start = scheme < 0 ? 0 : scheme + 3;
        int end = start;
        while (end < url.length() && "/?#".indexOf(url.charAt(end)) < 0) end++;
        StringBuilder out = new StringBuilder(url.length());
        String authority = url.substring(start, end);
        int at = authority.lastIndexOf('@');
        out.append(url, 0, start);
        if (at >= 0) out.append("***@").append(authority, at + 1, authority.length());
        else out.append(authority);
        int q = url.indexOf('?', end);
        if (q < 0) return out.append(url, end, url.length()).toString();
        out.append(url, end, q + 1);
        int hash = url.indexOf('#', q);
        String query = url.substring(q + 1, hash < 0 ? url.length() : hash);
        String[] params = query.split("&", -1);
        for (int i = 0; i < params.length; i++) {
            if (i > 0) out.append('&');
            String param = params[i];
            int eq = param.indexOf('=');
            String name = eq < 0 ? param : param.substring(0, eq);
            if (eq >= 0 && SECRET_PARAMETERS.contains(name.toLowerCase(Locale.ROOT)))
                out.append(name).append("=***");
            else out.append(param);
        }
        if (hash >= 0) out.append(url, hash, url.length());
        return out.toString();
    }

    /** {@code text} with every URL in it redacted as by {@link #url}; null stays null. */
    public static String urlsIn(String text) {
        if (text == null || text.indexOf("://") < 0) return text;
        Matcher m = URL.matcher(text);
        StringBuilder out = new StringBuilder(text.length());
        while (m.find()) m.appendReplacement(out, Matcher.quoteReplacement(url(m.group())));
        m.appendTail(out);
        return out.toString();
    }
}
