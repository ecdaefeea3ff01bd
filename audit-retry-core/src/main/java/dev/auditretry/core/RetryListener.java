package dev.auditretry.core;

import dev.auditretry.core.circuit.CircuitBreakerState;
import java.time.Duration;

/**
 * Receives events of a {@link RetryManager}, for metrics, logging or tracing. Every method has an empty default.
 * <p>
 * Methods are called on the thread of the call or of the transition, after the fact and outside any lock, so
 * they should be fast. An exception thrown by a listener is logged and does not affect the call.
 */
public interface RetryListener {

    /**
     * Reports that a failed attempt will be retried after a wait.
     * @param context the call
     * @param failedAttempt the attempt that failed, counting from 1
     * @param delay the wait before the next attempt
     * @param cause the failure of the attempt
     */
    default void onRetryScheduled(RetryContext context, int failedAttempt, Duration delay, Throwable cause) {
    }

    /**
     * Reports that a retryable failure was not retried, and why.
     * @param context the call
     * @param reason the rule that stopped the retry
     * @param attempts attempts made so far, the first included
     * @param failure the failure that was not retried
     */
    default void onRetryStopped(RetryContext context, RetryStop reason, int attempts, Throwable failure) {
    }

    /**
     * Reports how a call ended.
     * @param context the call
     * @param outcome how it ended
     * @param attempts attempts that reached the operation, 0 when a circuit rejected the first
     * @param elapsed time from the start of the call to its end, waits included
     * @param error what the caller received, or null on success
     */
    default void onCallFinished(RetryContext context, CallOutcome outcome, int attempts, Duration elapsed,
            Throwable error) {
    }

    /**
     * Reports a transition of a circuit.
     * @param circuitKey the circuit
     * @param from the state before
     * @param to the state after
     */
    default void onCircuitStateChange(String circuitKey, CircuitBreakerState from, CircuitBreakerState to) {
    }

    /**
     * Reports that a circuit was created for the first call to its key.
     * @param circuitKey the circuit
     */
    default void onCircuitCreated(String circuitKey) {
    }

    /**
     * Reports that a circuit was removed, so that meters kept for it can be removed too.
     * @param circuitKey the circuit
     */
    default void onCircuitRemoved(String circuitKey) {
    }
}
