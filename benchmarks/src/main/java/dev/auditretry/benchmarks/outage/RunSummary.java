package dev.auditretry.benchmarks.outage;

import java.util.List;

/**
 * The numbers that one run reports.
 *
 * @param name the library and its settings
 * @param callsDuringOutage client calls issued while the backend was failing
 * @param requestsDuringOutage backend requests made by those calls, retries included
 * @param callsReachingBackend those of the calls that sent at least one request
 * @param circuitOpenedAtMillis when the circuit first opened after the outage began, or -1 if it never did
 * @param callsBeforeOpen calls that sent a failing request before the circuit opened; all failing calls when it
 *        never opened
 * @param firstSuccessAfterRecoveryMillis when the first call after the recovery succeeded, or -1 if none did
 * @param unsuccessfulCallsAfterRecovery calls issued after the recovery that still failed or were rejected
 * @param succeeded calls issued during the outage that succeeded
 * @param failed calls issued during the outage that returned the backend's failure
 * @param rejected calls issued during the outage that the circuit rejected
 */
record RunSummary(String name, int callsDuringOutage, int requestsDuringOutage, int callsReachingBackend,
        long circuitOpenedAtMillis, int callsBeforeOpen, long firstSuccessAfterRecoveryMillis,
        int unsuccessfulCallsAfterRecovery, int succeeded, int failed, int rejected) {

    static RunSummary of(String name, RunLog log) {
        OutageScenario scenario = log.scenario();
        long openedAt = log.stateChanges().stream()
                .filter((change) -> change.state() == CircuitState.OPEN)
                .filter((change) -> change.atMillis() >= scenario.outageStartMillis())
                .mapToLong(RunLog.StateChange::atMillis)
                .findFirst()
                .orElse(-1);
        long openedOrNever = (openedAt >= 0) ? openedAt : Long.MAX_VALUE;

        List<CallLog> duringOutage = log.calls().stream().filter((call) -> scenario.isOutage(call.startMillis)).toList();
        int requests = duringOutage.stream().mapToInt((call) -> call.requests).sum();
        int reaching = (int) duringOutage.stream().filter((call) -> call.requests > 0).count();
        int beforeOpen = (int) log.calls().stream().filter((call) -> call.firstFailedRequestMillis < openedOrNever).count();

        long firstSuccess = log.calls().stream()
                .filter((call) -> call.outcome == CallLog.Outcome.SUCCEEDED)
                .filter((call) -> call.endMillis >= scenario.outageEndMillis())
                .mapToLong((call) -> call.endMillis)
                .min()
                .orElse(-1);
        int unsuccessfulAfter = (int) log.calls().stream()
                .filter((call) -> call.startMillis >= scenario.outageEndMillis())
                .filter((call) -> call.outcome != CallLog.Outcome.SUCCEEDED)
                .count();

        return new RunSummary(name, duringOutage.size(), requests, reaching, openedAt, beforeOpen, firstSuccess,
                unsuccessfulAfter, count(duringOutage, CallLog.Outcome.SUCCEEDED),
                count(duringOutage, CallLog.Outcome.FAILED), count(duringOutage, CallLog.Outcome.REJECTED));
    }

    /** Returns the backend requests per client call during the outage: the retry amplification. */
    double requestsPerCall() {
        return (double) this.requestsDuringOutage / this.callsDuringOutage;
    }

    /** Returns the backend requests per call that the circuit let through during the outage. */
    double requestsPerAdmittedCall() {
        return (this.callsReachingBackend == 0) ? 0 : (double) this.requestsDuringOutage / this.callsReachingBackend;
    }

    private static int count(List<CallLog> calls, CallLog.Outcome outcome) {
        return (int) calls.stream().filter((call) -> call.outcome == outcome).count();
    }
}
