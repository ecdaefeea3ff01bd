package dev.auditretry.autoconfigure.aop;

import dev.auditretry.core.CompletionFailures;
import dev.auditretry.core.RetryManager;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import org.aopalliance.intercept.MethodInvocation;
import org.springframework.aop.ProxyMethodInvocation;
import org.springframework.aop.interceptor.ExposeInvocationInterceptor;

/**
 * One proxy call of an {@code @AuditRetryable} method with an asynchronous return type. Each {@link #start} runs one
 * call through {@link RetryManager#executeAsync}, invoking the method again through the rest of the proxy chain for
 * every attempt.
 * <p>
 * The future of a call completes with what the synchronous advice would return or throw: the value, the last failure
 * itself when the retries are used up, {@code CircuitBreakerOpenException} when the circuit rejects the call, or the
 * outcome of the fallback method. Completing or cancelling that future stops further attempts and cancels the attempt
 * or fallback in progress.
 */
final class AsyncRetryableInvocation {

    private final RetryManager manager;

    private final RetryableMethod method;

    private final ProxyMethodInvocation invocation;

    AsyncRetryableInvocation(RetryManager manager, RetryableMethod method, ProxyMethodInvocation invocation) {
        this.manager = manager;
        this.method = method;
        this.invocation = invocation;
    }

    /**
     * Starts one call.
     * @param stages turns what the method and its fallback return into stages
     * @return a future of the value; for a Flux, of null once every element was passed on
     */
    CompletableFuture<Object> start(Stages stages) {
        return new Call(stages).start();
    }

    private static void cancel(CompletionStage<?> stage) {
        if (stage instanceof Future<?> future) {
            future.cancel(true);
        }
    }

    /**
     * Turns what the method and its fallback return into stages that complete when the attempt or the fallback ends.
     */
    interface Stages {

        /**
         * Returns the stage of one attempt.
         * @param returned what the method returned, never null
         */
        CompletionStage<?> ofAttempt(Object returned);

        /**
         * Returns the stage of a fallback method declared to return an asynchronous type.
         * @param returned what the fallback returned, never null
         */
        CompletionStage<?> ofFallback(Object returned);

        /**
         * Returns the stage of a fallback method declared to return a plain value.
         * @param value what the fallback returned, possibly null
         */
        default CompletionStage<?> ofFallbackValue(Object value) {
            return CompletableFuture.completedFuture(value);
        }
    }

    /**
     * The state of one started call.
     */
    private final class Call {

        private final Stages stages;

        private final CompletableFuture<Object> result = new CompletableFuture<>();

        private final AtomicReference<CompletionStage<?>> fallbackStage = new AtomicReference<>();

        // Written when an attempt's stage fails, before the manager receives that failure.
        private volatile Throwable lastFailure;

        Call(Stages stages) {
            this.stages = stages;
        }

        CompletableFuture<Object> start() {
            AsyncRetryableInvocation outer = AsyncRetryableInvocation.this;
            CompletableFuture<Object> retried = outer.manager.executeAsync(outer.method.context(),
                    outer.method.options(), this::attempt);
            retried.whenComplete(this::onRetriedCallEnd);
            this.result.whenComplete((value, error) -> stop(retried));
            return this.result;
        }

        /**
         * Invokes the method once more and returns a stage of its outcome. A method that throws instead of returning
         * a failed result makes a failed attempt all the same.
         */
        private CompletableFuture<Object> attempt() {
            CompletionStage<?> stage;
            try {
                Object returned = invokeMethod();
                if (returned == null) {
                    throw new NullPointerException("@AuditRetryable method " + AsyncRetryableInvocation.this.method
                            .description() + " returned null instead of a " + declaredTypeName());
                }
                stage = this.stages.ofAttempt(returned);
            }
            catch (Throwable thrown) {
                stage = CompletableFuture.failedFuture(thrown);
            }

            // The manager receives the outcome only through this future, after the failure has been recorded, so
            // that the method's own failure can be distinguished from the exceptions the manager creates.
            CompletableFuture<Object> attempt = new CompletableFuture<>();
            stage.whenComplete((value, error) -> {
                if (error == null) {
                    attempt.complete(value);
                    return;
                }
                Throwable failure = CompletionFailures.unwrap(error);
                this.lastFailure = failure;
                attempt.completeExceptionally(failure);
            });
            CompletionStage<?> started = stage;
            attempt.whenComplete((value, error) -> {
                if (attempt.isCancelled()) {
                    cancel(started);
                }
            });
            return attempt;
        }

