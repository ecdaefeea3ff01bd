package dev.auditretry.benchmarks.outage;

/**
 * What happened to one client call: when it started and ended, how it ended, and the backend requests it made.
 */
final class CallLog {

    final long startMillis;

    int requests;

    long firstFailedRequestMillis = Long.MAX_VALUE;

    long endMillis = -1;

    Outcome outcome;

    CallLog(long startMillis) {
        this.startMillis = startMillis;
    }

    /** How a call ended. */
    enum Outcome {

        /** The caller got a response. */
        SUCCEEDED,

        /** The caller got the backend's failure, after retries or with retrying stopped. */
        FAILED,

        /** The circuit rejected an attempt, so the caller got the circuit's exception. */
        REJECTED
    }
}
