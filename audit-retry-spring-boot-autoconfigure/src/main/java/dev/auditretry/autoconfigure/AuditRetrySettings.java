package dev.auditretry.autoconfigure;

import static dev.auditretry.autoconfigure.OverloadSettings.httpMethods;
import static dev.auditretry.autoconfigure.OverloadSettings.requireIdempotent;
import static dev.auditretry.autoconfigure.OverloadSettings.retryBudget;
import static dev.auditretry.autoconfigure.OverloadSettings.retryBudgetOverride;
import static dev.auditretry.autoconfigure.PropertyChecks.format;
import static dev.auditretry.autoconfigure.PropertyChecks.invalid;
import static dev.auditretry.autoconfigure.PropertyChecks.requireConstant;
import static dev.auditretry.autoconfigure.PropertyChecks.requireInRange;
import static dev.auditretry.autoconfigure.PropertyChecks.requireStatusCode;

import dev.auditretry.autoconfigure.AuditRetryProperties.Endpoint;
import dev.auditretry.autoconfigure.AuditRetryProperties.EndpointCircuitBreaker;
import dev.auditretry.core.EndpointOverride;
import dev.auditretry.core.RetryBudgetConfig;
import dev.auditretry.core.RetryConfig;
import dev.auditretry.core.backoff.Jitter;
import dev.auditretry.core.circuit.CircuitBreakerConfig;
import dev.auditretry.core.circuit.ClientErrorHandling;
import dev.auditretry.core.classify.NetworkError;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.Environment;
import org.springframework.core.env.PropertySource;
import org.springframework.util.ClassUtils;

/**
 * Turns {@link AuditRetryProperties} into the core settings, checking every value first so that an invalid one
 * fails startup with the full property name, the rejected value and the allowed range.
 */
final class AuditRetrySettings {

    private static final String PREFIX = "audit.retry.";

    private static final String ENDPOINTS_PREFIX = PREFIX + "endpoints.";

    private static final Set<String> HTTP_METHODS =
            Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE");

    private final AuditRetryProperties properties;

    private final ClassLoader classLoader;

    AuditRetrySettings(AuditRetryProperties properties, ClassLoader classLoader) {
        this.properties = properties;
        this.classLoader = classLoader;
    }

    /** Returns the global retry settings. */
    RetryConfig retryConfig() {
        AuditRetryProperties global = this.properties;
        Duration initialDelay = requireInRange(PREFIX + "initial-delay", global.initialDelay());
        Duration maxDelay = requireInRange(PREFIX + "max-delay", global.maxDelay());
        if (maxDelay.compareTo(initialDelay) < 0) {
            throw invalid(PREFIX + "max-delay", maxDelay, "It must not be shorter than " + PREFIX + "initial-delay ("
                    + format(initialDelay) + "). Raise max-delay or lower initial-delay.");
        }

        return RetryConfig.builder()
                .enabled(global.enabled())
                .maxAttempts(requireInRange(PREFIX + "max-attempts", global.maxAttempts()))
                .initialDelay(initialDelay)
                .maxDelay(maxDelay)
                .backoffMultiplier(requireInRange(PREFIX + "backoff-multiplier", global.backoffMultiplier()))
                .jitter(requireConstant(PREFIX + "jitter", global.jitter(), Jitter.class))
                .retryableStatusCodes(statusCodes(PREFIX + "retryable-status-codes", global.retryableStatusCodes()))
                .retryableErrors(retryableErrors(PREFIX + "retryable-errors", global.retryableErrors()))
                .maxRetryAfter(requireInRange(PREFIX + "max-retry-after", global.maxRetryAfter()))
                .maxElapsed((global.maxElapsed() != null)
                        ? requireInRange(PREFIX + "max-elapsed", global.maxElapsed()) : null)
                .retryBudget(retryBudget(PREFIX + "retry-budget.", global.retryBudget()))
                .nonIdempotentMethods(httpMethods(PREFIX + "non-idempotent-methods", global.nonIdempotentMethods()))
                .idempotent(requireIdempotent(PREFIX + "idempotent", global.idempotent()))
                .build();
    }

