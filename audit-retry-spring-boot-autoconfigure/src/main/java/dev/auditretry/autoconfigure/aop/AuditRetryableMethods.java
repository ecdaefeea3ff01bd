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
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.springframework.aop.support.AopUtils;
import org.springframework.core.BridgeMethodResolver;
import org.springframework.core.MethodClassKey;
import org.springframework.core.ReactiveAdapterRegistry;
import org.springframework.core.ResolvableType;
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

    private final Supplier<List<AsyncReturnType>> additionalReturnTypes;

    private final ConcurrentMap<MethodClassKey, Optional<RetryableMethod>> resolved = new ConcurrentHashMap<>();

    // The last target class seen for each method, so that the usual call, one bean class per method, finds its
    // resolution without building a MethodClassKey.
    private final ConcurrentMap<Method, LastResolution> lastByMethod = new ConcurrentHashMap<>();

    private volatile List<AsyncReturnType> asyncReturnTypes;

    /**
     * Creates the resolver.
     * @param placeholders resolves placeholders in the endpoint and method attributes
     * @param additionalReturnTypes the asynchronous return types besides CompletableFuture and CompletionStage, looked
     *        up at the first resolution
     */
    AuditRetryableMethods(PropertyResolver placeholders, Supplier<List<AsyncReturnType>> additionalReturnTypes) {
        this.placeholders = placeholders;
        this.additionalReturnTypes = additionalReturnTypes;
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
        LastResolution last = this.lastByMethod.get(method);
        if (last != null && last.targetClass() == targetClass) {
            return last.resolution();
        }
        MethodClassKey key = new MethodClassKey(method, targetClass);
        Optional<RetryableMethod> resolution = this.resolved.computeIfAbsent(key, (missing) -> resolve(method, targetClass));
        this.lastByMethod.put(method, new LastResolution(targetClass, resolution));
        return resolution;
    }

    private record LastResolution(Class<?> targetClass, Optional<RetryableMethod> resolution) {
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

        AsyncReturnType asyncReturnType = asyncReturnType(specific, description);
        RetryContext context = context(annotation, userClass, specific, description);
        CallOptions options = options(annotation, description);
        if (asyncReturnType != null) {
            options = asyncReturnType.callOptions(options);
        }
        FallbackMethod fallback = annotation.fallbackMethod().isBlank() ? null : FallbackMethods.resolve(userClass,
                specific, annotation.fallbackMethod().trim(), description, asyncReturnType);
        return Optional.of(new RetryableMethod(description, context, options, fallback,
                annotation.fallbackOnNonRetryable(), asyncReturnType));
    }

    /**
     * Returns how calls of the method run when its return type is asynchronous, null when it is not.
     * @throws AuditRetryableDeclarationException if the return type is asynchronous but not supported
     */
    private AsyncReturnType asyncReturnType(Method method, String description) {
        Class<?> returnType = method.getReturnType();
        for (AsyncReturnType candidate : asyncReturnTypes()) {
            if (candidate.supports(returnType)) {
                return candidate;
            }
        }
        rejectAsynchronousReturnType(returnType, description);
        return null;
    }

    private List<AsyncReturnType> asyncReturnTypes() {
        List<AsyncReturnType> types = this.asyncReturnTypes;
        if (types == null) {
            List<AsyncReturnType> all = new ArrayList<>();
            all.add(CompletionStageReturnType.INSTANCE);
            all.addAll(this.additionalReturnTypes.get());
            types = List.copyOf(all);
            this.asyncReturnTypes = types;
        }
        return types;
    }

    private static void rejectAsynchronousReturnType(Class<?> returnType, String description) {
        String prefix = "@AuditRetryable method " + description + " returns " + returnType.getName();
        if (CompletionStage.class.isAssignableFrom(returnType)) {
            throw new AuditRetryableDeclarationException(prefix + ", but the advice returns a CompletableFuture to"
                    + " callers, which is not a " + returnType.getSimpleName() + ".",
                    "Declare CompletableFuture or CompletionStage as the return type.");
        }
        if (Future.class.isAssignableFrom(returnType)) {
            throw new AuditRetryableDeclarationException(prefix + ", a Future whose completion the advice cannot"
                    + " observe without blocking a thread.", "Declare CompletableFuture or CompletionStage as the"
                    + " return type, or return the result synchronously.");
        }
        if (ReactiveAdapterRegistry.getSharedInstance().getAdapter(returnType) != null) {
            throw new AuditRetryableDeclarationException(prefix + ", a reactive type that the advice does not"
                    + " support: of the reactive types it supports only Mono and Flux, and only with reactor-core"
                    + " on the classpath.", "Declare Mono or Flux as the return type and add"
                    + " io.projectreactor:reactor-core, or return the result synchronously.");
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
     * <p>
     * The fallback of a method with an asynchronous return type may return that kind of result, whose outcome the
     * caller then receives, or a plain value of the element type, which the caller receives as the result. It may
     * declare any exception, because what it throws reaches the caller through the asynchronous result.
     */
    static final class FallbackMethods {

        private FallbackMethods() {
        }

        static FallbackMethod resolve(Class<?> userClass, Method annotated, String name, String description,
                AsyncReturnType asyncReturnType) {
            // Unique methods: an overriding method hides the one it overrides, so the two are not ambiguous.
            List<Method> named = Arrays.asList(ReflectionUtils.getUniqueDeclaredMethods(userClass,
                    (candidate) -> candidate.getName().equals(name) && !candidate.isBridge()));
            String expected = (asyncReturnType != null)
                    ? expectedAsyncSignature(userClass, annotated, name, asyncReturnType)
                    : expectedSignature(annotated, name);
            if (named.isEmpty()) {
                throw new AuditRetryableDeclarationException("Fallback method '" + name + "' of @AuditRetryable"
                        + " method " + description + " was not found in " + userClass.getName() + ".",
                        "Declare " + expected + " in " + userClass.getSimpleName()
                                + ", or correct the fallbackMethod attribute.");
            }

            List<FallbackMethod.Candidate> candidates = new ArrayList<>();
            List<String> rejections = new ArrayList<>();
            for (Method candidate : named) {
                String rejection = checkParameters(annotated, candidate);
                if (rejection == null) {
                    rejection = (asyncReturnType != null)
                            ? checkAsyncReturnType(userClass, annotated, candidate, asyncReturnType)
                            : checkReturnTypeAndExceptions(annotated, candidate);
                }
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

        private static String expectedAsyncSignature(Class<?> userClass, Method annotated, String name,
                AsyncReturnType asyncReturnType) {
            String parameters = Arrays.stream(annotated.getParameterTypes()).map(Class::getSimpleName)
                    .collect(Collectors.joining(", "));
            String withException = parameters.isEmpty() ? "Throwable failure" : parameters + ", Throwable failure";
            Class<?> element = elementType(userClass, annotated, asyncReturnType);
            String returnType = annotated.getReturnType().getSimpleName() + "<" + element.getSimpleName() + ">";
            return "a method " + returnType + " " + name + "(" + parameters + ") or " + returnType + " " + name + "("
                    + withException + "); instead of " + returnType + " it may return a plain "
                    + element.getSimpleName() + ", which the caller receives as the result";
        }

        /** Returns why the candidate's parameters do not fit, or null when they fit. */
        private static String checkParameters(Method annotated, Method candidate) {
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
            return null;
        }

        /** Returns why the return type or the exceptions of a synchronous method's fallback do not fit. */
        private static String checkReturnTypeAndExceptions(Method annotated, Method candidate) {
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

        /** Returns why the return type of an asynchronous method's fallback does not fit, or null when it fits. */
        private static String checkAsyncReturnType(Class<?> userClass, Method annotated, Method candidate,
                AsyncReturnType asyncReturnType) {
            Class<?> element = elementType(userClass, annotated, asyncReturnType);
            Class<?> returned = candidate.getReturnType();
            String annotatedType = annotated.getReturnType().getSimpleName();
            if (asyncReturnType.elementCarrier().isAssignableFrom(returned)) {
                if (!asyncReturnType.acceptsFallbackType(returned)) {
                    return "returns " + returned.getSimpleName() + ", which cannot stand in for a " + annotatedType;
                }
                Class<?> candidateElement = elementType(userClass, candidate, asyncReturnType);
                if (!ClassUtils.isAssignable(element, candidateElement)) {
                    return "returns " + returned.getSimpleName() + "<" + candidateElement.getSimpleName()
                            + ">, whose element type is not assignable to " + element.getSimpleName();
                }
                return null;
            }
            if (returned == void.class) {
                return (element == Void.class) ? null : "returns void, which fits only an element type of Void";
            }
            if (!ClassUtils.isAssignable(element, returned)) {
                return "returns " + returned.getSimpleName() + ", which is neither a " + annotatedType + " nor"
                        + " assignable to " + element.getSimpleName() + ", the element type of " + annotatedType;
            }
            return null;
        }

        /** Returns the element type of the method's return type, Object when it is not resolvable. */
        private static Class<?> elementType(Class<?> userClass, Method method, AsyncReturnType asyncReturnType) {
            return ResolvableType.forMethodReturnType(method, userClass).as(asyncReturnType.elementCarrier())
                    .getGeneric(0).toClass();
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
