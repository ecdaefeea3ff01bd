package dev.auditretry.autoconfigure;

import dev.auditretry.core.CallOutcome;
import dev.auditretry.core.RetryContext;
import dev.auditretry.core.RetryListener;
import dev.auditretry.core.RetryStop;
import dev.auditretry.core.circuit.CircuitBreakerState;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A retry listener that records every event as a line of text, and the calls that finished.
 */
public final class RecordingRetryListener implements RetryListener {

    private final List<String> events = new CopyOnWriteArrayList<>();

    private final List<FinishedCall> finishedCalls = new CopyOnWriteArrayList<>();

    @Override
    public void onRetryScheduled(RetryContext context, int failedAttempt, Duration delay, Throwable cause) {
        this.events.add("retry scheduled " + context.getCircuitKey() + " after attempt " + failedAttempt);
    }

    @Override
    public void onRetryStopped(RetryContext context, RetryStop reason, int attempts, Throwable failure) {
        this.events.add("retry stopped " + context.getCircuitKey() + " " + reason);
    }

    @Override
    public void onCallFinished(RetryContext context, CallOutcome outcome, int attempts, Duration elapsed,
            Throwable error) {
        this.events.add("call finished " + context.getCircuitKey() + " " + outcome);
        this.finishedCalls.add(new FinishedCall(context.getCircuitKey(), outcome, attempts, error));
    }

    @Override
    public void onCircuitStateChange(String circuitKey, CircuitBreakerState from, CircuitBreakerState to) {
        this.events.add("circuit " + circuitKey + " " + from + " to " + to);
    }

    @Override
    public void onCircuitCreated(String circuitKey) {
        this.events.add("circuit created " + circuitKey);
    }

    @Override
    public void onCircuitRemoved(String circuitKey) {
        this.events.add("circuit removed " + circuitKey);
    }

    public List<String> events() {
        return List.copyOf(this.events);
    }

    public List<FinishedCall> finishedCalls() {
        return List.copyOf(this.finishedCalls);
    }

    public void clear() {
        this.events.clear();
        this.finishedCalls.clear();
    }

    /**
     * One onCallFinished event.
     */
    public record FinishedCall(String circuitKey, CallOutcome outcome, int attempts, Throwable error) {
    }
}
