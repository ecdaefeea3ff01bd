package dev.auditretry.autoconfigure.aop;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.springframework.core.ExceptionDepthComparator;
import org.springframework.util.ReflectionUtils;

/**
 * The fallback methods of one {@code @AuditRetryable} method: all methods of the fallback name whose parameters fit,
 * with or without a trailing exception parameter. A failure goes to the candidate whose exception parameter is the
 * closest supertype of the failure, and otherwise to the candidate without an exception parameter.
 */
final class FallbackMethod {

    private final List<Candidate> candidates;

    FallbackMethod(List<Candidate> candidates) {
        this.candidates = List.copyOf(candidates);
        this.candidates.forEach((candidate) -> ReflectionUtils.makeAccessible(candidate.method()));
    }

    /**
     * Returns the candidate that handles this failure.
     * @param failure what the caller would receive
     * @return the candidate, or empty when no candidate accepts this failure
     */
    Optional<Candidate> select(Throwable failure) {
        Optional<Candidate> closest = this.candidates.stream()
                .filter((candidate) -> candidate.exceptionType() != null)
                .filter((candidate) -> candidate.exceptionType().isInstance(failure))
                .min(Comparator.comparing(Candidate::exceptionType, new ExceptionDepthComparator(failure)));
        if (closest.isPresent()) {
            return closest;
        }
        return this.candidates.stream().filter((candidate) -> candidate.exceptionType() == null).findFirst();
    }

    /**
     * A fallback method and the type of its trailing exception parameter, null when it has none.
     */
    record Candidate(Method method, Class<? extends Throwable> exceptionType) {

        /**
         * Calls the fallback on the target with the original arguments and, if it takes one, the failure.
         * @throws Throwable what the fallback threw, unchanged
         */
        Object invoke(Object target, Object[] arguments, Throwable failure) throws Throwable {
            Object[] fallbackArguments = arguments;
            if (this.exceptionType != null) {
                fallbackArguments = Arrays.copyOf(arguments, arguments.length + 1);
                fallbackArguments[arguments.length] = failure;
            }
            Object receiver = Modifier.isStatic(this.method.getModifiers()) ? null : target;
            try {
                return this.method.invoke(receiver, fallbackArguments);
            }
            catch (InvocationTargetException ex) {
                throw ex.getTargetException();
            }
        }
    }
}
