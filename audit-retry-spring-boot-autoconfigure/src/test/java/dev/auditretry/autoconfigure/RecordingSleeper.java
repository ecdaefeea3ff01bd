package dev.auditretry.autoconfigure;

import dev.auditretry.core.Sleeper;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A sleeper that records each wait and advances a {@link MutableClock} instead of sleeping.
 */
public final class RecordingSleeper implements Sleeper {

    private final MutableClock clock;

    private final List<Duration> waits = new CopyOnWriteArrayList<>();

    public RecordingSleeper(MutableClock clock) {
        this.clock = clock;
    }

    @Override
    public void sleep(Duration duration) {
        this.waits.add(duration);
        this.clock.advance(duration);
    }

    public List<Duration> waits() {
        return List.copyOf(this.waits);
    }

    public void clear() {
        this.waits.clear();
    }
}
