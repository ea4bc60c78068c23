package ai.lthn.ml.server;

/**
 * A request that ends in an OpenAI error envelope: {@code {"error":{"message","type","code"}}}
 * with an HTTP status.
 */
final class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    final int status;
    final String type;
    final String code;

    ApiException(int status, String type, String code, String message) {
        super(message);
        this.status = status;
        this.type = type;
        this.code = code;
    }

    static ApiException badRequest(String message) {
        return new ApiException(400, "invalid_request_error", null, message);
    }

    static ApiException notFound(String message) {
        return new ApiException(404, "invalid_request_error", "not_found", message);
    }
}
