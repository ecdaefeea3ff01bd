package dev.auditretry.core;

import java.util.Objects;

/**
 * Thrown when a call gives up on a retryable failure because every allowed attempt was made or because its
 * maxElapsed time ran out. The cause is the last failure.
 */
public class RetryExhaustedException extends RuntimeException {

    private final int attempts;

    private final RetryStop reason;

    private final transient RetryContext context;

    /**
     * Creates the exception for a call that made every allowed attempt.
     * @param context the call that gave up
     * @param attempts attempts made, the first included
     * @param lastFailure the failure of the last attempt
     */
    public RetryExhaustedException(RetryContext context, int attempts, Throwable lastFailure) {
        this(context, attempts, lastFailure, RetryStop.MAX_ATTEMPTS);
    }

    /**
     * Creates the exception.
     * @param context the call that gave up
     * @param attempts attempts made, the first included
     * @param lastFailure the failure of the last attempt
     * @param reason why the call gave up
     */
    public RetryExhaustedException(RetryContext context, int attempts, Throwable lastFailure, RetryStop reason) {
        this(context, attempts, lastFailure, reason, Failures.describe(lastFailure));
    }

    RetryExhaustedException(RetryContext context, int attempts, Throwable lastFailure, RetryStop reason,
            String failureDescription) {
        super(message(context, attempts, reason, failureDescription), lastFailure);
        this.context = Objects.requireNonNull(context, "context must not be null");
        this.attempts = attempts;
        this.reason = Objects.requireNonNull(reason, "reason must not be null");
    }

    private static String message(RetryContext context, int attempts, RetryStop reason, String failureDescription) {
        String limit = (reason == RetryStop.MAX_ELAPSED)
                ? " because another attempt would not finish within its maxElapsed time" : "";
        return "Gave up on '" + context.getCircuitKey() + "' after " + attempts + ((attempts == 1) ? " attempt" : " attempts")
                + limit + ": " + failureDescription;
    }

    /** Returns why the call gave up: {@link RetryStop#MAX_ATTEMPTS} or {@link RetryStop#MAX_ELAPSED}. */
    public RetryStop getReason() {
        return this.reason;
    }

    public int getAttempts() {
        return this.attempts;
    }

    public RetryContext getContext() {
        return this.context;
    }
}
