package dev.auditretry.autoconfigure.aop;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Runs the calls of methods declared to return {@link CompletableFuture} or {@link CompletionStage}. The caller gets
 * a {@link CompletableFuture} in both cases, at once; the method's first attempt runs on the calling thread before
 * the proxy returns.
 */
final class CompletionStageReturnType implements AsyncReturnType {

    static final CompletionStageReturnType INSTANCE = new CompletionStageReturnType();

    private static final AsyncRetryableInvocation.Stages STAGES = new AsyncRetryableInvocation.Stages() {

        @Override
        public CompletionStage<?> ofAttempt(Object returned) {
            return (CompletionStage<?>) returned;
        }

        @Override
        public CompletionStage<?> ofFallback(Object returned) {
            return (CompletionStage<?>) returned;
        }
    };

    private CompletionStageReturnType() {
    }

    @Override
    public boolean supports(Class<?> declaredType) {
        return declaredType == CompletableFuture.class || declaredType == CompletionStage.class;
    }

    @Override
    public Class<?> elementCarrier() {
        return CompletionStage.class;
    }

    @Override
    public boolean acceptsFallbackType(Class<?> fallbackType) {
        return CompletionStage.class.isAssignableFrom(fallbackType);
    }

    @Override
    public Object call(AsyncRetryableInvocation invocation) {
        return invocation.start(STAGES);
    }
}
