package dev.auditretry.autoconfigure;

import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * Checks single property values and reports an invalid one with
 * {@link InvalidConfigurationPropertyValueException}, whose failure analysis names the property, the rejected value
 * and where it was set.
 */
final class PropertyChecks {

    private PropertyChecks() {
    }

    static InvalidConfigurationPropertyValueException invalid(String name, Object value, String reason) {
        return new InvalidConfigurationPropertyValueException(name, value, reason);
    }

    static int requireAtLeastOne(String name, int value, String fix) {
        if (value < 1) {
            throw invalid(name, value, fix.isEmpty() ? "It must be at least 1." : "It must be at least 1. " + fix);
        }
        return value;
    }

    static Duration requireZeroOrPositive(String name, Duration value, String example) {
        if (value.isNegative()) {
            throw invalid(name, value, "It must be zero or positive, such as " + example + ".");
        }
        return value;
    }

    static Duration requireAtLeastOneMillisecond(String name, Duration value, String example) {
        if (value.toMillis() < 1) {
            throw invalid(name, value, "It must be at least 1ms, such as " + example + ".");
        }
        return value;
    }

    static double requireMultiplier(String name, double value) {
        if (!(value >= 1.0) || Double.isInfinite(value)) {
            throw invalid(name, value, "It must be a finite number of at least 1. Set 1 for a constant wait, or 2 to"
                    + " double the wait after each failed attempt.");
        }
        return value;
    }

    /**
     * Returns the value of a boolean property that binds as a string, so that a value other than true or false
     * fails with the allowed values instead of a conversion error.
     */
    static boolean requireBoolean(String name, String value, String fix) {
        String trimmed = (value != null) ? value.trim() : "";
        if (trimmed.equalsIgnoreCase("true")) {
            return true;
        }
        if (trimmed.equalsIgnoreCase("false")) {
            return false;
        }
        throw invalid(name, value, "It must be true or false. " + fix);
    }

    static double requireFiniteAtLeast(String name, double value, double minimum, String fix) {
        if (!(value >= minimum) || Double.isInfinite(value)) {
            throw invalid(name, value, "It must be a finite number of at least " + format(minimum) + ". " + fix);
        }
        return value;
    }

    static double requireBetween(String name, double value, double minimum, double maximum, String fix) {
        if (!(value >= minimum && value <= maximum)) {
            throw invalid(name, value, "It must be from " + format(minimum) + " to " + format(maximum) + ". " + fix);
        }
        return value;
    }

    static Duration requireAtLeast(String name, Duration value, Duration minimum, String minimumText, String fix) {
        if (value.compareTo(minimum) < 0) {
            throw invalid(name, value, "It must be at least " + minimumText + ". " + fix);
        }
        return value;
    }

    static int requireStatusCode(String name, Integer value) {
        if (value == null || value < 100 || value > 599) {
            throw invalid(name, value, "Each entry must be an HTTP status code from 100 to 599, such as 503.");
        }
        return value;
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
        return match.orElseThrow(() -> invalid(name, value, "It must be one of " + allowedNames(type) + "."));
    }

    // Writes 1.0 as 1 and keeps a fraction such as 0.5.
    private static String format(double value) {
        return (value == Math.rint(value)) ? Long.toString((long) value) : Double.toString(value);
    }

    static String allowedNames(Class<? extends Enum<?>> type) {
        return Arrays.stream(type.getEnumConstants())
                .map((constant) -> constant.name().toLowerCase(Locale.ROOT).replace('_', '-'))
                .collect(Collectors.joining(", "));
    }
}
