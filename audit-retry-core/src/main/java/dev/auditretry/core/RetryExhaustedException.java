package dev.auditretry.core;

import java.util.Objects;

/**
 * Thrown when every allowed attempt of a call failed with a retryable failure. The cause is the last failure.
 */
public class RetryExhaustedException extends RuntimeException {

    private final int attempts;

    private final transient RetryContext context;

    /**
     * Creates the exception.
     * @param context the call that gave up
     * @param attempts attempts made, the first included
     * @param lastFailure the failure of the last attempt
     */
    public RetryExhaustedException(RetryContext context, int attempts, Throwable lastFailure) {
        super("Gave up on '" + context.getCircuitKey() + "' after " + attempts + " attempts: "
                + Failures.describe(lastFailure), lastFailure);
        this.context = Objects.requireNonNull(context, "context must not be null");
        this.attempts = attempts;
    }

    public int getAttempts() {
        return this.attempts;
    }

    public RetryContext getContext() {
        return this.context;
    }
}
