package dev.auditretry.core;

import java.util.Optional;

/**
 * An HTTP response with an error status, for code that calls services with a client that does not throw on
 * error statuses. {@link dev.auditretry.core.classify.DefaultErrorClassifier} retries it when its status is in
 * retryableStatusCodes.
 * <p>
 * The message contains the status and the request id but never the body, which may hold personal data.
 */
public class HttpStatusException extends RuntimeException {

    private final int status;

    private final String statusText;

    private final String body;

    private final String requestId;

    private final String retryAfter;

    /**
     * Creates the exception.
     * @param status the HTTP status code
     * @param statusText the reason phrase, or null
     * @param body the response body, or null; kept out of the message
     * @param requestId the request id, or null
     * @param retryAfter the raw value of the Retry-After header (delta seconds or an HTTP date), or null
     */
    public HttpStatusException(int status, String statusText, String body, String requestId, String retryAfter) {
        this(status, statusText, body, requestId, retryAfter, null);
    }

    /**
     * Creates the exception with the client library's exception as its cause.
     * @param status the HTTP status code
     * @param statusText the reason phrase, or null
     * @param body the response body, or null; kept out of the message
     * @param requestId the request id, or null
     * @param retryAfter the raw value of the Retry-After header (delta seconds or an HTTP date), or null
     * @param cause the exception of the client library, or null
     */
    public HttpStatusException(int status, String statusText, String body, String requestId, String retryAfter,
            Throwable cause) {
        super(message(status, statusText, requestId), cause);
        this.status = status;
        this.statusText = statusText;
        this.body = body;
        this.requestId = requestId;
        this.retryAfter = retryAfter;
    }

    /**
     * Creates the exception for a status alone.
     * @param status the HTTP status code
     */
    public HttpStatusException(int status) {
        this(status, null, null, null, null);
    }

    private static String message(int status, String statusText, String requestId) {
        StringBuilder message = new StringBuilder("HTTP ").append(status);
        if (statusText != null && !statusText.isBlank()) {
            message.append(' ').append(statusText);
        }
        if (requestId != null) {
            message.append(" for request '").append(requestId).append('\'');
        }
        return message.toString();
    }

    public int getStatus() {
        return this.status;
    }

    public Optional<String> getStatusText() {
        return Optional.ofNullable(this.statusText);
    }

    public Optional<String> getBody() {
        return Optional.ofNullable(this.body);
    }

    public Optional<String> getRequestId() {
        return Optional.ofNullable(this.requestId);
    }

    /** Returns the raw Retry-After header value, delta seconds or an HTTP date. */
    public Optional<String> getRetryAfter() {
        return Optional.ofNullable(this.retryAfter);
    }
}
