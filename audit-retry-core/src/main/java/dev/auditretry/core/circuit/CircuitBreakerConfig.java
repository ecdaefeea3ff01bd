package dev.auditretry.core.circuit;

import java.time.Duration;
import java.util.Objects;

/**
 * Circuit breaker settings of an endpoint. Immutable: an invalid instance cannot be created, and
 * {@link #toBuilder()} derives a changed copy.
 * <p>
 * A circuit opens when a failure is recorded and, among the outcomes of the last monitoringWindow,
 * there are at least minimumRequestThreshold requests and at least failureThreshold failures.
 *
 * @param enabled whether calls pass through a circuit at all; when false there are no checks and no stats
 * @param failureThreshold failures inside the monitoring window that open the circuit, at least 1
 * @param recoveryTimeout how long an open circuit rejects calls before it admits a trial call. It is also the
 *        time after which an unfinished trial call stops blocking others
 * @param monitoringWindow how far back outcomes count; each outcome ages out on its own
 * @param minimumRequestThreshold requests inside the window needed before the circuit can open, at least 1
 * @param halfOpenMaxCalls concurrent trial calls admitted while half-open, at least 1
 * @param clientErrors how client errors (non-retryable 4xx) count
 */
public record CircuitBreakerConfig(boolean enabled, int failureThreshold, Duration recoveryTimeout,
        Duration monitoringWindow, int minimumRequestThreshold, int halfOpenMaxCalls, ClientErrorHandling clientErrors) {

    /**
     * Validates the settings.
     * @throws IllegalArgumentException naming the field, the rejected value and the allowed range
     */
    public CircuitBreakerConfig {
        Objects.requireNonNull(recoveryTimeout, "recoveryTimeout must not be null");
        Objects.requireNonNull(monitoringWindow, "monitoringWindow must not be null");
        Objects.requireNonNull(clientErrors, "clientErrors must not be null");
        requireAtLeastOne("failureThreshold", failureThreshold);
        requireAtLeastOne("minimumRequestThreshold", minimumRequestThreshold);
        requireAtLeastOne("halfOpenMaxCalls", halfOpenMaxCalls);
        requirePositive("recoveryTimeout", recoveryTimeout);
        requirePositive("monitoringWindow", monitoringWindow);
    }

    /** Returns the default settings: 5 failures among at least 10 requests in 5 minutes open it for 60 s. */
    public static CircuitBreakerConfig defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Returns a builder that starts from these settings, to derive a changed copy. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    private static void requireAtLeastOne(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be at least 1 but was " + value);
        }
    }

    private static void requirePositive(String name, Duration value) {
        if (value.isNegative() || value.isZero() || value.toMillis() < 1) {
            throw new IllegalArgumentException(name + " must be at least 1 ms but was " + value);
        }
    }

    /**
     * Builds a {@link CircuitBreakerConfig}, starting from the defaults.
     */
    public static final class Builder {

        private boolean enabled = true;

        private int failureThreshold = 5;

        private Duration recoveryTimeout = Duration.ofSeconds(60);

        private Duration monitoringWindow = Duration.ofMinutes(5);

        private int minimumRequestThreshold = 10;

        private int halfOpenMaxCalls = 1;

        private ClientErrorHandling clientErrors = ClientErrorHandling.IGNORE;

        private Builder() {
        }

        private Builder(CircuitBreakerConfig config) {
            this.enabled = config.enabled;
            this.failureThreshold = config.failureThreshold;
            this.recoveryTimeout = config.recoveryTimeout;
            this.monitoringWindow = config.monitoringWindow;
            this.minimumRequestThreshold = config.minimumRequestThreshold;
            this.halfOpenMaxCalls = config.halfOpenMaxCalls;
            this.clientErrors = config.clientErrors;
        }

        public Builder enabled(boolean enabled) {
            this.enabled = enabled;
            return this;
        }

        public Builder failureThreshold(int failureThreshold) {
            this.failureThreshold = failureThreshold;
            return this;
        }

        public Builder recoveryTimeout(Duration recoveryTimeout) {
            this.recoveryTimeout = recoveryTimeout;
            return this;
        }

        public Builder monitoringWindow(Duration monitoringWindow) {
            this.monitoringWindow = monitoringWindow;
            return this;
        }

        public Builder minimumRequestThreshold(int minimumRequestThreshold) {
            this.minimumRequestThreshold = minimumRequestThreshold;
            return this;
        }

        public Builder halfOpenMaxCalls(int halfOpenMaxCalls) {
            this.halfOpenMaxCalls = halfOpenMaxCalls;
            return this;
        }

        public Builder clientErrors(ClientErrorHandling clientErrors) {
            this.clientErrors = clientErrors;
            return this;
        }

        /**
         * Creates the settings.
         * @throws IllegalArgumentException if a value is outside its range
         */
        public CircuitBreakerConfig build() {
            return new CircuitBreakerConfig(this.enabled, this.failureThreshold, this.recoveryTimeout,
                    this.monitoringWindow, this.minimumRequestThreshold, this.halfOpenMaxCalls, this.clientErrors);
        }
    }
}
