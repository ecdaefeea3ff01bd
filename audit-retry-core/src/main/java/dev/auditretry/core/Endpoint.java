package dev.auditretry.core;

import dev.auditretry.core.circuit.CircuitBreaker;
import dev.auditretry.core.circuit.CircuitStateListener;
import java.time.Clock;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One circuit key of a {@link RetryManager}: its circuit and its resolved settings, refreshed when the
 * manager's settings change.
 */
final class Endpoint {

    private final RetryContext context;

    private final CircuitBreaker circuitBreaker;

    // Serializes refreshes so that the newest settings are installed last, in the circuit too.
    private final ReentrantLock refreshLock = new ReentrantLock();

    private volatile Settings.Resolved resolved;

    Endpoint(RetryContext context, Settings settings, Clock clock, CircuitStateListener listener) {
        this.context = context.withRequestId(null);
        this.resolved = settings.resolve(this.context);
        this.circuitBreaker = new CircuitBreaker(context.getCircuitKey(), this.resolved.circuitBreaker(), clock,
                listener);
    }

    /**
     * Returns the endpoint's settings, resolved again first when the given global settings are newer than those
     * they were resolved from. A caller holding older global settings gets the newer resolved ones.
     */
    Settings.Resolved settings(Settings current) {
        Settings.Resolved cached = this.resolved;
        if (cached.source().version() >= current.version()) {
            return cached;
        }
        this.refreshLock.lock();
        try {
            cached = this.resolved;
            if (cached.source().version() < current.version()) {
                cached = current.resolve(this.context);
                this.circuitBreaker.updateConfig(cached.circuitBreaker());
                this.resolved = cached;
            }
            return cached;
        }
        finally {
            this.refreshLock.unlock();
        }
    }

    CircuitBreaker circuitBreaker() {
        return this.circuitBreaker;
    }

    RetryContext context() {
        return this.context;
    }
}
