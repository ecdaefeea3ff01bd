package dev.auditretry.autoconfigure.aop;

import dev.auditretry.annotation.AuditRetryable;
import dev.auditretry.core.CallOptions;
import dev.auditretry.core.RetryContext;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.springframework.aop.support.AopUtils;
import org.springframework.core.BridgeMethodResolver;
import org.springframework.core.MethodClassKey;
import org.springframework.core.ReactiveAdapterRegistry;
import org.springframework.core.annotation.MergedAnnotation;
import org.springframework.core.annotation.MergedAnnotations;
import org.springframework.core.annotation.MergedAnnotations.SearchStrategy;
import org.springframework.core.env.PropertyResolver;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

/**
 * Finds the {@code @AuditRetryable} annotation that applies to a method of a bean class and resolves it, with
 * its fallback, into a {@link RetryableMethod}. Results are cached per method and class.
 * <p>
 * An annotation on the method, also through an interface, a superclass or a meta-annotation, wins over one on the
 * class. A class-level annotation applies to the public instance methods of the class, except those of
 * {@link Object} such as {@code toString}.
 */
final class AuditRetryableMethods {

    private final PropertyResolver placeholders;

    private final ConcurrentMap<MethodClassKey, Optional<RetryableMethod>> resolved = new ConcurrentHashMap<>();

    AuditRetryableMethods(PropertyResolver placeholders) {
        this.placeholders = placeholders;
    }

    /**
     * Returns the annotation that applies to the method when called on an instance of the target class.
     * @param method the method, possibly declared by an interface
     * @param targetClass the bean class, or null when unknown
     */
    static Optional<MergedAnnotation<AuditRetryable>> findAnnotation(Method method, Class<?> targetClass) {
        Class<?> userClass = ClassUtils.getUserClass((targetClass != null) ? targetClass : method.getDeclaringClass());
        Method specific = BridgeMethodResolver.findBridgedMethod(AopUtils.getMostSpecificMethod(method, userClass));
        if (Modifier.isStatic(specific.getModifiers()) || isObjectMethod(specific)) {
            return Optional.empty();
        }
        MergedAnnotation<AuditRetryable> onMethod =
                MergedAnnotations.from(specific, SearchStrategy.TYPE_HIERARCHY).get(AuditRetryable.class);
        if (onMethod.isPresent()) {
            return Optional.of(onMethod);
        }
        if (!Modifier.isPublic(specific.getModifiers())) {
            return Optional.empty();
        }
        MergedAnnotation<AuditRetryable> onClass =
                MergedAnnotations.from(userClass, SearchStrategy.TYPE_HIERARCHY).get(AuditRetryable.class);
        return onClass.isPresent() ? Optional.of(onClass) : Optional.empty();
    }

    /**
     * Returns the resolved method, or empty when no annotation applies.
     * @param method the method, possibly declared by an interface
     * @param targetClass the bean class, or null when unknown
     * @throws AuditRetryableDeclarationException if the annotation cannot work as declared
     */
    Optional<RetryableMethod> find(Method method, Class<?> targetClass) {
        MethodClassKey key = new MethodClassKey(method, targetClass);
        Optional<RetryableMethod> cached = this.resolved.get(key);
        if (cached != null) {
            return cached;
        }
        return this.resolved.computeIfAbsent(key, (missing) -> resolve(method, targetClass));
    }

    static boolean isObjectMethod(Method method) {
        return ReflectionUtils.isObjectMethod(method) || ReflectionUtils.isEqualsMethod(method)
                || ReflectionUtils.isHashCodeMethod(method) || ReflectionUtils.isToStringMethod(method);
    }

    static String describe(Class<?> type, Method method) {
        String parameters = Arrays.stream(method.getParameterTypes()).map(Class::getSimpleName)
                .collect(Collectors.joining(", "));
        return type.getName() + "." + method.getName() + "(" + parameters + ")";
    }

