package dev.auditretry.core;

/**
 * The reason a retryable failure was not retried.
 */
public enum RetryStop {

    /** Every allowed attempt was made. */
    MAX_ATTEMPTS,

    /** The next wait would have ended past maxElapsed, or maxElapsed had passed. */
    MAX_ELAPSED,

    /** The circuit's retry budget was spent. */
    RETRY_BUDGET,

    /** The failure carried a Retry-After longer than maxRetryAfter. */
    RETRY_AFTER_TOO_LONG,

    /** The request's method is not idempotent and the failure does not show that it was not processed. */
    NOT_IDEMPOTENT,

    /** The circuit opened, or had no free trial slot, before the next attempt. */
    CIRCUIT_OPEN
}
