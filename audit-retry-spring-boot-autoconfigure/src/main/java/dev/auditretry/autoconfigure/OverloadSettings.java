package dev.auditretry.autoconfigure;

import static dev.auditretry.autoconfigure.PropertyChecks.defaultOrFollow;
import static dev.auditretry.autoconfigure.PropertyChecks.invalid;
import static dev.auditretry.autoconfigure.PropertyChecks.requireBoolean;
import static dev.auditretry.autoconfigure.PropertyChecks.requireInRange;

import dev.auditretry.autoconfigure.AuditRetryProperties.EndpointRetryBudget;
import dev.auditretry.core.RetryBudgetConfig;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * Checks of the overload protection properties that have no range of their own (retry budget, idempotency and
 * non-idempotent methods), shared by the global settings and the overrides of single circuits. Each check reports
 * an invalid value with the full property name, the rejected value, the allowed values and a fix.
 */
final class OverloadSettings {

    // An HTTP method is a token (RFC 9110, section 9.1); this also admits extension methods such as PROPPATCH.
    private static final Pattern HTTP_METHOD_TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

    private static final String BUDGET_ENABLED_ADVICE = "With true, the retries of each circuit are limited to a"
            + " share of its first attempts.";

    private OverloadSettings() {
    }

    static RetryBudgetConfig retryBudget(String prefix, AuditRetryProperties.RetryBudget budget) {
        return new RetryBudgetConfig(requireBoolean(prefix + "enabled", budget.enabled(), BUDGET_ENABLED_ADVICE),
                requireInRange(prefix + "percent", budget.percent()),
                requireInRange(prefix + "window", budget.window()),
                requireInRange(prefix + "min-retries-per-second", budget.minRetriesPerSecond()));
    }

    /** Returns the change of one circuit's retry budget; each setting left out keeps the global one. */
    static UnaryOperator<RetryBudgetConfig> retryBudgetOverride(String prefix, EndpointRetryBudget budget) {
        if (budget == null) {
            return UnaryOperator.identity();
        }
        Boolean enabled = (budget.enabled() != null)
                ? requireBoolean(prefix + "enabled", budget.enabled(), BUDGET_ENABLED_ADVICE) : null;
        Double percent = (budget.percent() != null) ? requireInRange(prefix + "percent", budget.percent()) : null;
        Duration window = (budget.window() != null) ? requireInRange(prefix + "window", budget.window()) : null;
        Double minRetries = (budget.minRetriesPerSecond() != null)
                ? requireInRange(prefix + "min-retries-per-second", budget.minRetriesPerSecond()) : null;

        return (base) -> new RetryBudgetConfig((enabled != null) ? enabled : base.enabled(),
                (percent != null) ? percent : base.percent(), (window != null) ? window : base.window(),
                (minRetries != null) ? minRetries : base.minRetriesPerSecond());
    }

    static boolean requireIdempotent(String name, String value) {
        return requireBoolean(name, value, "Use true only when repeating a request of this endpoint is safe, such as"
                + " a POST with an idempotency key.");
    }

    static Set<String> httpMethods(String name, Set<String> methods) {
        Set<String> checked = new LinkedHashSet<>();
        for (String method : methods) {
            String trimmed = (method != null) ? method.trim() : "";
            if (!HTTP_METHOD_TOKEN.matcher(trimmed).matches()) {
                throw invalid(name, method, "Each entry must be an HTTP method, such as POST or PATCH, and entries"
                        + " are separated by commas. Correct or remove the entry" + defaultOrFollow(name) + ".");
            }
            checked.add(trimmed.toUpperCase(Locale.ROOT));
        }
        return checked;
    }
}
