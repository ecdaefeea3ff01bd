package dev.auditretry.core.circuit;

/**
 * The way a circuit records a client error (an HTTP 4xx that is not retryable, such as 400 or 404).
 */
public enum ClientErrorHandling {

    /** Neither success nor failure: the request was wrong, which shows nothing about the service's health. */
    IGNORE,

    /** A success: the service was up and sent a response. */
    RECORD_AS_SUCCESS,

    /** A failure, for services that return 4xx when they are overloaded or broken. */
    RECORD_AS_FAILURE
}
