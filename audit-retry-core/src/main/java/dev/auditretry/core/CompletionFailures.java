package dev.auditretry.core;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Finds the real failure of an asynchronous operation, which stages and futures wrap in
 * {@link CompletionException} or {@link ExecutionException}.
 */
public final class CompletionFailures {

    private static final int MAX_UNWRAP_DEPTH = 16;

    private CompletionFailures() {
    }

    /**
     * Returns the failure inside any number of {@link CompletionException} and {@link ExecutionException}
     * wrappers, or the given one when it is not such a wrapper or wraps nothing.
     * @param error what a stage or future completed with
     */
    public static Throwable unwrap(Throwable error) {
        Throwable current = error;
        for (int depth = 0; depth < MAX_UNWRAP_DEPTH; depth++) {
            boolean wrapper = current instanceof CompletionException || current instanceof ExecutionException;
            if (!wrapper || current.getCause() == null) {
                return current;
            }
            current = current.getCause();
        }
        return current;
    }
}
