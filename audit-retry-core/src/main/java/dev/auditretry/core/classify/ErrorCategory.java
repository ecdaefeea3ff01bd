package dev.auditretry.core.classify;

/**
 * The category of a failed attempt, which decides whether it is retried and how its circuit counts it.
 */
public enum ErrorCategory {

    /** A transient failure, such as HTTP 503 or a reset connection: retried, and a failure for the circuit. */
    TRANSIENT(true),

    /** A failure that retrying will not fix, such as HTTP 501 or an unexpected exception: a failure for the circuit. */
    PERMANENT(false),

    /**
     * A client error, such as HTTP 400 or 404: the service sent a response, so the error shows nothing about
     * its health. The circuit records it as its clientErrors setting specifies, by default as neither success nor
     * failure.
     */
    CLIENT_ERROR(false),

    /** The calling thread was interrupted or the call was cancelled: neither retried nor recorded by the circuit. */
    CANCELLED(false),

    /** A circuit refused the call: never retried and never recorded as a failure of the service. */
    CIRCUIT_OPEN(false);

    private final boolean retryable;

    ErrorCategory(boolean retryable) {
        this.retryable = retryable;
    }

    public boolean isRetryable() {
        return this.retryable;
    }
}
