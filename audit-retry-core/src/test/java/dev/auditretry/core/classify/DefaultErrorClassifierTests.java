package dev.auditretry.core.classify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.auditretry.core.HttpStatusException;
import dev.auditretry.core.RetryConfig;
import dev.auditretry.core.circuit.CircuitBreakerOpenException;
import dev.auditretry.core.circuit.CircuitBreakerState;
import dev.auditretry.core.circuit.CircuitBreakerStats;
import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.lang.reflect.UndeclaredThrowableException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DefaultErrorClassifierTests {

    private final DefaultErrorClassifier classifier = new DefaultErrorClassifier();

    private final RetryConfig defaults = RetryConfig.defaults();

    @ParameterizedTest
    @ValueSource(ints = { 408, 429, 500, 502, 503, 504 })
    void retriesTheDefaultRetryableStatusCodes(int status) {
        assertThat(this.classifier.classify(new HttpStatusException(status), this.defaults))
                .isEqualTo(ErrorCategory.TRANSIENT);
    }

    @ParameterizedTest
    @ValueSource(ints = { 400, 401, 403, 404, 409, 422 })
    void treatsOtherClientErrorsAsClientErrors(int status) {
        assertThat(this.classifier.classify(new HttpStatusException(status), this.defaults))
                .isEqualTo(ErrorCategory.CLIENT_ERROR);
    }

    @ParameterizedTest
    @ValueSource(ints = { 501, 505, 599, 302 })
    void treatsOtherStatusesAsPermanent(int status) {
        assertThat(this.classifier.classify(new HttpStatusException(status), this.defaults))
                .isEqualTo(ErrorCategory.PERMANENT);
    }

    @Test
    void retriesOnlyTheConfiguredStatusCodes() {
        RetryConfig config = RetryConfig.builder().retryableStatusCodes(409).build();

        assertThat(this.classifier.classify(new HttpStatusException(409), config)).isEqualTo(ErrorCategory.TRANSIENT);
        assertThat(this.classifier.classify(new HttpStatusException(503), config)).isEqualTo(ErrorCategory.PERMANENT);
    }

    @Test
    void recognisesNetworkErrorsFromTheirJavaExceptions() {
        assertThat(NetworkError.of(new SocketException("Connection reset"))).contains(NetworkError.ECONNRESET);
        assertThat(NetworkError.of(new SocketException("Connection reset by peer"))).contains(NetworkError.ECONNRESET);
        assertThat(NetworkError.of(new EOFException())).contains(NetworkError.ECONNRESET);
        assertThat(NetworkError.of(new IOException("HTTP/1.1 header parser received no bytes")))
                .contains(NetworkError.ECONNRESET);
        assertThat(NetworkError.of(new ConnectException("Connection refused"))).contains(NetworkError.ECONNREFUSED);
        assertThat(NetworkError.of(new ConnectException("Connection timed out"))).contains(NetworkError.ETIMEDOUT);
        assertThat(NetworkError.of(new SocketTimeoutException("Read timed out"))).contains(NetworkError.ETIMEDOUT);
        assertThat(NetworkError.of(new HttpTimeoutException("request timed out"))).contains(NetworkError.ETIMEDOUT);
        assertThat(NetworkError.of(new HttpConnectTimeoutException("connect timed out")))
                .contains(NetworkError.ETIMEDOUT);
        assertThat(NetworkError.of(new TimeoutException())).contains(NetworkError.ETIMEDOUT);
        assertThat(NetworkError.of(io.netty.handler.timeout.ReadTimeoutException.INSTANCE))
                .contains(NetworkError.ETIMEDOUT);
        assertThat(NetworkError.of(io.netty.handler.timeout.WriteTimeoutException.INSTANCE))
                .contains(NetworkError.ETIMEDOUT);
        assertThat(NetworkError.of(new UnknownHostException("ledger.internal"))).contains(NetworkError.ENOTFOUND);
        assertThat(NetworkError.of(new SocketException("Broken pipe"))).contains(NetworkError.EPIPE);
        assertThat(NetworkError.of(new PrematureClose("Connection prematurely closed DURING response")))
                .contains(NetworkError.ECONNRESET);
        assertThat(NetworkError.of(new IOException("disk full"))).isEmpty();
        assertThat(NetworkError.of(new IllegalStateException("Connection reset"))).isEmpty();
    }

    @Test
    void retriesDefaultNetworkErrors() {
        assertThat(this.classifier.classify(new SocketException("Connection reset"), this.defaults))
                .isEqualTo(ErrorCategory.TRANSIENT);
        assertThat(this.classifier.classify(new SocketTimeoutException(), this.defaults))
                .isEqualTo(ErrorCategory.TRANSIENT);
        assertThat(this.classifier.classify(new UnknownHostException("ledger.internal"), this.defaults))
                .isEqualTo(ErrorCategory.TRANSIENT);
        assertThat(this.classifier.classify(new ConnectException("Connection refused"), this.defaults))
                .isEqualTo(ErrorCategory.PERMANENT);
        assertThat(this.classifier.classify(new SocketException("Broken pipe"), this.defaults))
                .isEqualTo(ErrorCategory.PERMANENT);
    }

    @Test
    void retriesConnectionRefusedWhenListed() {
        RetryConfig config = RetryConfig.builder().retryableErrors("econnrefused").build();

        assertThat(this.classifier.classify(new ConnectException("Connection refused"), config))
                .isEqualTo(ErrorCategory.TRANSIENT);
    }

    @Test
    void findsNetworkErrorsAnywhereInTheCauseChain() {
        Throwable wrapped = new IllegalStateException("client failed",
                new UncheckedIOException(new SocketTimeoutException("Read timed out")));

        assertThat(this.classifier.classify(wrapped, this.defaults)).isEqualTo(ErrorCategory.TRANSIENT);
        assertThat(this.classifier.classify(new UndeclaredThrowableException(new UnknownHostException("x")),
                this.defaults)).isEqualTo(ErrorCategory.TRANSIENT);
    }

    @Test
    void findsHttpStatusesAnywhereInTheCauseChain() {
        Throwable wrapped = new RuntimeException(new HttpStatusException(503));

        assertThat(this.classifier.classify(wrapped, this.defaults)).isEqualTo(ErrorCategory.TRANSIENT);
        assertThat(this.classifier.findHttpStatus(wrapped)).map(HttpStatusException::getStatus).contains(503);
    }

    @Test
    void retriesNamedExceptionClassesAndTheirSubclasses() {
        RetryConfig config = RetryConfig.builder().retryableErrors("java.lang.IllegalStateException").build();

        assertThat(this.classifier.classify(new IllegalStateException(), config)).isEqualTo(ErrorCategory.TRANSIENT);
        assertThat(this.classifier.classify(new SubclassOfIllegalState(), config)).isEqualTo(ErrorCategory.TRANSIENT);
        assertThat(this.classifier.classify(new RuntimeException(new IllegalStateException()), config))
                .isEqualTo(ErrorCategory.TRANSIENT);
        assertThat(this.classifier.classify(new IllegalArgumentException(), config)).isEqualTo(ErrorCategory.PERMANENT);
    }

    @Test
    void neverRetriesAnOpenCircuit() {
        CircuitBreakerStats stats = new CircuitBreakerStats("/ledger:GET", CircuitBreakerState.OPEN, 5, 5, 10,
                Optional.empty(), Optional.empty());
        CircuitBreakerOpenException open = new CircuitBreakerOpenException("open", "/ledger:GET", null, stats,
                new HttpStatusException(503));
        RetryConfig retryEverything = RetryConfig.builder()
                .retryableErrors("dev.auditretry.core.circuit.CircuitBreakerOpenException").build();

        assertThat(this.classifier.classify(open, this.defaults)).isEqualTo(ErrorCategory.CIRCUIT_OPEN);
        assertThat(this.classifier.classify(open, retryEverything)).isEqualTo(ErrorCategory.CIRCUIT_OPEN);
        assertThat(this.classifier.classify(new RuntimeException(open), this.defaults))
                .isEqualTo(ErrorCategory.CIRCUIT_OPEN);
    }

    @Test
    void treatsInterruptsAndCancellationAsCancelled() {
        assertThat(this.classifier.classify(new InterruptedException(), this.defaults))
                .isEqualTo(ErrorCategory.CANCELLED);
        assertThat(this.classifier.classify(new InterruptedIOException(), this.defaults))
                .isEqualTo(ErrorCategory.CANCELLED);
        assertThat(this.classifier.classify(new CancellationException(), this.defaults))
                .isEqualTo(ErrorCategory.CANCELLED);
    }

    @Test
    void treatsUnknownFailuresAsPermanent() {
        assertThat(this.classifier.classify(new IllegalArgumentException("bad"), this.defaults))
                .isEqualTo(ErrorCategory.PERMANENT);
        assertThat(this.classifier.classify(new IOException("disk full"), this.defaults))
                .isEqualTo(ErrorCategory.PERMANENT);
    }

    @Test
    void usesExtractorsForOtherClients() {
        HttpStatusExtractor extractor = (failure) -> (failure instanceof ClientLibraryException client)
                ? Optional.of(new HttpStatusException(client.status, null, null, null, "7", client))
                : Optional.empty();
        DefaultErrorClassifier withExtractor = new DefaultErrorClassifier(List.of(extractor));

        assertThat(withExtractor.classify(new ClientLibraryException(503), this.defaults))
                .isEqualTo(ErrorCategory.TRANSIENT);
        assertThat(withExtractor.classify(new ClientLibraryException(404), this.defaults))
                .isEqualTo(ErrorCategory.CLIENT_ERROR);
        assertThat(withExtractor.findHttpStatus(new ClientLibraryException(429)).flatMap(HttpStatusException::getRetryAfter))
                .contains("7");
        assertThat(this.classifier.classify(new ClientLibraryException(503), this.defaults))
                .isEqualTo(ErrorCategory.PERMANENT);
    }

    @Test
    void looksPastSuccessStatusesToTheCause() {
        Throwable bodyReadFailed = new HttpStatusException(200, "OK", null, null, null,
                new PrematureClose("Connection prematurely closed DURING response"));

        assertThat(this.classifier.classify(bodyReadFailed, this.defaults)).isEqualTo(ErrorCategory.TRANSIENT);
        assertThat(this.classifier.findHttpStatus(bodyReadFailed)).isEmpty();
    }

    @Test
    void stopsAtCyclesInTheCauseChain() {
        CyclicException first = new CyclicException();
        CyclicException second = new CyclicException();
        first.cause = second;
        second.cause = first;

        assertThat(this.classifier.classify(first, this.defaults)).isEqualTo(ErrorCategory.PERMANENT);
    }

    static class SubclassOfIllegalState extends IllegalStateException {
    }

    /** Stands for Reactor Netty's PrematureCloseException, an IOException subclass. */
    static class PrematureClose extends IOException {

        PrematureClose(String message) {
            super(message);
        }
    }

    static class ClientLibraryException extends RuntimeException {

        final int status;

        ClientLibraryException(int status) {
            super("status " + status);
            this.status = status;
        }
    }

    static class CyclicException extends RuntimeException {

        Throwable cause;

        @Override
        public synchronized Throwable getCause() {
            return this.cause;
        }
    }
}
