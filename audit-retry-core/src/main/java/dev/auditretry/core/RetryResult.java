package dev.auditretry.core;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of one call made through {@link RetryManager#executeAll}.
 *
 * @param success whether the call returned a value
 * @param data the value, or null when the call failed or returned null
 * @param error what the caller of {@link RetryManager#execute} would have received, or null on success
 * @param attempts attempts that reached the operation; 0 when the circuit rejected the call before any attempt
 * @param totalTime time from the start of the call to its end, waits included
 * @param circuitRejected whether the call ended because a circuit rejected an attempt
 * @param <T> the type of the value
 */
public record RetryResult<T>(boolean success, T data, Throwable error, int attempts, Duration totalTime,
        boolean circuitRejected) {

    public RetryResult {
        Objects.requireNonNull(totalTime, "totalTime must not be null");
        if (success && error != null) {
            throw new IllegalArgumentException("a successful result must not carry an error");
        }
        if (!success && error == null) {
            throw new IllegalArgumentException("a failed result must carry its error");
        }
        if (attempts < 0) {
            throw new IllegalArgumentException("attempts must not be negative but was " + attempts);
        }
    }

    public Optional<T> getData() {
        return Optional.ofNullable(this.data);
    }

    public Optional<Throwable> getError() {
        return Optional.ofNullable(this.error);
    }
}
