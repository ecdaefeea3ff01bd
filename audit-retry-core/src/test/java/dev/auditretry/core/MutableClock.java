package dev.auditretry.core;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A clock that stands still until a test advances it. Thread-safe.
 */
public final class MutableClock extends Clock {

    private final AtomicLong epochMillis;

    public MutableClock(Instant start) {
        this.epochMillis = new AtomicLong(start.toEpochMilli());
    }

    public MutableClock() {
        this(Instant.parse("2026-01-01T00:00:00Z"));
    }

    public void advance(Duration duration) {
        this.epochMillis.addAndGet(duration.toMillis());
    }

    @Override
    public long millis() {
        return this.epochMillis.get();
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis());
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("MutableClock is fixed to UTC");
    }
}
