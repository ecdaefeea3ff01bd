package dev.auditretry.core;

import java.time.Duration;

/**
 * Formats durations for log and exception messages in the unit a reader expects: {@code 400 ms}, {@code 30 s},
 * {@code 5 min}, {@code 2 h}.
 */
public final class Durations {

    private Durations() {
    }

    /**
     * Returns the duration in its largest whole unit, or in milliseconds when no larger unit divides it.
     * @param duration the duration to format
     */
    public static String format(Duration duration) {
        long millis = duration.toMillis();
        if (millis != 0 && millis % 3_600_000 == 0) {
            return (millis / 3_600_000) + " h";
        }
        if (millis != 0 && millis % 60_000 == 0) {
            return (millis / 60_000) + " min";
        }
        if (millis != 0 && millis % 1_000 == 0) {
            return (millis / 1_000) + " s";
        }
        return millis + " ms";
    }
}