    /** Returns the global circuit settings. */
    CircuitBreakerConfig circuitBreakerConfig() {
        AuditRetryProperties.CircuitBreaker circuit = this.properties.circuitBreaker();
        String prefix = PREFIX + "circuit-breaker.";
        Duration recoveryTimeout = requireInRange(prefix + "recovery-timeout", circuit.recoveryTimeout());
        Duration maxRecoveryTimeout = circuit.maxRecoveryTimeout();
        if (maxRecoveryTimeout != null && maxRecoveryTimeout.compareTo(recoveryTimeout) < 0) {
            throw invalid(prefix + "max-recovery-timeout", maxRecoveryTimeout, "It must not be shorter than " + prefix
                    + "recovery-timeout (" + format(recoveryTimeout) + "). Raise max-recovery-timeout or lower"
                    + " recovery-timeout, or remove max-recovery-timeout for ten times recovery-timeout.");
        }

        return CircuitBreakerConfig.builder()
                .enabled(circuit.enabled())
                .failureThreshold(requireInRange(prefix + "failure-threshold", circuit.failureThreshold()))
                .recoveryTimeout(recoveryTimeout)
                .monitoringWindow(requireInRange(prefix + "monitoring-window", circuit.monitoringWindow()))
                .minimumRequestThreshold(requireInRange(prefix + "minimum-request-threshold",
                        circuit.minimumRequestThreshold()))
                .halfOpenMaxCalls(requireInRange(prefix + "half-open-max-calls", circuit.halfOpenMaxCalls()))
                .clientErrors(requireConstant(prefix + "client-errors", circuit.clientErrors(),
                        ClientErrorHandling.class))
                .failureRateThreshold(requireInRange(prefix + "failure-rate-threshold",
                        circuit.failureRateThreshold()))
                .recoveryBackoffMultiplier(requireInRange(prefix + "recovery-backoff-multiplier",
                        circuit.recoveryBackoffMultiplier()))
                .maxRecoveryTimeout(maxRecoveryTimeout)
                .maxCircuits(requireInRange(prefix + "max-circuits", circuit.maxCircuits()))
                .build();
    }

    /**
     * Returns the overrides of single circuits by key, each checked against the given global settings.
     * @param globalRetry the global retry settings, which the overrides change
     * @param globalCircuit the global circuit settings, which the overrides change
     */
    Map<String, EndpointOverride> endpointOverrides(RetryConfig globalRetry, CircuitBreakerConfig globalCircuit) {
        Map<String, EndpointOverride> overrides = new LinkedHashMap<>();
        for (Map.Entry<String, Endpoint> entry : this.properties.endpoints().entrySet()) {
            String prefix = ENDPOINTS_PREFIX + "[" + entry.getKey() + "].";
            Endpoint endpoint = entry.getValue();
            UnaryOperator<RetryConfig> retry = retryOverride(prefix, endpoint, globalRetry);
            UnaryOperator<CircuitBreakerConfig> circuit = circuitOverride(prefix + "circuit-breaker.",
                    endpoint.circuitBreaker(), globalCircuit);
            overrides.put(normalizeKey(entry.getKey()), new EndpointOverride(retry, circuit));
        }
        return overrides;
    }

