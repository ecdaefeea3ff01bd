package dev.auditretry.autoconfigure.aop;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.util.context.ContextView;

/**
 * Runs the calls of methods declared to return {@link Mono}. The proxy returns a Mono at once without invoking the
 * method, and each subscription starts one call. The call invokes the method again for every attempt and subscribes
 * to the Mono that the method returns with the subscriber's context. A Mono that is never subscribed to calls
 * nothing.
 * <p>
 * An attempt ends with the Mono's value, its completion without a value, or its error. Cancelling the subscription
 * cancels the attempt or the wait in progress.
 */
final class MonoReturnType implements AsyncReturnType {

    @Override
    public boolean supports(Class<?> declaredType) {
        return declaredType == Mono.class;
    }

    @Override
    public Class<?> elementCarrier() {
        return Publisher.class;
    }

    @Override
    public boolean acceptsFallbackType(Class<?> fallbackType) {
        return Mono.class.isAssignableFrom(fallbackType);
    }

    @Override
    public Object call(AsyncRetryableInvocation invocation) {
        return Mono.deferContextual((context) -> Mono.fromFuture(invocation.start(new MonoStages(context)), false));
    }

    /**
     * Subscribes to the Monos of one call with the subscriber's context.
     */
    private record MonoStages(ContextView context) implements AsyncRetryableInvocation.Stages {

        @Override
        public CompletionStage<?> ofAttempt(Object returned) {
            return subscribe((Mono<?>) returned);
        }

        @Override
        public CompletionStage<?> ofFallback(Object returned) {
            return subscribe((Mono<?>) returned);
        }

        // Cancelling the future cancels the subscription.
        private CompletableFuture<?> subscribe(Mono<?> mono) {
            return mono.contextWrite(this.context).toFuture();
        }
    }
}
