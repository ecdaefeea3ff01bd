package dev.auditretry.core;

/**
 * Describes failures in log and exception messages.
 */
final class Failures {

    private Failures() {
    }

    /** Returns the simple class name and the message, which never includes a request or response body. */
    static String describe(Throwable failure) {
        String message = failure.getMessage();
        String type = failure.getClass().getSimpleName();
        return (message != null) ? type + ": " + message : type;
    }

    /** Throws any throwable without declaring it, for rethrowing what a typed operation threw. */
    @SuppressWarnings("unchecked")
    static <X extends Throwable> RuntimeException sneakyThrow(Throwable failure) throws X {
        throw (X) failure;
    }
}