        /**
         * Proceeds with a fresh copy of the proxy invocation and exposes it as the current invocation, because
         * AspectJ advice further in looks it up and a deferred attempt runs after the outer proxy call returned.
         */
        // NOTE: no test runs AspectJ @Aspect advice inside the retry advice during a deferred attempt.
        private Object invokeMethod() throws Throwable {
            MethodInvocation attempt = AsyncRetryableInvocation.this.invocation.invocableClone();
            return ExposeInvocationInterceptor.INSTANCE.invoke(attempt);
        }

        private void onRetriedCallEnd(Object value, Throwable error) {
            if (error == null) {
                this.result.complete(value);
                return;
            }
            if (this.result.isDone()) {
                return;
            }
            Throwable last = this.lastFailure;
            if (error == last && error instanceof FailureAfterElementsException partial) {
                this.result.completeExceptionally(partial.getCause());
                return;
            }

            RetryableMethod method = AsyncRetryableInvocation.this.method;
            FailedCall failed = FailedCall.of(error, last, method, AsyncRetryableInvocation.this.manager, false);
            if (!failed.fallbackApplies() || method.fallback() == null) {
                this.result.completeExceptionally(failed.failure());
                return;
            }
            Optional<FallbackMethod.Candidate> candidate = method.fallback().select(failed.failure());
            if (candidate.isEmpty()) {
                this.result.completeExceptionally(failed.failure());
                return;
            }
            runFallback(candidate.get(), failed.failure());
        }

        private void runFallback(FallbackMethod.Candidate candidate, Throwable failure) {
            ProxyMethodInvocation invocation = AsyncRetryableInvocation.this.invocation;
            CompletionStage<?> stage;
            try {
                Object returned = candidate.invoke(invocation.getThis(), invocation.getArguments(), failure);
                stage = fallbackStage(candidate, returned);
            }
            catch (Throwable thrown) {
                this.result.completeExceptionally(thrown);
                return;
            }

            this.fallbackStage.set(stage);
            if (this.result.isDone()) {
                cancel(stage);
                return;
            }
            stage.whenComplete((value, error) -> {
                if (error == null) {
                    this.result.complete(value);
                }
                else {
                    this.result.completeExceptionally(CompletionFailures.unwrap(error));
                }
            });
        }

        private CompletionStage<?> fallbackStage(FallbackMethod.Candidate candidate, Object returned) {
            AsyncReturnType returnType = AsyncRetryableInvocation.this.method.asyncReturnType();
            if (!returnType.elementCarrier().isAssignableFrom(candidate.method().getReturnType())) {
                return this.stages.ofFallbackValue(returned);
            }
            if (returned == null) {
                throw new NullPointerException("Fallback method " + AuditRetryableMethods.describe(
                        candidate.method().getDeclaringClass(), candidate.method()) + " returned null instead of a "
                        + candidate.method().getReturnType().getSimpleName());
            }
            return this.stages.ofFallback(returned);
        }

        private void stop(CompletableFuture<Object> retried) {
            retried.cancel(true);
            CompletionStage<?> fallback = this.fallbackStage.get();
            if (fallback != null) {
                cancel(fallback);
            }
        }

        private String declaredTypeName() {
            return AsyncRetryableInvocation.this.invocation.getMethod().getReturnType().getSimpleName();
        }
    }
}
