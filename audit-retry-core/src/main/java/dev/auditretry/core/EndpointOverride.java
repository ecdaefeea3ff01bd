package dev.auditretry.core;

import dev.auditretry.core.circuit.CircuitBreakerConfig;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * Changes to the global settings for one endpoint. They are functions of the global settings, so a later
 * {@link RetryManager#updateConfig} still reaches every setting that the override leaves alone.
 *
 * @param retry derives the endpoint's retry settings from the global ones
 * @param circuitBreaker derives the endpoint's circuit settings from the global ones
 */
public record EndpointOverride(UnaryOperator<RetryConfig> retry, UnaryOperator<CircuitBreakerConfig> circuitBreaker) {

    public EndpointOverride {
        Objects.requireNonNull(retry, "retry must not be null");
        Objects.requireNonNull(circuitBreaker, "circuitBreaker must not be null");
    }

    /**
     * Creates an override of retry settings only.
     * @param retry derives the endpoint's retry settings from the global ones
     */
    public static EndpointOverride ofRetry(UnaryOperator<RetryConfig> retry) {
        return new EndpointOverride(retry, UnaryOperator.identity());
    }

    /**
     * Creates an override of circuit settings only.
     * @param circuitBreaker derives the endpoint's circuit settings from the global ones
     */
    public static EndpointOverride ofCircuitBreaker(UnaryOperator<CircuitBreakerConfig> circuitBreaker) {
        return new EndpointOverride(UnaryOperator.identity(), circuitBreaker);
    }
}
