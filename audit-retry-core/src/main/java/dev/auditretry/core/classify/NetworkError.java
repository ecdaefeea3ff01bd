package dev.auditretry.core.classify;

import java.io.EOFException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeoutException;

/**
 * Network failures recognised from the Java exceptions that HTTP clients throw, named after the POSIX
 * error codes that engineers search logs for.
 */
public enum NetworkError {

    /** The peer reset or closed the connection before a complete response arrived. */
    ECONNRESET,

    /** Nothing accepted the connection ({@link ConnectException}); the request cannot have been processed. */
    ECONNREFUSED,

    /**
     * A connect, read or request timeout ({@link SocketTimeoutException}, {@link HttpTimeoutException},
     * {@link TimeoutException}, and Netty's read and write timeouts).
     */
    ETIMEDOUT,

    /** The host name could not be resolved ({@link UnknownHostException}). */
    ENOTFOUND,

    /** Writing to a connection that the peer had already closed. */
    EPIPE;

    private static final String NETTY_TIMEOUT = "io.netty.handler.timeout.TimeoutException";

    /**
     * Returns the network error that this one exception shows, without looking at its causes.
     * @param failure the exception to inspect
     */
    public static Optional<NetworkError> of(Throwable failure) {
        return Optional.ofNullable(match(failure));
    }

    /**
     * Returns the first network error found in the exception or its chain of causes.
     * @param failure the exception to inspect
     */
    public static Optional<NetworkError> findInCauseChain(Throwable failure) {
        for (Throwable current : CauseChain.of(failure)) {
            NetworkError error = match(current);
            if (error != null) {
                return Optional.of(error);
            }
        }
        return Optional.empty();
    }

    /**
     * Returns the error for a name such as {@code "econnreset"}, ignoring case.
     * @param name the code to look up
     */
    public static Optional<NetworkError> fromName(String name) {
        for (NetworkError error : values()) {
            if (error.name().equalsIgnoreCase(name.trim())) {
                return Optional.of(error);
            }
        }
        return Optional.empty();
    }

    private static NetworkError match(Throwable failure) {
        String message = lowerCaseMessage(failure);
        if (failure instanceof SocketTimeoutException || failure instanceof HttpTimeoutException
                || failure instanceof TimeoutException || isNamedTimeout(failure.getClass())) {
            return ETIMEDOUT;
        }
        if (failure instanceof ConnectException) {
            return message.contains("timed out") ? ETIMEDOUT : ECONNREFUSED;
        }
        if (failure instanceof UnknownHostException) {
            return ENOTFOUND;
        }
        if (failure instanceof EOFException) {
            return ECONNRESET;
        }
        if (failure instanceof InterruptedIOException) {
            return null;
        }
        if (failure instanceof java.io.IOException) {
            return matchMessage(message);
        }
        return null;
    }

    // Netty, under Reactor Netty and WebClient, reports read and write timeouts with its own exception types,
    // matched by name so that the core needs no Netty dependency.
    private static boolean isNamedTimeout(Class<?> type) {
        for (Class<?> current = type; current != null && current != Object.class; current = current.getSuperclass()) {
            if (NETTY_TIMEOUT.equals(current.getName())) {
                return true;
            }
        }
        return false;
    }

    // The JDK reports these conditions only through the message of a SocketException or an IOException:
    // HttpURLConnection, the java.net.http client and NIO channels use these phrases, and Reactor Netty reports
    // a connection closed during a response as "Connection prematurely closed".
    private static NetworkError matchMessage(String message) {
        if (message.contains("broken pipe")) {
            return EPIPE;
        }
        if (message.contains("connection reset") || message.contains("unexpected end of file")
                || message.contains("received no bytes") || message.contains("premature eof")
                || message.contains("connection closed") || message.contains("closed by peer")
                || message.contains("prematurely closed")) {
            return ECONNRESET;
        }
        return null;
    }

    private static String lowerCaseMessage(Throwable failure) {
        String message = failure.getMessage();
        return (message != null) ? message.toLowerCase(Locale.ROOT) : "";
    }
}
