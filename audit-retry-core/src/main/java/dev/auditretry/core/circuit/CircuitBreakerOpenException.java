package dev.auditretry.core.circuit;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Thrown when a circuit rejects a call without letting it reach the service. It is never retried.
 * <p>
 * When the circuit opened during a call's retries, the cause is the call's last failure. The exception
 * carries no stack trace, so rejecting calls stays cheap while a dependency is down.
 */
public class CircuitBreakerOpenException extends RuntimeException {

    private final String circuitKey;

    private final Instant nextRetryTime;

    private final transient CircuitBreakerStats stats;

    /**
     * Creates the exception.
     * @param message what was rejected and for how long
     * @param circuitKey the key of the circuit that rejected the call
     * @param nextRetryTime when the circuit admits its next trial call, or null when unknown
     * @param stats the circuit's snapshot when it rejected the call
     * @param cause the call's last failure, or null when no attempt was made
     */
    public CircuitBreakerOpenException(String message, String circuitKey, Instant nextRetryTime,
            CircuitBreakerStats stats, Throwable cause) {
        super(message, cause, false, false);
        this.circuitKey = Objects.requireNonNull(circuitKey, "circuitKey must not be null");
        this.nextRetryTime = nextRetryTime;
        this.stats = Objects.requireNonNull(stats, "stats must not be null");
    }

    /**
     * Returns a copy of this exception with the given failure as its cause.
     * @param lastFailure the failure of the call's last attempt
     */
    public CircuitBreakerOpenException withCause(Throwable lastFailure) {
        return new CircuitBreakerOpenException(getMessage(), this.circuitKey, this.nextRetryTime, this.stats,
                lastFailure);
    }

    public String getCircuitKey() {
        return this.circuitKey;
    }

    public Optional<Instant> getNextRetryTime() {
        return Optional.ofNullable(this.nextRetryTime);
    }

    public CircuitBreakerStats getStats() {
        return this.stats;
    }
}
