package dev.auditretry.core.circuit;

import java.time.Duration;
import java.util.Objects;

/**
 * Circuit breaker settings of an endpoint. Immutable: an invalid instance cannot be created, and
 * {@link #toBuilder()} derives a changed copy.
 * <p>
 * Two rules decide when a circuit opens, both over the outcomes of the last monitoringWindow and both only
 * once it contains at least minimumRequestThreshold requests:
 * <ul>
 * <li>the count rule, the default: a failure is recorded and there are at least failureThreshold failures;</li>
 * <li>the rate rule, when failureRateThreshold is set: after any outcome, failures make up at least
 * failureRateThreshold percent of the requests. It replaces the count rule, so a busy circuit does not open
 * on a small error rate.</li>
 * </ul>
 *
 * @param enabled whether calls pass through a circuit at all; when false there are no checks and no stats
 * @param failureThreshold failures inside the monitoring window that open the circuit, at least 1
 * @param recoveryTimeout how long an open circuit rejects calls before it admits a trial call. It is also the
 *        time after which an unfinished trial call stops blocking others
 * @param monitoringWindow how far back outcomes count; each outcome ages out on its own
 * @param minimumRequestThreshold requests inside the window needed before the circuit can open, at least 1
 * @param halfOpenMaxCalls concurrent trial calls admitted while half-open, at least 1
 * @param clientErrors how client errors (non-retryable 4xx) count
 * @param failureRateThreshold percent of failures among the window's requests that opens the circuit, above 0 and
 *        at most 100; 0 keeps the count rule
 * @param recoveryBackoffMultiplier growth of the open time after each failed trial in a row, at least 1 (1 keeps
 *        it at recoveryTimeout); a successful trial resets it
 * @param maxRecoveryTimeout longest open time that recoveryBackoffMultiplier can reach, not shorter than
 *        recoveryTimeout, or null for ten times recoveryTimeout
 * @param maxCircuits circuits kept per manager, at least 1. Beyond it the least recently used CLOSED circuits are
 *        removed; OPEN and HALF_OPEN ones are always kept. Only the global value applies, not endpoint overrides
 */
public record CircuitBreakerConfig(boolean enabled, int failureThreshold, Duration recoveryTimeout,
        Duration monitoringWindow, int minimumRequestThreshold, int halfOpenMaxCalls, ClientErrorHandling clientErrors,
        double failureRateThreshold, double recoveryBackoffMultiplier, Duration maxRecoveryTimeout, int maxCircuits) {

    /** Circuits kept per manager by default. */
    public static final int DEFAULT_MAX_CIRCUITS = 1_000;

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
        requireAtLeastOne("maxCircuits", maxCircuits);
        if (!(failureRateThreshold >= 0 && failureRateThreshold <= 100)) {
            throw new IllegalArgumentException("failureRateThreshold must be from 0 to 100 but was "
                    + failureRateThreshold + "; use 0 to open on failureThreshold failures instead");
        }
        if (!(recoveryBackoffMultiplier >= 1) || Double.isInfinite(recoveryBackoffMultiplier)) {
            throw new IllegalArgumentException("recoveryBackoffMultiplier must be a finite number of at least 1 but was "
                    + recoveryBackoffMultiplier + "; use 1 to keep every open time at recoveryTimeout");
        }
        if (maxRecoveryTimeout != null && maxRecoveryTimeout.compareTo(recoveryTimeout) < 0) {
            throw new IllegalArgumentException("maxRecoveryTimeout (" + maxRecoveryTimeout
                    + ") must not be shorter than recoveryTimeout (" + recoveryTimeout
                    + "); raise maxRecoveryTimeout or lower recoveryTimeout");
        }
    }

    /** Returns whether the rate rule replaces the count rule. */
    public boolean usesFailureRate() {
        return this.failureRateThreshold > 0;
    }

    /**
     * Returns how long the circuit stays open after the given number of failed trials in a row.
     * @param failedTrialsInARow failed trials since the circuit last closed, 0 when it just opened from CLOSED
     */
    public Duration openDuration(int failedTrialsInARow) {
        if (this.recoveryBackoffMultiplier == 1.0 || failedTrialsInARow <= 0) {
            return this.recoveryTimeout;
        }
        Duration cap = (this.maxRecoveryTimeout != null) ? this.maxRecoveryTimeout : this.recoveryTimeout.multipliedBy(10);
        double millis = this.recoveryTimeout.toMillis() * Math.pow(this.recoveryBackoffMultiplier, failedTrialsInARow);
        return (millis >= cap.toMillis()) ? cap : Duration.ofMillis(Math.round(millis));
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

        private double failureRateThreshold;

        private double recoveryBackoffMultiplier = 1.0;

        private Duration maxRecoveryTimeout;

        private int maxCircuits = DEFAULT_MAX_CIRCUITS;

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
            this.failureRateThreshold = config.failureRateThreshold;
            this.recoveryBackoffMultiplier = config.recoveryBackoffMultiplier;
            this.maxRecoveryTimeout = config.maxRecoveryTimeout;
            this.maxCircuits = config.maxCircuits;
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
         * Sets the rate rule.
         * @param failureRateThreshold percent of failures that opens the circuit, or 0 for the count rule
         */
        public Builder failureRateThreshold(double failureRateThreshold) {
            this.failureRateThreshold = failureRateThreshold;
            return this;
        }

        public Builder recoveryBackoffMultiplier(double recoveryBackoffMultiplier) {
            this.recoveryBackoffMultiplier = recoveryBackoffMultiplier;
            return this;
        }

        /**
         * Sets the longest open time that recovery backoff can reach.
         * @param maxRecoveryTimeout the cap, or null for ten times recoveryTimeout
         */
        public Builder maxRecoveryTimeout(Duration maxRecoveryTimeout) {
            this.maxRecoveryTimeout = maxRecoveryTimeout;
            return this;
        }

        public Builder maxCircuits(int maxCircuits) {
            this.maxCircuits = maxCircuits;
            return this;
        }

        /**
         * Creates the settings.
         * @throws IllegalArgumentException if a value is outside its range
         */
        public CircuitBreakerConfig build() {
            return new CircuitBreakerConfig(this.enabled, this.failureThreshold, this.recoveryTimeout,
                    this.monitoringWindow, this.minimumRequestThreshold, this.halfOpenMaxCalls, this.clientErrors,
                    this.failureRateThreshold, this.recoveryBackoffMultiplier, this.maxRecoveryTimeout,
                    this.maxCircuits);
        }
    }
}
