package dev.auditretry.autoconfigure;

import static dev.auditretry.autoconfigure.PropertyChecks.invalid;
import static dev.auditretry.autoconfigure.PropertyChecks.requireAtLeast;
import static dev.auditretry.autoconfigure.PropertyChecks.requireBetween;
import static dev.auditretry.autoconfigure.PropertyChecks.requireBoolean;
import static dev.auditretry.autoconfigure.PropertyChecks.requireFiniteAtLeast;

import dev.auditretry.autoconfigure.AuditRetryProperties.EndpointRetryBudget;
import dev.auditretry.core.RetryBudgetConfig;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * Checks of the overload protection properties (Retry-After limit, deadline, retry budget, non-idempotent methods,
 * failure rate and recovery backoff), shared by the global settings and the overrides of single circuits. Each check
 * reports an invalid value with the full property name, the rejected value, the allowed range and a fix.
 */
final class OverloadSettings {

    // An HTTP method is a token (RFC 9110, section 9.1); this also admits extension methods such as PROPPATCH.
    private static final Pattern HTTP_METHOD_TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

    private static final String BUDGET_ENABLED_FIX = "Set true to limit retries per circuit to a share of its first"
            + " attempts.";

    private OverloadSettings() {
    }

    static RetryBudgetConfig retryBudget(String prefix, AuditRetryProperties.RetryBudget budget) {
        return new RetryBudgetConfig(requireBoolean(prefix + "enabled", budget.enabled(), BUDGET_ENABLED_FIX),
                requireBudgetPercent(prefix + "percent", budget.percent()),
                requireBudgetWindow(prefix + "window", budget.window()),
                requireMinRetriesPerSecond(prefix + "min-retries-per-second", budget.minRetriesPerSecond()));
    }

    /** Returns the change of one circuit's retry budget; each setting left out keeps the global one. */
    static UnaryOperator<RetryBudgetConfig> retryBudgetOverride(String prefix, EndpointRetryBudget budget) {
        if (budget == null) {
            return UnaryOperator.identity();
        }
        Boolean enabled = (budget.enabled() != null)
                ? requireBoolean(prefix + "enabled", budget.enabled(), BUDGET_ENABLED_FIX) : null;
        Double percent = (budget.percent() != null) ? requireBudgetPercent(prefix + "percent", budget.percent()) : null;
        Duration window = (budget.window() != null) ? requireBudgetWindow(prefix + "window", budget.window()) : null;
        Double minRetries = (budget.minRetriesPerSecond() != null)
                ? requireMinRetriesPerSecond(prefix + "min-retries-per-second", budget.minRetriesPerSecond()) : null;

        return (base) -> new RetryBudgetConfig((enabled != null) ? enabled : base.enabled(),
                (percent != null) ? percent : base.percent(), (window != null) ? window : base.window(),
                (minRetries != null) ? minRetries : base.minRetriesPerSecond());
    }

    static Duration requireMaxRetryAfter(String name, Duration value) {
        if (value.isNegative()) {
            throw invalid(name, value, "It must be zero or positive, such as 30s. Set 0 to give up at once on every"
                    + " failure whose Retry-After asks for a wait.");
        }
        return value;
    }

    static Duration requireMaxElapsed(String name, Duration value) {
        return requireAtLeast(name, value, Duration.ofMillis(1), "1ms", "Set a deadline such as 10s, or remove the"
                + " property for no deadline.");
    }

    private static double requireBudgetPercent(String name, double value) {
        return requireBetween(name, value, 1, 1000, "It counts retries per 100 first attempts; set 20 to allow one"
                + " retry per five first attempts.");
    }

    private static Duration requireBudgetWindow(String name, Duration value) {
        return requireAtLeast(name, value, Duration.ofSeconds(1), "1s", "Set a window such as 10s.");
    }

    private static double requireMinRetriesPerSecond(String name, double value) {
        return requireFiniteAtLeast(name, value, 0, "Set 0 to allow retries only within percent, or 1 to always"
                + " allow one retry per second.");
    }

    static boolean requireIdempotent(String name, String value) {
        return requireBoolean(name, value, "Set true only when repeating a request of this endpoint is safe, such as"
                + " a POST with an idempotency key.");
    }

    static double requireFailureRate(String name, double value) {
        return requireBetween(name, value, 0, 100, "It is a percent of the requests inside monitoring-window; set 50"
                + " to open when half of them fail, or 0 to open on failure-threshold failures instead.");
    }

    static double requireRecoveryMultiplier(String name, double value) {
        return requireFiniteAtLeast(name, value, 1, "Set 1 to keep every open time at recovery-timeout, or 2 to"
                + " double it after each failed trial call.");
    }

    static Set<String> httpMethods(String name, Set<String> methods) {
        Set<String> checked = new LinkedHashSet<>();
        for (String method : methods) {
            String trimmed = (method != null) ? method.trim() : "";
            if (!HTTP_METHOD_TOKEN.matcher(trimmed).matches()) {
                throw invalid(name, method, "Each entry must be an HTTP method, such as POST or PATCH, and entries"
                        + " are separated by commas.");
            }
            checked.add(trimmed.toUpperCase(Locale.ROOT));
        }
        return checked;
    }
}
