package dev.auditretry.core;

import dev.auditretry.core.classify.DefaultErrorClassifier;
import dev.auditretry.core.classify.ErrorClassifier;
import dev.auditretry.core.classify.NetworkError;
import java.util.Optional;

/**
 * Describes failures in log and exception messages.
 */
final class Failures {

    private Failures() {
    }

    private static final ErrorClassifier DEFAULT_CLASSIFIER = new DefaultErrorClassifier();

    /**
     * Returns the simple class name with the HTTP status or the network error that the failure carries, and
     * otherwise with its message. Client libraries put response bodies and URLs into the messages of their HTTP
     * and I/O exceptions, and those can hold personal data, so such messages are left out.
     */
    static String describe(Throwable failure, ErrorClassifier classifier) {
        String type = failure.getClass().getSimpleName();
        Optional<HttpStatusException> status = classifier.findHttpStatus(failure);
        if (status.isPresent()) {
            return (status.get() == failure) ? type + ": " + failure.getMessage()
                    : type + ": " + status.get().getMessage();
        }
        Optional<NetworkError> networkError = NetworkError.findInCauseChain(failure);
        if (networkError.isPresent()) {
            return type + ": " + networkError.get();
        }
        String message = failure.getMessage();
        return (message != null) ? type + ": " + message : type;
    }

    /** Describes a failure as {@link #describe(Throwable, ErrorClassifier)} does, knowing only {@link HttpStatusException}. */
    static String describe(Throwable failure) {
        return describe(failure, DEFAULT_CLASSIFIER);
    }

    /** Throws any throwable without declaring it, for rethrowing what a typed operation threw. */
    @SuppressWarnings("unchecked")
    static <X extends Throwable> RuntimeException sneakyThrow(Throwable failure) throws X {
        throw (X) failure;
    }
}