    /**
     * Fails when a property under {@code audit.retry.endpoints} has a key with {@code /} or {@code :} outside
     * brackets, which Spring Boot drops, or a bracket that is never closed, which an unescaped {@code :} in a
     * .properties file causes. Either way the override would silently apply to a circuit that never exists.
     * @param environment the environment whose property sources are searched
     */
    static void checkEndpointKeys(Environment environment) {
        if (!(environment instanceof ConfigurableEnvironment configurable)) {
            return;
        }
        for (PropertySource<?> source : configurable.getPropertySources()) {
            if (!(source instanceof EnumerablePropertySource<?> enumerable)) {
                continue;
            }
            for (String name : enumerable.getPropertyNames()) {
                if (!name.startsWith(ENDPOINTS_PREFIX)) {
                    continue;
                }
                String key = name.substring(ENDPOINTS_PREFIX.length());
                if (key.startsWith("[") && key.indexOf(']') < 0) {
                    throw invalid(name, enumerable.getProperty(name), "The endpoint key has no closing bracket. In a"
                            + " .properties file an unescaped ':' ends the key, so escape it: "
                            + ENDPOINTS_PREFIX + "[/ledger/entries\\:POST].max-attempts=5.");
                }
                if (!key.startsWith("[") && (key.indexOf('/') >= 0 || key.indexOf(':') >= 0)) {
                    throw invalid(name, enumerable.getProperty(name), "The endpoint key contains '/' or ':' outside"
                            + " brackets, and Spring Boot drops those characters. Put the key in brackets, such as "
                            + ENDPOINTS_PREFIX + "[/ledger/entries:POST].max-attempts, and in YAML also quote it:"
                            + " \"[/ledger/entries:POST]\".");
                }
            }
        }
    }

    private UnaryOperator<RetryConfig> retryOverride(String prefix, Endpoint endpoint, RetryConfig global) {
        Integer maxAttempts = (endpoint.maxAttempts() != null)
                ? requireInRange(prefix + "max-attempts", endpoint.maxAttempts()) : null;
        Duration initialDelay = (endpoint.initialDelay() != null)
                ? requireInRange(prefix + "initial-delay", endpoint.initialDelay()) : null;
        Duration maxDelay = (endpoint.maxDelay() != null)
                ? requireInRange(prefix + "max-delay", endpoint.maxDelay()) : null;
        Double multiplier = (endpoint.backoffMultiplier() != null)
                ? requireInRange(prefix + "backoff-multiplier", endpoint.backoffMultiplier()) : null;
        Jitter jitter = (endpoint.jitter() != null)
                ? requireConstant(prefix + "jitter", endpoint.jitter(), Jitter.class) : null;
        Set<Integer> statusCodes = (endpoint.retryableStatusCodes() != null)
                ? statusCodes(prefix + "retryable-status-codes", endpoint.retryableStatusCodes()) : null;
        Set<String> errors = (endpoint.retryableErrors() != null)
                ? retryableErrors(prefix + "retryable-errors", endpoint.retryableErrors()) : null;
        checkDelayOrder(prefix, initialDelay, maxDelay, global);
        Duration maxRetryAfter = (endpoint.maxRetryAfter() != null)
                ? requireInRange(prefix + "max-retry-after", endpoint.maxRetryAfter()) : null;
        // NOTE: a missing value means "follow the global setting", so an endpoint cannot unset a global max-elapsed.
        Duration maxElapsed = (endpoint.maxElapsed() != null)
                ? requireInRange(prefix + "max-elapsed", endpoint.maxElapsed()) : null;
        UnaryOperator<RetryBudgetConfig> budget = retryBudgetOverride(prefix + "retry-budget.",
                endpoint.retryBudget());
        Set<String> methods = (endpoint.nonIdempotentMethods() != null)
                ? httpMethods(prefix + "non-idempotent-methods", endpoint.nonIdempotentMethods()) : null;
        Boolean idempotent = (endpoint.idempotent() != null)
                ? requireIdempotent(prefix + "idempotent", endpoint.idempotent()) : null;

        Boolean enabled = endpoint.enabled();
        return (base) -> {
            RetryConfig.Builder builder = base.toBuilder();
            if (enabled != null) {
                builder.enabled(enabled);
            }
            if (maxAttempts != null) {
                builder.maxAttempts(maxAttempts);
            }
            if (initialDelay != null) {
                builder.initialDelay(initialDelay);
            }
            if (maxDelay != null) {
                builder.maxDelay(maxDelay);
            }
            if (multiplier != null) {
                builder.backoffMultiplier(multiplier);
            }
            if (jitter != null) {
                builder.jitter(jitter);
            }
            if (statusCodes != null) {
                builder.retryableStatusCodes(statusCodes);
            }
            if (errors != null) {
                builder.retryableErrors(errors);
            }
            if (maxRetryAfter != null) {
                builder.maxRetryAfter(maxRetryAfter);
            }
            if (maxElapsed != null) {
                builder.maxElapsed(maxElapsed);
            }
            if (methods != null) {
                builder.nonIdempotentMethods(methods);
            }
            if (idempotent != null) {
                builder.idempotent(idempotent);
            }
            builder.retryBudget(budget.apply(base.retryBudget()));
            return builder.build();
        };
    }

