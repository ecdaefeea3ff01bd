package dev.auditretry.autoconfigure.aop;

import dev.auditretry.annotation.AuditRetryable;
import dev.auditretry.core.RetryManager;
import java.lang.reflect.Method;
import java.util.List;
import java.util.function.Supplier;
import org.aopalliance.aop.Advice;
import org.springframework.aop.ClassFilter;
import org.springframework.aop.Pointcut;
import org.springframework.aop.support.AbstractPointcutAdvisor;
import org.springframework.aop.support.StaticMethodMatcherPointcut;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.annotation.AnnotationUtils;
import org.springframework.core.env.PropertyResolver;

/**
 * Applies {@link AuditRetryable} to Spring beans. It is a Spring AOP advisor rather than an AspectJ
 * {@code @Aspect}: it works without AspectJ on the classpath, finds meta-annotations and interface annotations
 * through Spring's merged annotations, and its order is a plain number ({@code audit.retry.aspect-order}) compared
 * with that of {@code @Transactional} and other advice.
 * <p>
 * Proxies intercept only calls that come from outside the bean: a call from one method of the bean to another
 * bypasses the proxy and is not retried, and private, final and static methods cannot be intercepted at all. Call
 * {@link RetryManager#execute} directly in such places.
 */
public class AuditRetryableAdvisor extends AbstractPointcutAdvisor {

    private final transient Pointcut pointcut = new AuditRetryablePointcut();

    private final transient Advice advice;

    /**
     * Creates the advisor.
     * @param placeholders resolves placeholders in the endpoint and method attributes
     * @param retryManager the manager, looked up at the first call so that creating the advisor creates no other
     *        beans
     * @param order the order among other advice; lower runs further outside
     */
    public AuditRetryableAdvisor(PropertyResolver placeholders, ObjectProvider<RetryManager> retryManager, int order) {
        this(placeholders, retryManager, order, List::of);
    }

    /**
     * Creates the advisor with asynchronous return types besides CompletableFuture and CompletionStage.
     * @param asyncReturnTypes the additional return types, such as those of Reactor, looked up at the first call
     */
    AuditRetryableAdvisor(PropertyResolver placeholders, ObjectProvider<RetryManager> retryManager, int order,
            Supplier<List<AsyncReturnType>> asyncReturnTypes) {
        this.advice = new AuditRetryableInterceptor(new AuditRetryableMethods(placeholders, asyncReturnTypes),
                retryManager);
        setOrder(order);
    }

    @Override
    public Pointcut getPointcut() {
        return this.pointcut;
    }

    @Override
    public Advice getAdvice() {
        return this.advice;
    }

    /**
     * Matches the methods that an {@code @AuditRetryable} annotation applies to.
     */
    private static final class AuditRetryablePointcut extends StaticMethodMatcherPointcut {

        private AuditRetryablePointcut() {
            setClassFilter(new AuditRetryableClassFilter());
        }

        @Override
        public boolean matches(Method method, Class<?> targetClass) {
            return AuditRetryableMethods.findAnnotation(method, targetClass).isPresent();
        }
    }

    /**
     * Skips classes that cannot carry the annotation, such as those of the JDK.
     */
    private static final class AuditRetryableClassFilter implements ClassFilter {

        @Override
        public boolean matches(Class<?> type) {
            return AnnotationUtils.isCandidateClass(type, AuditRetryable.class);
        }
    }
}
