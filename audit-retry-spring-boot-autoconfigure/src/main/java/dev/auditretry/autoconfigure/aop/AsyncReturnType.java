package dev.auditretry.autoconfigure.aop;

import dev.auditretry.core.CallOptions;

/**
 * An asynchronous return type that {@code @AuditRetryable} methods may declare: how the advice runs their calls, and
 * which return types their fallback methods may declare.
 */
interface AsyncReturnType {

    /**
     * Returns whether this runs the calls of methods declared to return this type.
     * @param declaredType the method's declared return type
     */
    boolean supports(Class<?> declaredType);

    /**
     * Returns the supertype whose type argument is the element type, such as {@code CompletionStage} for
     * {@code CompletableFuture<String>}, whose element type is {@code String}.
     */
    Class<?> elementCarrier();

    /**
     * Returns whether a fallback method declared to return this type can stand in for the annotated method's result.
     * @param fallbackType a subtype of {@link #elementCarrier()}
     */
    boolean acceptsFallbackType(Class<?> fallbackType);

    /**
     * Returns the call options that the manager applies to the method's calls.
     * @param declared the options declared by the annotation
     */
    default CallOptions callOptions(CallOptions declared) {
        return declared;
    }

    /**
     * Returns what the proxy returns to the caller for one call of the method.
     * @param invocation the call, which the returned object starts once or per subscription
     */
    Object call(AsyncRetryableInvocation invocation);
}