    private static void checkDelayOrder(String prefix, Duration initialDelay, Duration maxDelay, RetryConfig global) {
        Duration effectiveInitial = (initialDelay != null) ? initialDelay : global.initialDelay();
        Duration effectiveMax = (maxDelay != null) ? maxDelay : global.maxDelay();
        if (effectiveMax.compareTo(effectiveInitial) >= 0) {
            return;
        }
        if (maxDelay != null) {
            String initialSource = (initialDelay != null) ? prefix + "initial-delay" : PREFIX + "initial-delay";
            throw invalid(prefix + "max-delay", maxDelay, "It must not be shorter than " + initialSource + " ("
                    + format(effectiveInitial) + "). Raise max-delay or lower initial-delay.");
        }
        throw invalid(prefix + "initial-delay", initialDelay, "It must not be longer than " + PREFIX + "max-delay ("
                + format(effectiveMax) + "). Lower initial-delay, or also set " + prefix + "max-delay.");
    }

    private static UnaryOperator<CircuitBreakerConfig> circuitOverride(String prefix, EndpointCircuitBreaker circuit,
            CircuitBreakerConfig global) {
        if (circuit == null) {
            return UnaryOperator.identity();
        }
        if (circuit.maxCircuits() != null) {
            throw invalid(prefix + "max-circuits", circuit.maxCircuits(), "It limits all circuits of the application"
                    + " together, so it cannot be set for one circuit. Remove it here and set " + PREFIX
                    + "circuit-breaker.max-circuits instead.");
        }
        Integer failureThreshold = (circuit.failureThreshold() != null)
                ? requireInRange(prefix + "failure-threshold", circuit.failureThreshold()) : null;
        Duration recoveryTimeout = (circuit.recoveryTimeout() != null)
                ? requireInRange(prefix + "recovery-timeout", circuit.recoveryTimeout()) : null;
        Duration monitoringWindow = (circuit.monitoringWindow() != null)
                ? requireInRange(prefix + "monitoring-window", circuit.monitoringWindow()) : null;
        Integer minimumRequests = (circuit.minimumRequestThreshold() != null)
                ? requireInRange(prefix + "minimum-request-threshold", circuit.minimumRequestThreshold()) : null;
        Integer halfOpenMaxCalls = (circuit.halfOpenMaxCalls() != null)
                ? requireInRange(prefix + "half-open-max-calls", circuit.halfOpenMaxCalls()) : null;
        ClientErrorHandling clientErrors = (circuit.clientErrors() != null)
                ? requireConstant(prefix + "client-errors", circuit.clientErrors(), ClientErrorHandling.class) : null;
        Double failureRate = (circuit.failureRateThreshold() != null)
                ? requireInRange(prefix + "failure-rate-threshold", circuit.failureRateThreshold()) : null;
        Double recoveryMultiplier = (circuit.recoveryBackoffMultiplier() != null)
                ? requireInRange(prefix + "recovery-backoff-multiplier", circuit.recoveryBackoffMultiplier()) : null;
        Duration maxRecoveryTimeout = circuit.maxRecoveryTimeout();
        checkRecoveryTimeoutOrder(prefix, recoveryTimeout, maxRecoveryTimeout, global);

        Boolean enabled = circuit.enabled();
        return (base) -> {
            CircuitBreakerConfig.Builder builder = base.toBuilder();
            if (enabled != null) {
                builder.enabled(enabled);
            }
            if (failureThreshold != null) {
                builder.failureThreshold(failureThreshold);
            }
            if (recoveryTimeout != null) {
                builder.recoveryTimeout(recoveryTimeout);
            }
            if (monitoringWindow != null) {
                builder.monitoringWindow(monitoringWindow);
            }
            if (minimumRequests != null) {
                builder.minimumRequestThreshold(minimumRequests);
            }
            if (halfOpenMaxCalls != null) {
                builder.halfOpenMaxCalls(halfOpenMaxCalls);
            }
            if (clientErrors != null) {
                builder.clientErrors(clientErrors);
            }
            if (failureRate != null) {
                builder.failureRateThreshold(failureRate);
            }
            if (recoveryMultiplier != null) {
                builder.recoveryBackoffMultiplier(recoveryMultiplier);
            }
            if (maxRecoveryTimeout != null) {
                builder.maxRecoveryTimeout(maxRecoveryTimeout);
            }
            return builder.build();
        };
    }

