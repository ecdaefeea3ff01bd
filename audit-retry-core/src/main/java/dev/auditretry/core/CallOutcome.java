package dev.auditretry.core;

/**
 * The way a call through {@link RetryManager} ended, as reported to listeners and metrics.
 */
public enum CallOutcome {

    /** The first attempt succeeded. */
    SUCCESS_WITHOUT_RETRY,

    /** An attempt after one or more retries succeeded. */
    SUCCESS_AFTER_RETRY,

    /** The only attempt failed, and the failure was not retried. */
    FAILED_WITHOUT_RETRY,

    /** The last of several attempts failed. */
    FAILED_AFTER_RETRY,

    /** A circuit rejected an attempt, before the first one or between retries. */
    REJECTED
}
