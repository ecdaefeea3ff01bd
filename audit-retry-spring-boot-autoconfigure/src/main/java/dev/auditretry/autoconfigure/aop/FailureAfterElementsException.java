package dev.auditretry.autoconfigure.aop;

/**
 * Reports to the manager, and so to retry listeners, that an attempt of a {@code Flux} method failed after it had
 * emitted elements. Such a failure is never retried, because the subscriber has already received those elements and
 * a new attempt would emit them again. The subscriber receives the cause, the Flux's own failure, and the circuit
 * counts the failure by the category of that cause.
 */
public final class FailureAfterElementsException extends RuntimeException {

    private final long elements;

    /**
     * Creates the exception.
     * @param elements how many elements the call emitted before the failure
     * @param cause the failure of the Flux
     */
    public FailureAfterElementsException(long elements, Throwable cause) {
        super("Failed after emitting " + elements + " elements, so the call is not retried: " + cause, cause);
        this.elements = elements;
    }

    /** Returns how many elements the call emitted before the failure. */
    public long getElements() {
        return this.elements;
    }
}
