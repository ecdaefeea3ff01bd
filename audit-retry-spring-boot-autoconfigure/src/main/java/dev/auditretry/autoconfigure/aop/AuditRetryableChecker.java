package dev.auditretry.autoconfigure.aop;

import dev.auditretry.annotation.AuditRetryable;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.core.annotation.AnnotationUtils;
import org.springframework.core.annotation.MergedAnnotations;
import org.springframework.core.annotation.MergedAnnotations.SearchStrategy;
import org.springframework.core.env.PropertyResolver;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

/**
 * Checks the {@code @AuditRetryable} methods of every bean class when its first bean is created, so that a wrong
 * fallback method or an unsupported return type fails startup instead of the first call. Logs one warning for each
 * annotated method that a proxy cannot intercept because it is private, final or static.
 */
final class AuditRetryableChecker implements BeanPostProcessor {

    private static final Logger logger = LoggerFactory.getLogger(AuditRetryableChecker.class);

    private final AuditRetryableMethods methods;

    private final Set<Class<?>> checkedClasses = ConcurrentHashMap.newKeySet();

    private final Set<Method> reportedMethods = ConcurrentHashMap.newKeySet();

    AuditRetryableChecker(PropertyResolver placeholders, Supplier<List<AsyncReturnType>> asyncReturnTypes) {
        this.methods = new AuditRetryableMethods(placeholders, asyncReturnTypes);
    }

    @Override
    public Object postProcessBeforeInitialization(Object bean, String beanName) {
        Class<?> userClass = ClassUtils.getUserClass(AopUtils.getTargetClass(bean));
        if (!AnnotationUtils.isCandidateClass(userClass, AuditRetryable.class) || !this.checkedClasses.add(userClass)) {
            return bean;
        }
        boolean annotatedClass = MergedAnnotations.from(userClass, SearchStrategy.TYPE_HIERARCHY)
                .isPresent(AuditRetryable.class);
        ReflectionUtils.doWithMethods(userClass, (method) -> check(userClass, method, annotatedClass),
                ReflectionUtils.USER_DECLARED_METHODS);
        return bean;
    }

    private void check(Class<?> userClass, Method method, boolean annotatedClass) {
        boolean annotatedMethod = MergedAnnotations.from(method, SearchStrategy.TYPE_HIERARCHY)
                .isPresent(AuditRetryable.class);
        if (!annotatedMethod && !(annotatedClass && isPublicInstanceMethod(method))) {
            return;
        }
        String limit = interceptionLimit(method);
        if (limit != null) {
            warnOnce(method, limit, annotatedMethod);
            return;
        }
        this.methods.find(method, userClass);
    }

    /** Returns why a proxy cannot intercept the method, or null when it can. */
    private static String interceptionLimit(Method method) {
        int modifiers = method.getModifiers();
        if (Modifier.isPrivate(modifiers)) {
            return "private";
        }
        if (Modifier.isStatic(modifiers)) {
            return "static";
        }
        if (Modifier.isFinal(modifiers)) {
            return "final";
        }
        return null;
    }

    private void warnOnce(Method method, String limit, boolean annotatedMethod) {
        if (!this.reportedMethods.add(method)) {
            return;
        }
        String source = annotatedMethod ? "@AuditRetryable on " : "@AuditRetryable on the class of ";
        String consequence = "final".equals(limit) ? " Calls through a class-based proxy run it on the proxy"
                + " instance, where the bean's fields are null." : "";
        logger.warn("{}{}.{} has no effect: a Spring proxy cannot intercept a {} method.{} Make it a public,"
                + " non-final instance method, or call RetryManager.execute in it directly", source,
                method.getDeclaringClass().getName(), method.getName(), limit, consequence);
    }

    private static boolean isPublicInstanceMethod(Method method) {
        return Modifier.isPublic(method.getModifiers()) && !Modifier.isStatic(method.getModifiers())
                && !AuditRetryableMethods.isObjectMethod(method);
    }
}
