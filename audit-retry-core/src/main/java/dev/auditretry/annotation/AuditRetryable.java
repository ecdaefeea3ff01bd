package dev.auditretry.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a method, or every public method of a class, whose calls are retried and pass through a circuit.
 * <p>
 * The annotation is plain Java so that any module can use it. The Spring Boot auto-configuration of audit-retry
 * applies it to Spring beans through a proxy. Each call of an annotated method runs through the circuit
 * {@code endpoint:method} with the settings of {@code audit.retry}, including the endpoint's overrides under
 * {@code audit.retry.endpoints}. A method-level annotation replaces a class-level one as a whole; its attributes
 * are not merged. The annotation also works as a meta-annotation on an annotation of your own.
 * <p>
 * Callers see what the method throws: when retries are used up they get the last failure itself, and when the
 * circuit rejects a call they get {@code CircuitBreakerOpenException}, unless a fallback method handles them.
 * <p>
 * Because the annotation works through a proxy, a call from inside the same bean is not retried, and an annotation
 * on a private, final or static method has no effect.
 * <p>
 * Methods that return {@code CompletableFuture} or {@code CompletionStage}, and with Reactor on the classpath
 * {@code Mono} or {@code Flux}, are retried without blocking a thread: every attempt invokes the method again, and
 * callers get the same results through the future or the publisher. A {@code Mono} or {@code Flux} invokes the
 * method only when subscribed to, and a {@code Flux} is retried only when it fails before its first element. Other
 * asynchronous types, such as a plain {@code Future}, are rejected at startup.
 */
@Target({ ElementType.METHOD, ElementType.TYPE, ElementType.ANNOTATION_TYPE })
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface AuditRetryable {

    /**
     * Endpoint that names the circuit together with {@link #method()}, such as {@code /ledger/entries}. When
     * empty, the endpoint is {@code SimpleClassName.methodName} of the bean's class, so overloaded methods share
     * one circuit. Placeholders such as {@code ${ledger.path}} are resolved against the environment.
     */
    String endpoint() default "";

    /**
     * HTTP method that completes the circuit key {@code endpoint:METHOD}; case does not matter. Keep the default
     * when the call has no HTTP method.
     */
    String method() default "GET";

    /**
     * Name of a method of the same class that returns a replacement result after the retries are used up or
     * the circuit rejects the call. It takes the same parameters as the annotated method, optionally followed by
     * one exception parameter, and returns a type assignable to the annotated method's return type. The fallback of
     * a method with an asynchronous return type may also return a plain value of its element type, such as
     * {@code String} for {@code Mono<String>}. It runs once per call, never between attempts. Empty means no
     * fallback.
     */
    String fallbackMethod() default "";

    /**
     * Whether the fallback also handles failures that are never retried, such as HTTP 400 or a type listed in
     * {@link #noRetryFor()}. False by default, so that such failures reach the caller.
     */
    boolean fallbackOnNonRetryable() default false;

    /**
     * Total attempts per call of this method, the first included; overrides {@code audit.retry.max-attempts}
     * and the endpoint's override. 0 keeps the configured value.
     */
    int maxAttempts() default 0;

    /**
     * Exception types that this method always retries, matched anywhere in the cause chain, in addition to what
     * {@code audit.retry.retryable-status-codes} and {@code audit.retry.retryable-errors} select.
     */
    Class<? extends Throwable>[] retryFor() default {};

    /**
     * Exception types that this method never retries, matched anywhere in the cause chain. They win over
     * {@link #retryFor()} and over the configured retryable errors.
     */
    Class<? extends Throwable>[] noRetryFor() default {};
}
