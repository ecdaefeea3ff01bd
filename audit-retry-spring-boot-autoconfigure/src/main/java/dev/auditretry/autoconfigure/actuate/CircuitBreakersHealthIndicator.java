package dev.auditretry.autoconfigure.actuate;

import dev.auditretry.core.RetryContext;
import dev.auditretry.core.RetryManager;
import dev.auditretry.core.circuit.CircuitBreakerState;
import dev.auditretry.core.circuit.CircuitBreakerStats;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;

/**
 * Reports the state of every circuit whose circuit breaker is enabled, as details keyed by circuit key.
 * <p>
 * Only the affecting circuits set the status, because an open circuit means a dependency is failing rather than
 * this application. The status is DOWN when one of them is OPEN, otherwise UNKNOWN when one of them is
 * HALF_OPEN, otherwise UP. UNKNOWN reports that trial calls are probing the dependency, and Spring Boot's default
 * status order ranks it below UP, so it does not change the aggregate status.
 */
public class CircuitBreakersHealthIndicator implements HealthIndicator {

    private static final String GET_SUFFIX = ":" + RetryContext.DEFAULT_METHOD;

    private final RetryManager retryManager;

    private final Set<String> affectingCircuits;

    /**
     * Creates the indicator.
     * @param retryManager the manager whose circuits are reported
     * @param affectingCircuits keys of the circuits that set the status. A key without a method means its GET
     *        circuit, and a method in lower case matches as in upper case
     */
    public CircuitBreakersHealthIndicator(RetryManager retryManager, Collection<String> affectingCircuits) {
        this.retryManager = Objects.requireNonNull(retryManager, "retryManager must not be null");
        Set<String> normalized = new HashSet<>();
        for (String key : affectingCircuits) {
            normalized.add(upperCaseMethod(key));
        }
        this.affectingCircuits = Set.copyOf(normalized);
    }

    // Circuit keys end in ":METHOD" in upper case, as RetryContext writes them; a key without a method stays as is.
    private static String upperCaseMethod(String key) {
        int colon = key.lastIndexOf(':');
        if (colon < 1 || colon == key.length() - 1) {
            return key;
        }
        String method = key.substring(colon + 1);
        return method.chars().allMatch(Character::isLetter)
                ? key.substring(0, colon + 1) + method.toUpperCase(Locale.ROOT) : key;
    }

    @Override
    public Health health() {
        boolean anyOpen = false;
        boolean anyHalfOpen = false;
        Map<String, Object> details = new LinkedHashMap<>();
        for (CircuitBreakerStats stats : this.retryManager.getCircuitBreakerStats().values()) {
            boolean affectsHealth = affectsHealth(stats.key());
            anyOpen |= affectsHealth && stats.state() == CircuitBreakerState.OPEN;
            anyHalfOpen |= affectsHealth && stats.state() == CircuitBreakerState.HALF_OPEN;
            details.put(stats.key(), describe(stats, affectsHealth));
        }

        Status status = anyOpen ? Status.DOWN : (anyHalfOpen ? Status.UNKNOWN : Status.UP);
        return Health.status(status).withDetails(details).build();
    }

    // Mirrors RetryManager's rule that a key without a method means its GET circuit.
    private boolean affectsHealth(String circuitKey) {
        if (this.affectingCircuits.contains(circuitKey)) {
            return true;
        }
        return circuitKey.endsWith(GET_SUFFIX)
                && this.affectingCircuits.contains(circuitKey.substring(0, circuitKey.length() - GET_SUFFIX.length()));
    }

    private static Map<String, Object> describe(CircuitBreakerStats stats, boolean affectsHealth) {
        Map<String, Object> circuit = new LinkedHashMap<>();
        circuit.put("state", stats.state().name());
        circuit.put("affectsHealth", affectsHealth);
        stats.nextRetryTime().ifPresent((time) -> circuit.put("nextRetryTime", time.toString()));
        return circuit;
    }
}
