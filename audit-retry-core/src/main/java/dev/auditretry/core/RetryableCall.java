package dev.auditretry.core;

/**
 * An operation that {@link RetryManager} may call more than once.
 *
 * @param <T> the type of the result
 * @param <E> the checked exception the operation throws; inferred as {@link RuntimeException} for a lambda that
 *        throws none, so callers handle exactly what their operation declares
 */
@FunctionalInterface
public interface RetryableCall<T, E extends Exception> {

    /**
     * Makes one attempt.
     * @return the result
     * @throws E when the attempt fails
     */
    T call() throws E;
}
