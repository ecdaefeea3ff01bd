package dev.auditretry.core;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Names the endpoint a call goes to, which selects its circuit and its settings, and carries a request id for
 * log messages.
 * <p>
 * The circuit key is {@code endpoint:METHOD}, for example {@code /ledger/entries:POST}. Create a context once
 * per endpoint and reuse it: it is immutable and computes its key up front.
 */
public final class RetryContext {

    /** The HTTP method used when none is given. */
    public static final String DEFAULT_METHOD = "GET";

    private final String endpoint;

    private final String method;

    private final String requestId;

    private final String circuitKey;

    private RetryContext(String endpoint, String method, String requestId) {
        Objects.requireNonNull(endpoint, "endpoint must not be null");
        Objects.requireNonNull(method, "method must not be null");
        if (endpoint.isBlank()) {
            throw new IllegalArgumentException("endpoint must not be blank");
        }
        if (method.isBlank()) {
            throw new IllegalArgumentException("method must not be blank; use GET when the call has no HTTP method");
        }
        this.endpoint = endpoint;
        this.method = method.trim().toUpperCase(Locale.ROOT);
        this.requestId = requestId;
        this.circuitKey = circuitKey(endpoint, this.method);
    }

    /**
     * Creates a context for a GET call without a request id.
     * @param endpoint the endpoint, such as {@code /ledger/entries}
     * @throws IllegalArgumentException if the endpoint is blank
     */
    public static RetryContext of(String endpoint) {
        return new RetryContext(endpoint, DEFAULT_METHOD, null);
    }

    /**
     * Creates a context without a request id.
     * @param endpoint the endpoint, such as {@code /ledger/entries}
     * @param method the HTTP method; case does not matter
     * @throws IllegalArgumentException if the endpoint or the method is blank
     */
    public static RetryContext of(String endpoint, String method) {
        return new RetryContext(endpoint, method, null);
    }

    /**
     * Creates a context.
     * @param endpoint the endpoint, such as {@code /ledger/entries}
     * @param method the HTTP method; case does not matter
     * @param requestId an id for log messages, or null
     * @throws IllegalArgumentException if the endpoint or the method is blank
     */
    public static RetryContext of(String endpoint, String method, String requestId) {
        return new RetryContext(endpoint, method, requestId);
    }

    /**
     * Returns the circuit key of an endpoint and method, {@code endpoint:METHOD}.
     * @param endpoint the endpoint
     * @param method the HTTP method, already in upper case
     */
    public static String circuitKey(String endpoint, String method) {
        return endpoint + ":" + method;
    }

    /**
     * Returns a copy of this context with another request id.
     * @param newRequestId an id for log messages, or null
     */
    public RetryContext withRequestId(String newRequestId) {
        return new RetryContext(this.endpoint, this.method, newRequestId);
    }

    public String getEndpoint() {
        return this.endpoint;
    }

    public String getMethod() {
        return this.method;
    }

    public Optional<String> getRequestId() {
        return Optional.ofNullable(this.requestId);
    }

    public String getCircuitKey() {
        return this.circuitKey;
    }

    @Override
    public boolean equals(Object other) {
        if (this == other) {
            return true;
        }
        return other instanceof RetryContext that && this.circuitKey.equals(that.circuitKey)
                && Objects.equals(this.requestId, that.requestId);
    }

    @Override
    public int hashCode() {
        return Objects.hash(this.circuitKey, this.requestId);
    }

    @Override
    public String toString() {
        return (this.requestId != null) ? this.circuitKey + " (request " + this.requestId + ")" : this.circuitKey;
    }
}