    private Optional<RetryableMethod> resolve(Method method, Class<?> targetClass) {
        Optional<MergedAnnotation<AuditRetryable>> found = findAnnotation(method, targetClass);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        Class<?> userClass = ClassUtils.getUserClass((targetClass != null) ? targetClass : method.getDeclaringClass());
        Method specific = BridgeMethodResolver.findBridgedMethod(AopUtils.getMostSpecificMethod(method, userClass));
        AuditRetryable annotation = found.get().synthesize();
        String description = describe(userClass, specific);

        rejectAsynchronousReturnType(specific, description);
        RetryContext context = context(annotation, userClass, specific, description);
        CallOptions options = options(annotation, description);
        FallbackMethod fallback = annotation.fallbackMethod().isBlank() ? null
                : FallbackMethods.resolve(userClass, specific, annotation.fallbackMethod().trim(), description);
        return Optional.of(new RetryableMethod(description, context, options, fallback,
                annotation.fallbackOnNonRetryable()));
    }

    private static void rejectAsynchronousReturnType(Method method, String description) {
        Class<?> returnType = method.getReturnType();
        boolean asynchronous = CompletionStage.class.isAssignableFrom(returnType)
                || Future.class.isAssignableFrom(returnType)
                || ReactiveAdapterRegistry.getSharedInstance().getAdapter(returnType) != null;
        if (asynchronous) {
            throw new AuditRetryableDeclarationException("@AuditRetryable method " + description + " returns "
                    + returnType.getName() + ", an asynchronous type, which is not supported yet: retrying it would"
                    + " repeat only the creation of the " + returnType.getSimpleName() + ", not the work it"
                    + " represents.", "Return the result synchronously, or call RetryManager.execute around the blocking"
                    + " call inside the asynchronous code.");
        }
    }

    private RetryContext context(AuditRetryable annotation, Class<?> userClass, Method method, String description) {
        String endpoint = annotation.endpoint().isBlank() ? userClass.getSimpleName() + "." + method.getName()
                : resolvePlaceholders(annotation.endpoint(), "endpoint", description);
        String httpMethod = resolvePlaceholders(annotation.method(), "method", description);
        if (endpoint.isBlank() || httpMethod.isBlank()) {
            throw new AuditRetryableDeclarationException("@AuditRetryable on " + description + " has a blank "
                    + (endpoint.isBlank() ? "endpoint" : "method") + " after resolving placeholders.",
                    "Set a non-blank value, or leave the attribute out to use the default.");
        }
        return RetryContext.of(endpoint, httpMethod);
    }

    private String resolvePlaceholders(String value, String attribute, String description) {
        try {
            return this.placeholders.resolveRequiredPlaceholders(value).trim();
        }
        catch (IllegalArgumentException ex) {
            throw new AuditRetryableDeclarationException("@AuditRetryable on " + description + " has " + attribute
                    + " '" + value + "' with a placeholder that cannot be resolved: " + ex.getMessage(),
                    "Define the property, or give the placeholder a default such as ${ledger.path:/ledger}.");
        }
    }

    private static CallOptions options(AuditRetryable annotation, String description) {
        if (annotation.maxAttempts() < 0) {
            throw new AuditRetryableDeclarationException("@AuditRetryable on " + description + " has maxAttempts "
                    + annotation.maxAttempts() + ", but it must be at least 1.", "Set maxAttempts to the total"
                    + " number of attempts including the first call, or leave it out (0) to use audit.retry.max-attempts.");
        }
        return new CallOptions(annotation.maxAttempts(), List.of(annotation.retryFor()),
                List.of(annotation.noRetryFor()));
    }

    /**
     * Finds the fallback candidates of an annotated method and fails when none fits.
     */
    static final class FallbackMethods {

        private FallbackMethods() {
        }

        static FallbackMethod resolve(Class<?> userClass, Method annotated, String name, String description) {
            // Unique methods: an overriding method hides the one it overrides, so the two are not ambiguous.
            List<Method> named = Arrays.asList(ReflectionUtils.getUniqueDeclaredMethods(userClass,
                    (candidate) -> candidate.getName().equals(name) && !candidate.isBridge()));
            String expected = expectedSignature(annotated, name);
            if (named.isEmpty()) {
                throw new AuditRetryableDeclarationException("Fallback method '" + name + "' of @AuditRetryable"
                        + " method " + description + " was not found in " + userClass.getName() + ".",
                        "Declare " + expected + " in " + userClass.getSimpleName()
                                + ", or correct the fallbackMethod attribute.");
            }

            List<FallbackMethod.Candidate> candidates = new ArrayList<>();
            List<String> rejections = new ArrayList<>();
            for (Method candidate : named) {
                String rejection = checkCandidate(annotated, candidate);
                if (rejection != null) {
                    rejections.add(describe(candidate.getDeclaringClass(), candidate) + " " + rejection);
                    continue;
                }
                candidates.add(new FallbackMethod.Candidate(candidate, exceptionType(annotated, candidate)));
            }
            if (candidates.isEmpty()) {
                throw new AuditRetryableDeclarationException("No method named '" + name + "' in "
                        + userClass.getName() + " fits as the fallback of @AuditRetryable method " + description
                        + ": " + String.join("; ", rejections) + ".", "Declare " + expected + ".");
            }
            rejectDuplicates(candidates, description);
            return new FallbackMethod(candidates);
        }

