package dev.auditretry.autoconfigure.actuate;

import dev.auditretry.core.Sleeper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A clock that moves only when a test advances it, with a sleeper that advances it instead of waiting.
 * Thread-safe, so concurrent calls may share it.
 */
public final class ManualClock extends Clock {

    private final AtomicLong millis;

    public ManualClock(Instant start) {
        this.millis = new AtomicLong(start.toEpochMilli());
    }

    public void advance(Duration duration) {
        this.millis.addAndGet(duration.toMillis());
    }

    /** Returns a sleeper that advances this clock by each wait and returns at once. */
    public Sleeper sleeper() {
        return this::advance;
    }

    @Override
    public long millis() {
        return this.millis.get();
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(this.millis.get());
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("ManualClock is always UTC");
    }
}
