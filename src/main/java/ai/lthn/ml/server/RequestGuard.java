package ai.lthn.ml.server;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;

/**
 * What a request must be to reach the model, checked before its body is read: addressed to this
 * server by {@code Host} (DNS rebinding), from no foreign web origin (cross-site requests from a
 * page the user visits), with a JSON content type on JSON endpoints (a browser's "simple"
 * {@code text/plain} POST needs no preflight), and with the API key when one is set (compared in
 * constant time).
 */
final class RequestGuard {
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private final Set<String> hosts = new HashSet<>();
    private final boolean anyHost;
    private final Set<String> origins;
    private final boolean anyOrigin;
    private final byte[] keyDigest;

    RequestGuard(Settings s) {
        hosts.add("localhost");
        hosts.add(s.host().toLowerCase(Locale.ROOT));
        hosts.addAll(s.allowedHosts());
        anyHost = s.allowedHosts().contains("*");
        origins = Set.copyOf(s.allowedOrigins());
        anyOrigin = origins.contains("*");
        keyDigest = s.apiKey().isEmpty() ? null : sha256(s.apiKey());
    }

    /** Refuses (403) a {@code Host} that names another server. IP addresses are always accepted. */
    void checkHost(Request r) {
        String host = r.getHeaders().get(HttpHeader.HOST);
        if (host == null || anyHost) return; // HTTP/1.0 without Host: no browser sends that
        String name = hostName(host);
        if (isIpLiteral(name) || hosts.contains(name)) return;
        throw new ApiException(
                403,
                "invalid_request_error",
                "host_not_allowed",
                "Host " + LogText.clip(name) + " is not this server's (allow it with allowHost / --allow-host)");
    }

    /**
     * Refuses (403) a browser request from a foreign origin.
     *
     * @return the origin to echo in {@code Access-Control-Allow-Origin}, or null for none
     */
    String checkOrigin(Request r) {
        String origin = r.getHeaders().get(HttpHeader.ORIGIN);
        if (origin == null) return null; // not a browser's cross-origin request
        String o = origin.toLowerCase(Locale.ROOT);
        String host = r.getHeaders().get(HttpHeader.HOST);
        if (host != null) {
            String h = host.toLowerCase(Locale.ROOT);
            if (o.equals("http://" + h) || o.equals("https://" + h)) return null; // the chat page
        }
        if (anyOrigin || origins.contains(o)) return origin;
        throw new ApiException(
                403,
                "invalid_request_error",
                "origin_not_allowed",
                "cross-origin request from " + LogText.clip(origin)
                        + " refused (allow it with allowOrigin / --allow-origin)");
    }

    /** Refuses (415) a JSON endpoint called without {@code Content-Type: application/json}. */
    static void checkJson(Request r) {
        String type = r.getHeaders().get(HttpHeader.CONTENT_TYPE);
        String mime = type == null ? "" : type.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        if (!mime.equals("application/json"))
            throw new ApiException(
                    415,
                    "invalid_request_error",
                    "unsupported_media_type",
                    "Content-Type must be application/json, got " + (type == null ? "none" : LogText.clip(type)));
    }

    /** Refuses (401) a request without the API key, when one is set. */
    void authorize(Request r) {
        if (keyDigest == null) return;
        String auth = r.getHeaders().get(HttpHeader.AUTHORIZATION);
        String token = auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7) ? auth.substring(7) : "";
        if (!MessageDigest.isEqual(sha256(token), keyDigest))
            throw new ApiException(401, "invalid_request_error", "invalid_api_key", "invalid or missing API key");
    }

    static String hostName(String hostHeader) {
        String h = hostHeader.strip().toLowerCase(Locale.ROOT);
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            return end < 0 ? h : h.substring(1, end);
        }
        int colon = h.indexOf(':');
        return colon < 0 ? h : h.substring(0, colon);
    }

    private static boolean isIpLiteral(String name) {
        return IPV4.matcher(name).matches() || name.indexOf(':') >= 0;
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }
}
