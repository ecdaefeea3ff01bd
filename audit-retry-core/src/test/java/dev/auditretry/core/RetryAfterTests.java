package dev.auditretry.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RetryAfterTests {

    private static final Instant NOW = Instant.parse("2026-12-04T10:00:00.300Z");

    @Test
    void parsesDeltaSeconds() {
        assertThat(RetryAfter.parse("120", NOW)).contains(Duration.ofSeconds(120));
        assertThat(RetryAfter.parse(" 0 ", NOW)).contains(Duration.ZERO);
    }

    @Test
    void parsesTheThreeHttpDateFormatsRoundingUp() {
        assertThat(RetryAfter.parse("Fri, 04 Dec 2026 10:00:05 GMT", NOW)).contains(Duration.ofSeconds(5));
        assertThat(RetryAfter.parse("Friday, 04-Dec-26 10:00:05 GMT", NOW)).contains(Duration.ofSeconds(5));
        assertThat(RetryAfter.parse("Fri Dec  4 10:00:05 2026", NOW)).contains(Duration.ofSeconds(5));
    }

    @Test
    void ignoresPastDatesAndUnparseableValues() {
        assertThat(RetryAfter.parse("Fri, 04 Dec 2026 09:59:00 GMT", NOW)).isEmpty();
        assertThat(RetryAfter.parse("soon", NOW)).isEmpty();
        assertThat(RetryAfter.parse("-5", NOW)).isEmpty();
        assertThat(RetryAfter.parse("1.5", NOW)).isEmpty();
        assertThat(RetryAfter.parse("99999999999999999999999", NOW)).isEmpty();
        assertThat(RetryAfter.parse("", NOW)).isEmpty();
        assertThat(RetryAfter.parse(null, NOW)).isEmpty();
    }
}
