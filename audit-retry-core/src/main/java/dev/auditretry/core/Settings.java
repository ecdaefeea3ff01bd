package dev.auditretry.core;

import dev.auditretry.core.circuit.CircuitBreakerConfig;
import java.util.Map;

/**
 * The global settings of a {@link RetryManager} with its endpoint overrides. Immutable: an update replaces the
 * whole instance with a higher version, and endpoints notice by comparing versions.
 */
record Settings(long version, RetryConfig retry, CircuitBreakerConfig circuitBreaker,
        Map<String, EndpointOverride> overrides) {

    Settings {
        overrides = Map.copyOf(overrides);
    }

    Settings withRetry(RetryConfig newRetry) {
        return new Settings(this.version + 1, newRetry, this.circuitBreaker, this.overrides);
    }

    Settings withCircuitBreaker(CircuitBreakerConfig newCircuitBreaker) {
        return new Settings(this.version + 1, this.retry, newCircuitBreaker, this.overrides);
    }

    /**
     * Resolves the settings of one endpoint: the override of its full key wins over the override of its bare
     * endpoint, which applies to every method.
     * @throws IllegalArgumentException if an override produces invalid settings, naming the override's key
     */
    Resolved resolve(RetryContext context) {
        EndpointOverride override = this.overrides.get(context.getCircuitKey());
        String overrideKey = context.getCircuitKey();
        if (override == null) {
            override = this.overrides.get(context.getEndpoint());
            overrideKey = context.getEndpoint();
        }
        if (override == null) {
            return new Resolved(this, this.retry, this.circuitBreaker);
        }
        try {
            RetryConfig endpointRetry = override.retry().apply(this.retry);
            CircuitBreakerConfig endpointCircuit = override.circuitBreaker().apply(this.circuitBreaker);
            return new Resolved(this, endpointRetry, endpointCircuit);
        }
        catch (IllegalArgumentException ex) {
            throw new IllegalArgumentException("Settings for endpoint '" + overrideKey + "' are invalid: "
                    + ex.getMessage(), ex);
        }
    }

    /** Checks that every override produces valid settings from these global ones. */
    void validateOverrides() {
        for (Map.Entry<String, EndpointOverride> entry : this.overrides.entrySet()) {
            try {
                entry.getValue().retry().apply(this.retry);
                entry.getValue().circuitBreaker().apply(this.circuitBreaker);
            }
            catch (IllegalArgumentException ex) {
                throw new IllegalArgumentException("Settings for endpoint '" + entry.getKey() + "' are invalid: "
                        + ex.getMessage(), ex);
            }
        }
    }

    /**
     * The settings of one endpoint, with the global settings they were resolved from.
     */
    record Resolved(Settings source, RetryConfig retry, CircuitBreakerConfig circuitBreaker) {
    }
}
