package dev.auditretry.autoconfigure.aop;

import dev.auditretry.core.CallOptions;
import dev.auditretry.core.RetryContext;

/**
 * What an {@code @AuditRetryable} method resolved to: its circuit, its call options and its fallback.
 *
 * @param description the class and method, for messages
 * @param context the circuit that every call passes through
 * @param options the attributes that refine the endpoint's settings
 * @param fallback the fallback method, or null when there is none
 * @param fallbackOnNonRetryable whether the fallback also handles failures that are never retried
 * @param asyncReturnType how calls of a method with an asynchronous return type run, or null when the method returns
 *        its result synchronously
 */
record RetryableMethod(String description, RetryContext context, CallOptions options, FallbackMethod fallback,
        boolean fallbackOnNonRetryable, AsyncReturnType asyncReturnType) {
}
