package dev.auditretry.autoconfigure;

import static java.util.Map.entry;

import java.time.Duration;
import java.util.Map;

/**
 * The allowed ranges of the numeric and duration properties, by path below audit.retry, which is also the path
 * below the key of one circuit. The checks at startup and the failure analysis of a value that does not convert
 * both read the range here, so they always state the same limits.
 */
final class PropertyRules {

    private static final Map<String, Rule> RULES = Map.ofEntries(
            entry("max-attempts", Rule.wholeNumber(1, Integer.MAX_VALUE,
                    "It counts every attempt, the first call included, so 1 calls once without retrying.")),
            entry("initial-delay", Rule.duration(Duration.ZERO, "")),
            entry("max-delay", Rule.duration(Duration.ZERO, "")),
            entry("backoff-multiplier", Rule.number(1, Double.POSITIVE_INFINITY,
                    "1 keeps the wait constant, and 2 doubles it after each failed attempt.")),
            entry("retryable-status-codes", Rule.wholeNumbers(100, 599, "an HTTP status code", "HTTP status codes")),
            entry("max-retry-after", Rule.duration(Duration.ZERO,
                    "0 gives up at once on every failure whose Retry-After asks for a wait.")),
            entry("max-elapsed", Rule.duration(Duration.ofMillis(1),
                    "It limits a whole call, waits included, and without the global property calls have no"
                            + " deadline.")),
            entry("retry-budget.percent", Rule.number(1, 1000,
                    "It counts retries per 100 first attempts, so 20 allows one retry per five first attempts.")),
            entry("retry-budget.window", Rule.duration(Duration.ofSeconds(1), "")),
            entry("retry-budget.min-retries-per-second", Rule.number(0, Double.POSITIVE_INFINITY,
                    "0 allows retries only within percent, and 1 always allows one retry per second.")),
            entry("circuit-breaker.failure-threshold", Rule.wholeNumber(1, Integer.MAX_VALUE,
                    "1 opens the circuit on the first failure once minimum-request-threshold is reached.")),
            entry("circuit-breaker.recovery-timeout", Rule.duration(Duration.ofMillis(1), "")),
            entry("circuit-breaker.monitoring-window", Rule.duration(Duration.ofMillis(1), "")),
            entry("circuit-breaker.minimum-request-threshold", Rule.wholeNumber(1, Integer.MAX_VALUE,
                    "1 lets the circuit open from the first request.")),
            entry("circuit-breaker.half-open-max-calls", Rule.wholeNumber(1, Integer.MAX_VALUE,
                    "1 admits one trial call at a time.")),
            entry("circuit-breaker.failure-rate-threshold", Rule.number(0, 100,
                    "It is a percent of the requests inside monitoring-window: 50 opens the circuit when half of"
                            + " them fail, and 0 opens it on failure-threshold failures instead.")),
            entry("circuit-breaker.recovery-backoff-multiplier", Rule.number(1, Double.POSITIVE_INFINITY,
                    "1 keeps every open time at recovery-timeout, and 2 doubles it after each failed trial call.")),
            entry("circuit-breaker.max-circuits", Rule.wholeNumber(1, Integer.MAX_VALUE,
                    "Set it above the number of endpoint and HTTP method pairs that the application calls.")));

    private PropertyRules() {
    }

    /** Returns the rule of a property path, such as circuit-breaker.failure-threshold, or null when it has none. */
    static Rule forPath(String path) {
        return RULES.get(path);
    }

    enum Kind {
        WHOLE_NUMBER, NUMBER, DURATION
    }

    /**
     * An allowed range. Whole numbers and numbers use minimum and maximum, durations use minimumDuration. The
     * nouns name one value and several values, such as "an HTTP status code" and "HTTP status codes"; advice is a
     * sentence on how the value acts, or empty.
     */
    record Rule(Kind kind, double minimum, double maximum, Duration minimumDuration, String singular, String plural,
            String advice) {

        static Rule wholeNumber(int minimum, int maximum, String advice) {
            return new Rule(Kind.WHOLE_NUMBER, minimum, maximum, null, "a whole number", "whole numbers", advice);
        }

        static Rule wholeNumbers(int minimum, int maximum, String singular, String plural) {
            return new Rule(Kind.WHOLE_NUMBER, minimum, maximum, null, singular, plural, "");
        }

        static Rule number(double minimum, double maximum, String advice) {
            return new Rule(Kind.NUMBER, minimum, maximum, null, "a number", "numbers", advice);
        }

        static Rule duration(Duration minimum, String advice) {
            return new Rule(Kind.DURATION, 0, 0, minimum, "a duration", "durations", advice);
        }

        /** Returns the range as it follows a noun: "from 1 to 2147483647", "of at least 1", "of zero or more". */
        String range() {
            return switch (this.kind) {
                case WHOLE_NUMBER -> "from " + number(this.minimum) + " to " + number(this.maximum);
                case NUMBER -> Double.isInfinite(this.maximum) ? "of at least " + number(this.minimum)
                        : "from " + number(this.minimum) + " to " + number(this.maximum);
                case DURATION -> this.minimumDuration.isZero() ? "of zero or more"
                        : "of at least " + PropertyChecks.format(this.minimumDuration);
            };
        }

        /** Returns the sentence that a value out of range violates, such as "It must be at least 1.". */
        String violation() {
            return switch (this.kind) {
                case WHOLE_NUMBER -> (this.maximum == Integer.MAX_VALUE) ? "It must be at least " + number(this.minimum)
                        + "." : "It must be from " + number(this.minimum) + " to " + number(this.maximum) + ".";
                case NUMBER -> Double.isInfinite(this.maximum)
                        ? "It must be a finite number of at least " + number(this.minimum) + "."
                        : "It must be from " + number(this.minimum) + " to " + number(this.maximum) + ".";
                case DURATION -> this.minimumDuration.isZero() ? "It must be zero or positive."
                        : "It must be at least " + PropertyChecks.format(this.minimumDuration) + ".";
            };
        }

        /** Returns the start of an action that sets a value in range, such as "Set 1 or more". */
        String setInRange() {
            return switch (this.kind) {
                case WHOLE_NUMBER, NUMBER -> (this.maximum == Integer.MAX_VALUE || Double.isInfinite(this.maximum))
                        ? "Set " + number(this.minimum) + " or more"
                        : "Set a value from " + number(this.minimum) + " to " + number(this.maximum);
                case DURATION -> this.minimumDuration.isZero() ? "Set zero or a positive duration"
                        : "Set " + PropertyChecks.format(this.minimumDuration) + " or more";
            };
        }

        boolean contains(double value) {
            return value >= this.minimum && value <= this.maximum && !Double.isInfinite(value);
        }

        boolean contains(Duration value) {
            return value.compareTo(this.minimumDuration) >= 0;
        }

        // Writes 1.0 as 1 and keeps a fraction such as 0.5.
        private static String number(double value) {
            return (value == Math.rint(value)) ? Long.toString((long) value) : Double.toString(value);
        }
    }
}
