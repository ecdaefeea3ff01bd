package dev.auditretry.autoconfigure;

import dev.auditretry.autoconfigure.PropertyRules.Rule;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * Checks single property values and reports an invalid one with
 * {@link InvalidConfigurationPropertyValueException}, whose failure analysis names the property, the rejected value
 * and where it was set. Every reason ends with what to set instead: the allowed range with the default, or, for the
 * setting of one circuit, the global setting that it follows when removed.
 */
final class PropertyChecks {

    private PropertyChecks() {
    }

    /**
     * Returns the exception that reports an invalid value, writing a duration as it is written in a property, such
     * as 500ms.
     */
    static InvalidConfigurationPropertyValueException invalid(String name, Object value, String reason) {
        Object written = (value instanceof Duration duration) ? format(duration) : value;
        return new InvalidConfigurationPropertyValueException(name, written, reason);
    }

    static int requireInRange(String name, int value) {
        Rule rule = rule(name);
        if (!rule.contains(value)) {
            throw invalid(name, value, outOfRange(name, rule));
        }
        return value;
    }

    static double requireInRange(String name, double value) {
        Rule rule = rule(name);
        if (!rule.contains(value)) {
            throw invalid(name, value, outOfRange(name, rule));
        }
        return value;
    }

    static Duration requireInRange(String name, Duration value) {
        Rule rule = rule(name);
        if (!rule.contains(value)) {
            throw invalid(name, value, outOfRange(name, rule));
        }
        return value;
    }

    /** Returns one entry of a list of HTTP status codes, checked against the range of the list's property. */
    static int requireStatusCode(String name, Integer value) {
        Rule rule = rule(name);
        if (value == null || !rule.contains(value)) {
            throw invalid(name, value, "Each entry must be " + rule.singular() + " " + rule.range() + ", such as 503."
                    + " Replace or remove the entry" + defaultOrFollow(name) + ".");
        }
        return value;
    }

    /**
     * Returns the value of a boolean property that binds as a string, so that a value other than true or false
     * fails with the allowed values instead of a conversion error.
     */
    static boolean requireBoolean(String name, String value, String advice) {
        String trimmed = (value != null) ? value.trim() : "";
        if (trimmed.equalsIgnoreCase("true")) {
            return true;
        }
        if (trimmed.equalsIgnoreCase("false")) {
            return false;
        }
        throw invalid(name, value, "It must be true or false. " + advice + " Set true or false"
                + defaultOrFollow(name) + ".");
    }

    /**
     * Returns the constant whose name matches the value, ignoring case and treating a dash as an underscore, so
     * that {@code record-as-failure} selects {@code RECORD_AS_FAILURE}.
     */
    static <E extends Enum<E>> E requireConstant(String name, String value, Class<E> type) {
        Optional<E> match = Optional.empty();
        if (value != null) {
            String normalized = value.trim().replace('-', '_').toUpperCase(Locale.ROOT);
            match = Arrays.stream(type.getEnumConstants()).filter((constant) -> constant.name().equals(normalized))
                    .findFirst();
        }
        return match.orElseThrow(() -> invalid(name, value, "It must be one of " + allowedNames(type) + ". Set one"
                + " of them" + defaultOrFollow(name) + "."));
    }

    /**
     * Returns how the action of a message ends for the property: "; 3 is the default" for a global setting with a
     * default, ", or remove it to follow audit.retry.max-attempts" for the setting of one circuit, and nothing for
     * a global setting without a default.
     */
    static String defaultOrFollow(String name) {
        PropertyTree.Lookup lookup = PropertyTree.get().lookup(ConfigurationPropertyName.of(name), false);
        if (!lookup.isKnown()) {
            return "";
        }
        if (lookup.entryName() != null) {
            return ", or remove it to follow " + PropertyTree.PREFIX + "." + lookup.node().path();
        }
        String defaultValue = lookup.node().defaultValue();
        return (defaultValue != null) ? "; " + defaultValue + " is the default" : "";
    }

    /**
     * Writes a duration as it is written in a property: in its largest whole unit among d, h, m, s, ms, us and ns,
     * such as 500ms, 2s or 1m.
     */
    static String format(Duration duration) {
        if (duration.isNegative()) {
            return "-" + format(duration.negated());
        }
        long seconds = duration.getSeconds();
        int nanos = duration.getNano();
        if (nanos == 0) {
            return formatSeconds(seconds);
        }
        if (seconds > Long.MAX_VALUE / 1_000_000_000L) {
            return duration.toString();
        }
        long totalNanos = seconds * 1_000_000_000L + nanos;
        if (totalNanos % 1_000_000 == 0) {
            return (totalNanos / 1_000_000) + "ms";
        }
        if (totalNanos % 1_000 == 0) {
            return (totalNanos / 1_000) + "us";
        }
        return totalNanos + "ns";
    }

    private static String formatSeconds(long seconds) {
        if (seconds == 0) {
            return "0s";
        }
        if (seconds % 86_400 == 0) {
            return (seconds / 86_400) + "d";
        }
        if (seconds % 3_600 == 0) {
            return (seconds / 3_600) + "h";
        }
        if (seconds % 60 == 0) {
            return (seconds / 60) + "m";
        }
        return seconds + "s";
    }

    static String allowedNames(Class<? extends Enum<?>> type) {
        return Arrays.stream(type.getEnumConstants())
                .map((constant) -> constant.name().toLowerCase(Locale.ROOT).replace('_', '-'))
                .collect(Collectors.joining(", "));
    }

    private static String outOfRange(String name, Rule rule) {
        String advice = rule.advice().isEmpty() ? "" : " " + rule.advice();
        return rule.violation() + advice + " " + rule.setInRange() + defaultOrFollow(name) + ".";
    }

    private static Rule rule(String name) {
        PropertyTree.Node node = PropertyTree.get().find(name);
        Rule rule = (node != null) ? PropertyRules.forPath(node.path()) : null;
        if (rule == null) {
            throw new IllegalStateException("No allowed range is defined for " + name);
        }
        return rule;
    }
}
