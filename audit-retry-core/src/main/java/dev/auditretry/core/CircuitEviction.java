package dev.auditretry.core;

import dev.auditretry.core.circuit.CircuitBreakerState;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the number of circuits of a {@link RetryManager} at its maxCircuits bound by removing the least recently
 * used CLOSED circuits. OPEN and HALF_OPEN circuits are never removed, because they protect a failing service.
 * <p>
 * One pass removes a tenth of the bound more than needed, so that a stream of new keys, such as endpoints that
 * contain ids, pays for one scan per batch instead of one per key.
 */
final class CircuitEviction {

    private static final Logger logger = LoggerFactory.getLogger(RetryManager.class);

    private static final long WARNING_INTERVAL_MILLIS = 60_000;

    private final RetryManager manager;

    private final ReentrantLock lock = new ReentrantLock();

    private long lastWarningMillis = Long.MIN_VALUE;

    private long evictedSinceWarning;

    CircuitEviction(RetryManager manager) {
        this.manager = manager;
    }

    /**
     * Removes least recently used CLOSED circuits until at most maxCircuits remain, sparing the one just created.
     * A thread that finds another one evicting returns at once.
     */
    // NOTE: while one thread evicts, others that create circuits skip eviction, so the count can exceed the bound
    // by the number of threads creating circuits at that moment until the next creation.
    void evict(ConcurrentHashMap<String, Endpoint> endpoints, int maxCircuits, Endpoint justCreated) {
        if (!this.lock.tryLock()) {
            return;
        }
        List<String> removed = new ArrayList<>();
        try {
            int excess = endpoints.size() - maxCircuits;
            if (excess <= 0) {
                return;
            }
            int target = Math.min(endpoints.size() - 1, excess + maxCircuits / 10);
            List<Map.Entry<String, Endpoint>> closed = new ArrayList<>(endpoints.size());
            for (Map.Entry<String, Endpoint> entry : endpoints.entrySet()) {
                Endpoint endpoint = entry.getValue();
                if (endpoint != justCreated && endpoint.circuitBreaker().getState() == CircuitBreakerState.CLOSED) {
                    closed.add(entry);
                }
            }
            closed.sort(Comparator.comparingLong((Map.Entry<String, Endpoint> entry) -> entry.getValue().lastUsedMillis()));
            for (Map.Entry<String, Endpoint> entry : closed) {
                if (removed.size() >= target) {
                    break;
                }
                if (entry.getValue().circuitBreaker().getState() == CircuitBreakerState.CLOSED
                        && endpoints.remove(entry.getKey(), entry.getValue())) {
                    removed.add(entry.getKey());
                }
            }
            warnIfDue(removed, maxCircuits);
        }
        finally {
            this.lock.unlock();
        }
        for (String key : removed) {
            this.manager.notifyCircuitRemoved(key);
        }
    }

    private void warnIfDue(List<String> removed, int maxCircuits) {
        this.evictedSinceWarning += removed.size();
        long nowMillis = this.manager.clock().millis();
        if (removed.isEmpty()
                || (this.lastWarningMillis != Long.MIN_VALUE && nowMillis - this.lastWarningMillis < WARNING_INTERVAL_MILLIS)) {
            return;
        }
        logger.warn("Removed {} least recently used circuits because more than {} exist, for example '{}'. If "
                + "endpoint names contain ids, name the endpoint by its route template instead, or raise "
                + "audit.retry.circuit-breaker.max-circuits", this.evictedSinceWarning, maxCircuits, removed.get(0));
        this.lastWarningMillis = nowMillis;
        this.evictedSinceWarning = 0;
    }
}
