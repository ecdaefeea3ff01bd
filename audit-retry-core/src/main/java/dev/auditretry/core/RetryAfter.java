package dev.auditretry.core;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Parses the value of an HTTP Retry-After header: delta seconds or an HTTP date (RFC 9110, section 10.2.3).
 */
public final class RetryAfter {

    // RFC 9110 requires recipients to accept the IMF-fixdate and the two obsolete date formats.
    private static final List<DateTimeFormatter> HTTP_DATE_FORMATS = List.of(
            DateTimeFormatter.RFC_1123_DATE_TIME,
            DateTimeFormatter.ofPattern("EEEE, dd-MMM-yy HH:mm:ss zzz", Locale.US),
            DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", Locale.US).withZone(java.time.ZoneOffset.UTC));

    private RetryAfter() {
    }

    /**
     * Returns the wait that a Retry-After value requests, rounded up to whole seconds.
     * @param value the header value
     * @param now the current time, for HTTP dates
     * @return the wait, or empty when the value cannot be parsed or names a time that has passed
     */
    public static Optional<Duration> parse(String value, Instant now) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        String trimmed = value.trim();
        if (trimmed.chars().allMatch(Character::isDigit)) {
            return parseSeconds(trimmed);
        }
        return parseDate(trimmed).map((date) -> Duration.between(now, date)).filter((wait) -> !wait.isNegative())
                .map(RetryAfter::roundUpToSeconds);
    }

    private static Optional<Duration> parseSeconds(String digits) {
        try {
            long seconds = Long.parseLong(digits);
            return Optional.of(Duration.ofSeconds(seconds));
        }
        catch (NumberFormatException | ArithmeticException ex) {
            return Optional.empty();
        }
    }

    private static Optional<Instant> parseDate(String text) {
        for (DateTimeFormatter format : HTTP_DATE_FORMATS) {
            try {
                return Optional.of(ZonedDateTime.parse(text, format).toInstant());
            }
            catch (DateTimeParseException ex) {
                // Try the next format.
            }
        }
        return Optional.empty();
    }

    private static Duration roundUpToSeconds(Duration wait) {
        Duration whole = Duration.ofSeconds(wait.getSeconds());
        return whole.equals(wait) ? whole : whole.plusSeconds(1);
    }
}
