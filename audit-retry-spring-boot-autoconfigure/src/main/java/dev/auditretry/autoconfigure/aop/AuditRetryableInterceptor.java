package dev.auditretry.autoconfigure.aop;

import dev.auditretry.core.RetryExhaustedException;
import dev.auditretry.core.RetryManager;
import dev.auditretry.core.RetryableCall;
import dev.auditretry.core.circuit.CircuitBreakerOpenException;
import java.util.Optional;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.springframework.aop.ProxyMethodInvocation;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.ObjectProvider;

/**
 * Runs each call of an {@code @AuditRetryable} method through {@link RetryManager}, one proxy invocation per
 * attempt, so that advice inside this one (such as a transaction) runs again for every attempt.
 * <p>
 * Callers get what the method threw: the last failure itself when the retries are used up, unwrapped from
 * {@link RetryExhaustedException}, and {@link CircuitBreakerOpenException} when the circuit rejects the call. The
 * fallback method, if any, runs once in those two cases, and also for failures that are never retried when
 * fallbackOnNonRetryable is set.
 * <p>
 * Methods with an asynchronous return type get the same results through their future or publisher; see
 * {@link AsyncRetryableInvocation}.
 */
final class AuditRetryableInterceptor implements MethodInterceptor {

    private final AuditRetryableMethods methods;

    private final ObjectProvider<RetryManager> retryManagerProvider;

    private volatile RetryManager retryManager;

    AuditRetryableInterceptor(AuditRetryableMethods methods, ObjectProvider<RetryManager> retryManagerProvider) {
        this.methods = methods;
        this.retryManagerProvider = retryManagerProvider;
    }

    @Override
    public Object invoke(MethodInvocation invocation) throws Throwable {
        Object target = invocation.getThis();
        Class<?> targetClass = (target != null) ? AopUtils.getTargetClass(target) : null;
        Optional<RetryableMethod> retryable = this.methods.find(invocation.getMethod(), targetClass);
        if (retryable.isEmpty()) {
            return invocation.proceed();
        }
        if (!(invocation instanceof ProxyMethodInvocation proxyInvocation)) {
            throw new IllegalStateException("@AuditRetryable needs a Spring AOP proxy invocation to repeat a call, but"
                    + " got " + invocation.getClass().getName());
        }

        RetryableMethod method = retryable.get();
        RetryManager manager = retryManager();
        if (method.asyncReturnType() != null) {
            return method.asyncReturnType().call(new AsyncRetryableInvocation(manager, method, proxyInvocation));
        }
        Attempts attempts = new Attempts(proxyInvocation);
        try {
            return manager.execute(method.context(), method.options(), attempts);
        }
        catch (Throwable thrown) {
            return recover(thrown, attempts, method, manager, invocation);
        }
    }

    private Object recover(Throwable thrown, Attempts attempts, RetryableMethod method, RetryManager manager,
            MethodInvocation invocation) throws Throwable {
        // The manager also rethrows a retryable failure unchanged when the thread was interrupted during the wait.
        FailedCall failed = FailedCall.of(thrown, attempts.lastFailure, method, manager,
                Thread.currentThread().isInterrupted());
        Throwable unwrapped = failed.failure();

        if (!failed.fallbackApplies() || method.fallback() == null) {
            throw unwrapped;
        }
        Optional<FallbackMethod.Candidate> candidate = method.fallback().select(unwrapped);
        if (candidate.isEmpty()) {
            throw unwrapped;
        }
        return candidate.get().invoke(invocation.getThis(), invocation.getArguments(), unwrapped);
    }

    private RetryManager retryManager() {
        RetryManager manager = this.retryManager;
        if (manager == null) {
            manager = this.retryManagerProvider.getObject();
            this.retryManager = manager;
        }
        return manager;
    }

    /**
     * Makes one attempt per call by proceeding with a fresh copy of the proxy invocation, and remembers the last
     * failure so that the interceptor can tell the method's own exceptions from the manager's.
     */
    static final class Attempts implements RetryableCall<Object, Exception> {

        private final ProxyMethodInvocation invocation;

        private Throwable lastFailure;

        Attempts(ProxyMethodInvocation invocation) {
            this.invocation = invocation;
        }

        @Override
        public Object call() throws Exception {
            try {
                return this.invocation.invocableClone().proceed();
            }
            catch (Exception | Error ex) {
                this.lastFailure = ex;
                throw ex;
            }
            catch (Throwable other) {
                // A Throwable that is neither an Exception nor an Error; carried through and unwrapped later.
                OtherThrowable carrier = new OtherThrowable(other);
                this.lastFailure = carrier;
                throw carrier;
            }
        }

        static Throwable unwrap(Throwable failure) {
            return (failure instanceof OtherThrowable carrier) ? carrier.getCause() : failure;
        }
    }

    /**
     * Carries a Throwable that is neither an Exception nor an Error through {@link RetryableCall}.
     */
    static final class OtherThrowable extends RuntimeException {

        OtherThrowable(Throwable cause) {
            super(cause.toString(), cause, false, false);
        }
    }
}
