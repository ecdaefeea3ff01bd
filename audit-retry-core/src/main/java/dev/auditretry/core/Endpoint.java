package dev.auditretry.core;

import dev.auditretry.core.circuit.CircuitBreaker;
import dev.auditretry.core.circuit.CircuitStateListener;
import dev.auditretry.core.circuit.RetryBudget;
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

    // Replaced only under refreshLock, when the budget settings change; null while the budget is disabled.
    private volatile RetryBudget retryBudget;

    private volatile long lastUsedMillis;

    Endpoint(RetryContext context, Settings settings, Clock clock, CircuitStateListener listener) {
        this.context = context.withRequestId(null);
        this.resolved = settings.resolve(this.context);
        this.circuitBreaker = new CircuitBreaker(context.getCircuitKey(), this.resolved.circuitBreaker(), clock,
                listener);
        this.retryBudget = newBudget(this.resolved.retry().retryBudget());
        this.lastUsedMillis = clock.millis();
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
                Settings.Resolved previous = cached;
                cached = current.resolve(this.context);
                this.circuitBreaker.updateConfig(cached.circuitBreaker());
                if (!previous.retry().retryBudget().equals(cached.retry().retryBudget())) {
                    this.retryBudget = newBudget(cached.retry().retryBudget());
                }
                this.resolved = cached;
            }
            return cached;
        }
        finally {
            this.refreshLock.unlock();
        }
    }

    /** Returns the retry budget, or null while the endpoint's budget is disabled. */
    RetryBudget retryBudget() {
        return this.retryBudget;
    }

    // Writes only when the time changed, so that threads sharing a busy endpoint rarely contend for its cache line.
    void markUsed(long nowMillis) {
        if (this.lastUsedMillis != nowMillis) {
            this.lastUsedMillis = nowMillis;
        }
    }

    long lastUsedMillis() {
        return this.lastUsedMillis;
    }

    private static RetryBudget newBudget(RetryBudgetConfig config) {
        return config.enabled() ? new RetryBudget(config.percent(), config.window(), config.minRetriesPerSecond())
                : null;
    }

    CircuitBreaker circuitBreaker() {
        return this.circuitBreaker;
    }

    RetryContext context() {
        return this.context;
    }
}