        private static String expectedSignature(Method annotated, String name) {
            String parameters = Arrays.stream(annotated.getParameterTypes()).map(Class::getSimpleName)
                    .collect(Collectors.joining(", "));
            String withException = parameters.isEmpty() ? "Throwable failure" : parameters + ", Throwable failure";
            String returnType = annotated.getReturnType().getSimpleName();
            return "a method " + returnType + " " + name + "(" + parameters + ") or " + returnType + " " + name + "("
                    + withException + "), whose return type is assignable to " + returnType
                    + " and which declares no checked exception that the annotated method does not declare";
        }

        /** Returns why the candidate does not fit, or null when it fits. */
        private static String checkCandidate(Method annotated, Method candidate) {
            Class<?>[] expected = annotated.getParameterTypes();
            Class<?>[] actual = candidate.getParameterTypes();
            boolean withException = actual.length == expected.length + 1;
            if (actual.length != expected.length && !withException) {
                return "has " + actual.length + " parameters but must have " + expected.length + " or "
                        + (expected.length + 1);
            }
            for (int i = 0; i < expected.length; i++) {
                if (!ClassUtils.isAssignable(actual[i], expected[i])) {
                    return "takes " + actual[i].getSimpleName() + " as parameter " + (i + 1) + " but must accept "
                            + expected[i].getSimpleName();
                }
            }
            if (withException && !Throwable.class.isAssignableFrom(actual[expected.length])) {
                return "has a last parameter of type " + actual[expected.length].getSimpleName()
                        + " but only an exception parameter may follow the annotated method's parameters";
            }
            if (!ClassUtils.isAssignable(annotated.getReturnType(), candidate.getReturnType())) {
                return "returns " + candidate.getReturnType().getSimpleName() + ", which is not assignable to "
                        + annotated.getReturnType().getSimpleName();
            }
            for (Class<?> thrown : candidate.getExceptionTypes()) {
                if (isChecked(thrown) && !declares(annotated, thrown)) {
                    return "declares " + thrown.getSimpleName() + ", a checked exception that the annotated method"
                            + " does not declare, so callers would get it wrapped in UndeclaredThrowableException";
                }
            }
            return null;
        }

        @SuppressWarnings("unchecked")
        private static Class<? extends Throwable> exceptionType(Method annotated, Method candidate) {
            Class<?>[] parameters = candidate.getParameterTypes();
            return (parameters.length > annotated.getParameterCount())
                    ? (Class<? extends Throwable>) parameters[parameters.length - 1] : null;
        }

        private static void rejectDuplicates(List<FallbackMethod.Candidate> candidates, String description) {
            for (int i = 0; i < candidates.size(); i++) {
                for (int j = i + 1; j < candidates.size(); j++) {
                    FallbackMethod.Candidate first = candidates.get(i);
                    FallbackMethod.Candidate second = candidates.get(j);
                    if (first.exceptionType() == second.exceptionType()) {
                        throw new AuditRetryableDeclarationException("The fallback of @AuditRetryable method "
                                + description + " is ambiguous: "
                                + describe(first.method().getDeclaringClass(), first.method()) + " and "
                                + describe(second.method().getDeclaringClass(), second.method())
                                + " both fit with the same exception parameter.",
                                "Remove one of them, or give them different exception parameter types.");
                    }
                }
            }
        }

        private static boolean isChecked(Class<?> thrown) {
            return !RuntimeException.class.isAssignableFrom(thrown) && !Error.class.isAssignableFrom(thrown);
        }

        private static boolean declares(Method method, Class<?> thrown) {
            return Arrays.stream(method.getExceptionTypes()).anyMatch((declared) -> declared.isAssignableFrom(thrown));
        }
    }
}
