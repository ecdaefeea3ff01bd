package dev.auditretry.benchmarks.outage;

import java.util.ArrayList;
import java.util.List;

/**
 * Records one simulation run: every call, the backend requests per interval of the timeline, and the circuit's
 * state changes.
 */
final class RunLog {

    private final OutageScenario scenario;

    private final List<CallLog> calls = new ArrayList<>();

    private final List<StateChange> stateChanges = new ArrayList<>();

    private final int[] firstRequests;

    private final int[] retryRequests;

    RunLog(OutageScenario scenario, boolean circuitEnabled) {
        this.scenario = scenario;
        // Room for a minute after the last call starts: a call waits at most 1 s + 2 s between its 3 attempts.
        int buckets = (int) ((scenario.lastCallMillis() + 60_000) / scenario.bucketMillis());
        this.firstRequests = new int[buckets];
        this.retryRequests = new int[buckets];
        if (circuitEnabled) {
            this.stateChanges.add(new StateChange(0, CircuitState.CLOSED));
        }
    }

    CallLog startCall(long nowMillis) {
        CallLog call = new CallLog(nowMillis);
        this.calls.add(call);
        return call;
    }

    void recordRequest(CallLog call, long sentMillis, boolean failing) {
        int bucket = (int) (sentMillis / this.scenario.bucketMillis());
        if (call.requests == 0) {
            this.firstRequests[bucket]++;
        }
        else {
            this.retryRequests[bucket]++;
        }
        call.requests++;
        if (failing) {
            call.firstFailedRequestMillis = Math.min(call.firstFailedRequestMillis, sentMillis);
        }
    }

    void finishCall(CallLog call, long nowMillis, CallLog.Outcome outcome) {
        call.endMillis = nowMillis;
        call.outcome = outcome;
    }

    void recordStateChange(long nowMillis, CircuitState state) {
        this.stateChanges.add(new StateChange(nowMillis, state));
    }

    List<CallLog> calls() {
        return this.calls;
    }

    List<StateChange> stateChanges() {
        return this.stateChanges;
    }

    int[] firstRequests() {
        return this.firstRequests;
    }

    int[] retryRequests() {
        return this.retryRequests;
    }

    OutageScenario scenario() {
        return this.scenario;
    }

    /**
     * A transition of the circuit.
     * @param atMillis logical milliseconds since the simulation began
     * @param state the state entered
     */
    record StateChange(long atMillis, CircuitState state) {
    }
}
