package dev.auditretry.autoconfigure;

import dev.auditretry.autoconfigure.PropertyRules.Kind;
import dev.auditretry.autoconfigure.PropertyRules.Rule;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.Locale;
import java.util.stream.Collectors;
import org.springframework.core.ResolvableType;

/**
 * Describes in words the values that a property of a given type accepts, such as "a whole number from 1 to
 * 2147483647" or "a comma-separated list of HTTP status codes from 100 to 599", with the range of the property's
 * rule when it has one.
 */
final class ExpectedValues {

    private static final String DURATION_EXAMPLES = "such as 500ms, 2s or 1m; a bare number means milliseconds";

    private ExpectedValues() {
    }

    /**
     * Describes one value of the type.
     * @param type the type that the property binds to
     * @param rule the property's allowed range, or null when it has none
     * @param withExamples whether a duration is followed by examples of how to write it
     */
    static String describe(ResolvableType type, Rule rule, boolean withExamples) {
        Class<?> raw = type.toClass();
        if (raw.isArray() || Collection.class.isAssignableFrom(raw)) {
            ResolvableType element = raw.isArray() ? type.getComponentType() : type.asCollection().getGeneric(0);
            return "a comma-separated list of " + describeSeveral(element, rule, withExamples);
        }
        if (raw == boolean.class || raw == Boolean.class) {
            return "true or false";
        }
        if (isWholeNumber(raw)) {
            return noun(rule, Kind.WHOLE_NUMBER, "a whole number", true) + " " + wholeRange(raw, rule);
        }
        if (isNumber(raw)) {
            return noun(rule, Kind.NUMBER, "a number", true) + range(rule, Kind.NUMBER);
        }
        if (raw == Duration.class) {
            return "a duration" + range(rule, Kind.DURATION) + (withExamples ? ", " + DURATION_EXAMPLES : "");
        }
        if (raw.isEnum()) {
            return "one of " + enumNames(raw);
        }
        if (raw.isRecord()) {
            return "a group of settings set one by one below the property, not a single value";
        }
        return "a value of type " + raw.getSimpleName();
    }

    private static String describeSeveral(ResolvableType type, Rule rule, boolean withExamples) {
        Class<?> raw = type.toClass();
        if (isWholeNumber(raw)) {
            return noun(rule, Kind.WHOLE_NUMBER, "whole numbers", false) + " " + wholeRange(raw, rule);
        }
        if (isNumber(raw)) {
            return noun(rule, Kind.NUMBER, "numbers", false) + range(rule, Kind.NUMBER);
        }
        if (raw == Duration.class) {
            return "durations" + range(rule, Kind.DURATION) + (withExamples ? ", " + DURATION_EXAMPLES : "");
        }
        if (raw == boolean.class || raw == Boolean.class) {
            return "true or false values";
        }
        if (raw.isEnum()) {
            return "values out of " + enumNames(raw);
        }
        return "values of type " + raw.getSimpleName();
    }

    private static String noun(Rule rule, Kind kind, String fallback, boolean singular) {
        if (rule == null || rule.kind() != kind) {
            return fallback;
        }
        return singular ? rule.singular() : rule.plural();
    }

    private static String wholeRange(Class<?> type, Rule rule) {
        if (rule != null && rule.kind() == Kind.WHOLE_NUMBER) {
            return rule.range();
        }
        boolean isLong = type == long.class || type == Long.class;
        return "from " + (isLong ? Long.MIN_VALUE : Integer.MIN_VALUE) + " to "
                + (isLong ? Long.MAX_VALUE : Integer.MAX_VALUE);
    }

    private static String range(Rule rule, Kind kind) {
        return (rule != null && rule.kind() == kind) ? " " + rule.range() : "";
    }

    private static boolean isWholeNumber(Class<?> type) {
        return type == int.class || type == Integer.class || type == long.class || type == Long.class;
    }

    private static boolean isNumber(Class<?> type) {
        return type == double.class || type == Double.class || type == float.class || type == Float.class;
    }

    private static String enumNames(Class<?> type) {
        return Arrays.stream(type.getEnumConstants())
                .map((constant) -> ((Enum<?>) constant).name().toLowerCase(Locale.ROOT).replace('_', '-'))
                .collect(Collectors.joining(", "));
    }
}
