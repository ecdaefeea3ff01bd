package dev.auditretry.core.circuit;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A snapshot of one circuit. The counts are those inside the current monitoring window, the same
 * numbers that the decision to open uses.
 *
 * @param key the circuit key, {@code endpoint:METHOD}
 * @param state the state when the snapshot was taken. An OPEN circuit whose recovery timeout has passed
 *        stays OPEN here until a call becomes its trial
 * @param failureCount failures recorded inside the window
 * @param successCount successes recorded inside the window
 * @param totalRequests recorded outcomes inside the window, always failureCount + successCount
 * @param lastFailureTime when the last failure was recorded since the circuit was created or reset
 * @param nextRetryTime when an OPEN circuit admits its next trial call, or when a HALF_OPEN circuit with all
 *        trial slots taken frees one; empty when a call would be admitted now
 */
public record CircuitBreakerStats(String key, CircuitBreakerState state, long failureCount, long successCount,
        long totalRequests, Optional<Instant> lastFailureTime, Optional<Instant> nextRetryTime) {

    public CircuitBreakerStats {
        Objects.requireNonNull(key, "key must not be null");
        Objects.requireNonNull(state, "state must not be null");
        Objects.requireNonNull(lastFailureTime, "lastFailureTime must not be null");
        Objects.requireNonNull(nextRetryTime, "nextRetryTime must not be null");
    }
}
