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

    static String allowedNames(Class<? extends Enum<?>> type) {
        return Arrays.stream(type.getEnumConstants())
                .map((constant) -> constant.name().toLowerCase(Locale.ROOT).replace('_', '-'))
                .collect(Collectors.joining(", "));
    }
}
