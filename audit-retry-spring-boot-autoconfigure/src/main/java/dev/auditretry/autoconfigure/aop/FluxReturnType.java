package dev.auditretry.autoconfigure.aop;

import dev.auditretry.core.CallOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscription;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;

/**
 * Runs the calls of methods declared to return {@link Flux}. The proxy returns a Flux at once without invoking the
 * method, and each subscription starts one call. The call invokes the method again for every attempt. It passes the
 * elements of the Flux that the method returns on to the subscriber as they arrive, with the subscriber's demand and
 * context.
 * <p>
 * An attempt ends when its Flux completes or fails, and the circuit records it then. Only a failure before the
 * call's first element is retried or handled by the fallback method. A later failure reaches the subscriber after
 * the elements, as the Flux signalled it, because the subscriber cannot take those elements back. Cancelling the
 * subscription cancels the attempt or the wait in progress.
 */
final class FluxReturnType implements AsyncReturnType {

    @Override
    public boolean supports(Class<?> declaredType) {
        return declaredType == Flux.class;
    }

    @Override
    public Class<?> elementCarrier() {
        return Publisher.class;
    }

    @Override
    public boolean acceptsFallbackType(Class<?> fallbackType) {
        return Publisher.class.isAssignableFrom(fallbackType);
    }

    /** Adds {@link FailureAfterElementsException} to noRetryFor, so that the manager never retries it. */
    @Override
    public CallOptions callOptions(CallOptions declared) {
        List<Class<? extends Throwable>> noRetryFor = new ArrayList<>(declared.noRetryFor());
        noRetryFor.add(FailureAfterElementsException.class);
        return new CallOptions(declared.maxAttempts(), declared.retryFor(), noRetryFor);
    }

    @Override
    public Object call(AsyncRetryableInvocation invocation) {
        // Buffering only absorbs elements requested twice while one attempt replaces another; see FluxCall.
        return Flux.create((sink) -> new FluxCall(sink).start(invocation), FluxSink.OverflowStrategy.BUFFER);
    }

    /**
     * One call for one subscriber: forwards the elements of each attempt, then of the fallback, to the sink.
     */
    private static final class FluxCall implements AsyncRetryableInvocation.Stages {

        private final FluxSink<Object> sink;

        private final AtomicReference<ElementForwarder> current = new AtomicReference<>();

        private final AtomicLong emitted = new AtomicLong();

        FluxCall(FluxSink<Object> sink) {
            this.sink = sink;
        }

        void start(AsyncRetryableInvocation invocation) {
            this.sink.onRequest(this::request);
            CompletableFuture<Object> call = invocation.start(this);
            this.sink.onDispose(() -> call.cancel(true));
            call.whenComplete((value, error) -> {
                if (error == null) {
                    this.sink.complete();
                }
                else {
                    this.sink.error(error);
                }
            });
        }

        @Override
        public CompletionStage<?> ofAttempt(Object returned) {
            return forward((Publisher<?>) returned, true);
        }

        @Override
        public CompletionStage<?> ofFallback(Object returned) {
            return forward((Publisher<?>) returned, false);
        }

        @Override
        public CompletionStage<?> ofFallbackValue(Object value) {
            if (value != null) {
                this.sink.next(value);
            }
            return CompletableFuture.completedFuture(null);
        }

        private CompletionStage<?> forward(Publisher<?> publisher, boolean attempt) {
            ElementForwarder forwarder = new ElementForwarder(attempt);
            this.current.set(forwarder);
            Flux.from(publisher).contextWrite(this.sink.contextView()).subscribe(forwarder);
            return forwarder.done;
        }

        private void request(long count) {
            ElementForwarder forwarder = this.current.get();
            if (forwarder != null) {
                forwarder.request(count);
            }
        }

        /**
         * Subscribes to the Flux of one attempt or of the fallback, and completes {@link #done} when it ends.
         * <p>
         * A new subscription requests what the subscriber has requested and not yet received. Nothing was received
         * when an attempt is retried, so the new attempt gets the whole demand. A request that arrives while the new
         * attempt subscribes may reach it twice, and the sink buffers what exceeds the subscriber's demand.
         */
        private final class ElementForwarder extends BaseSubscriber<Object> {

            private final boolean attempt;

            final CompletableFuture<Object> done = new CompletableFuture<>();

            ElementForwarder(boolean attempt) {
                this.attempt = attempt;
                this.done.whenComplete((value, error) -> {
                    if (this.done.isCancelled()) {
                        dispose();
                    }
                });
            }

            @Override
            protected void hookOnSubscribe(Subscription subscription) {
                long demand = FluxCall.this.sink.requestedFromDownstream();
                if (demand > 0) {
                    subscription.request(demand);
                }
            }

            @Override
            protected void hookOnNext(Object value) {
                FluxCall.this.emitted.incrementAndGet();
                FluxCall.this.sink.next(value);
            }

            @Override
            protected void hookOnComplete() {
                this.done.complete(null);
            }

            @Override
            protected void hookOnError(Throwable error) {
                long elements = FluxCall.this.emitted.get();
                if (this.attempt && elements > 0) {
                    this.done.completeExceptionally(new FailureAfterElementsException(elements, error));
                }
                else {
                    this.done.completeExceptionally(error);
                }
            }
        }
    }
}