    private static void checkRecoveryTimeoutOrder(String prefix, Duration recoveryTimeout, Duration maxRecoveryTimeout,
            CircuitBreakerConfig global) {
        Duration effectiveRecovery = (recoveryTimeout != null) ? recoveryTimeout : global.recoveryTimeout();
        Duration effectiveMax = (maxRecoveryTimeout != null) ? maxRecoveryTimeout : global.maxRecoveryTimeout();
        if (effectiveMax == null || effectiveMax.compareTo(effectiveRecovery) >= 0) {
            return;
        }
        String globalPrefix = PREFIX + "circuit-breaker.";
        if (maxRecoveryTimeout != null) {
            String recoverySource = ((recoveryTimeout != null) ? prefix : globalPrefix) + "recovery-timeout";
            throw invalid(prefix + "max-recovery-timeout", maxRecoveryTimeout, "It must not be shorter than "
                    + recoverySource + " (" + format(effectiveRecovery) + "). Raise max-recovery-timeout or lower"
                    + " recovery-timeout.");
        }
        throw invalid(prefix + "recovery-timeout", recoveryTimeout, "It must not be longer than " + globalPrefix
                + "max-recovery-timeout (" + format(effectiveMax) + "). Lower recovery-timeout, or also set " + prefix
                + "max-recovery-timeout.");
    }

    private static Set<Integer> statusCodes(String name, Set<Integer> codes) {
        Set<Integer> checked = new LinkedHashSet<>();
        for (Integer code : codes) {
            checked.add(requireStatusCode(name, code));
        }
        return checked;
    }

    private Set<String> retryableErrors(String name, Set<String> errors) {
        Set<String> checked = new LinkedHashSet<>();
        for (String error : errors) {
            checked.add(requireRetryableError(name, error));
        }
        return checked;
    }

    private String requireRetryableError(String name, String error) {
        String trimmed = (error != null) ? error.trim() : "";
        if (NetworkError.fromName(trimmed).isPresent()) {
            return trimmed;
        }
        if (trimmed.indexOf('.') < 0) {
            throw invalid(name, error, "Each entry must be a network error (" + RetryConfig.knownErrorNames()
                    + ") or the fully qualified name of an exception class, such as java.net.SocketTimeoutException."
                    + " Correct or remove the entry" + PropertyChecks.defaultOrFollow(name) + ".");
        }
        Class<?> type;
        try {
            type = ClassUtils.forName(trimmed, this.classLoader);
        }
        catch (ClassNotFoundException | LinkageError ex) {
            throw invalid(name, error, "No class named '" + trimmed + "' is on the classpath. Check the spelling and"
                    + " the package, or remove the entry.");
        }
        if (!Throwable.class.isAssignableFrom(type)) {
            throw invalid(name, error, "Class '" + trimmed + "' is not an exception. Name a subclass of"
                    + " java.lang.Throwable, or a network error (" + RetryConfig.knownErrorNames() + ").");
        }
        return trimmed;
    }

    /** Writes the HTTP method of a full key in upper case, as circuit keys have it, and keeps a bare endpoint. */
    private static String normalizeKey(String key) {
        int colon = key.lastIndexOf(':');
        if (colon < 0) {
            return key;
        }
        String method = key.substring(colon + 1).toUpperCase(Locale.ROOT);
        return HTTP_METHODS.contains(method) ? key.substring(0, colon + 1) + method : key;
    }
}
