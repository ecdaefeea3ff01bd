package dev.auditretry.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.auditretry.core.backoff.Jitter;
import dev.auditretry.core.circuit.CircuitBreaker;
import dev.auditretry.core.circuit.CircuitBreakerConfig;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class RetryLoggingTests {

    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    private final MutableClock clock = new MutableClock();

    private final RetryManager manager = RetryManager.builder().clock(this.clock)
            .sleeper(new RecordingSleeper(this.clock))
            .retryConfig(RetryConfig.builder().maxAttempts(2).initialDelay(Duration.ofMillis(400)).jitter(Jitter.NONE).build())
            .circuitBreakerConfig(CircuitBreakerConfig.builder().failureThreshold(2).minimumRequestThreshold(2)
                    .recoveryTimeout(Duration.ofSeconds(30)).build())
            .build();

    @BeforeEach
    void captureLogs() {
        this.appender.start();
        for (Class<?> source : List.of(RetryManager.class, CircuitBreaker.class)) {
            Logger logger = (Logger) LoggerFactory.getLogger(source);
            logger.setLevel(Level.DEBUG);
            logger.addAppender(this.appender);
        }
    }

    @AfterEach
    void stopCapturing() {
        for (Class<?> source : List.of(RetryManager.class, CircuitBreaker.class)) {
            Logger logger = (Logger) LoggerFactory.getLogger(source);
            logger.detachAppender(this.appender);
            logger.setLevel(null);
        }
    }

    @Test
    void logsRetriesAndOpeningAtTheirLevels() {
        RetryContext context = RetryContext.of("/ledger", "POST", "req-7");

        catchThrowable(() -> this.manager.execute(context, () -> {
            throw new HttpStatusException(503, "Service Unavailable", "{\"iban\":\"secret\"}", "req-7", null);
        }));

        assertThat(lines()).containsExactly(
                "DEBUG Retrying '/ledger:POST (request req-7)' in 400 ms (attempt 2 of 2) after HttpStatusException: "
                        + "HTTP 503 Service Unavailable for request 'req-7'",
                "WARN Circuit for '/ledger:POST' opened after 2 failures in 2 requests within 5 min; failing fast for 30 s",
                "WARN Giving up on '/ledger:POST (request req-7)' after 2 attempts: HttpStatusException: "
                        + "HTTP 503 Service Unavailable for request 'req-7'");
    }

    @Test
    void logsGivingUpAtWarnWithoutAStackTrace() {
        catchThrowable(() -> this.manager.execute(RetryContext.of("/accounts"), () -> {
            throw new HttpStatusException(503);
        }));

        ILoggingEvent givingUp = this.appender.list.stream()
                .filter((event) -> event.getFormattedMessage().startsWith("Giving up")).findFirst().orElseThrow();
        assertThat(givingUp.getLevel()).isEqualTo(Level.WARN);
        assertThat(givingUp.getFormattedMessage())
                .isEqualTo("Giving up on '/accounts:GET' after 2 attempts: HttpStatusException: HTTP 503");
        assertThat(givingUp.getThrowableProxy()).isNull();
    }

    @Test
    void logsHalfOpenAndClosingAtInfo() {
        RetryContext context = RetryContext.of("/ledger");
        catchThrowable(() -> this.manager.execute(context, () -> {
            throw new HttpStatusException(503);
        }));
        this.appender.list.clear();
        this.clock.advance(Duration.ofSeconds(30));

        this.manager.execute(context, () -> "ok");

        assertThat(lines()).containsExactly(
                "INFO Circuit for '/ledger:GET' is half-open; admitting up to 1 trial calls",
                "INFO Circuit for '/ledger:GET' closed after a successful trial call");
    }

    @Test
    void logsAsynchronousRetriesAtDebug() {
        RetryManager asyncManager = RetryManager.builder().clock(this.clock)
                .delayScheduler((delay) -> java.util.concurrent.CompletableFuture.completedFuture(null))
                .retryConfig(RetryConfig.builder().maxAttempts(2).initialDelay(Duration.ofMillis(400)).jitter(Jitter.NONE).build())
                .build();

        asyncManager.executeAsync(RetryContext.of("/quotes"),
                () -> java.util.concurrent.CompletableFuture.failedFuture(new HttpStatusException(503)));

        assertThat(lines()).contains(
                "DEBUG Retrying '/quotes:GET' in 400 ms (attempt 2 of 2) after HttpStatusException: HTTP 503");
    }

    @Test
    void neverLogsResponseBodies() {
        catchThrowable(() -> this.manager.execute(RetryContext.of("/ledger"), () -> {
            throw new HttpStatusException(503, null, "card=4111111111111111", null, null);
        }));

        assertThat(this.appender.list).isNotEmpty();
        assertThat(lines()).noneMatch((line) -> line.contains("4111111111111111"));
    }

    @Test
    void leavesClientExceptionMessagesOutOfLogs() {
        RuntimeException clientError = new IllegalStateException(
                "503 Service Unavailable: \"{\\\"card\\\":\\\"4111111111111111\\\"}\"", new HttpStatusException(503));
        RuntimeException ioError = new IllegalStateException(
                "I/O error on GET request for \"http://127.0.0.1/ledger?token=s3cr3t\": null",
                new java.net.SocketException("Connection reset"));

        Throwable exhausted = catchThrowable(() -> this.manager.execute(RetryContext.of("/cards"), () -> {
            throw clientError;
        }));
        catchThrowable(() -> this.manager.execute(RetryContext.of("/tokens"), () -> {
            throw ioError;
        }));

        assertThat(lines()).contains(
                "DEBUG Retrying '/cards:GET' in 400 ms (attempt 2 of 2) after IllegalStateException: HTTP 503",
                "DEBUG Retrying '/tokens:GET' in 400 ms (attempt 2 of 2) after IllegalStateException: ECONNRESET");
        assertThat(lines()).noneMatch((line) -> line.contains("4111111111111111"));
        assertThat(lines()).noneMatch((line) -> line.contains("s3cr3t"));
        assertThat(exhausted).isInstanceOf(RetryExhaustedException.class);
        assertThat(exhausted.getMessage()).doesNotContain("4111111111111111").endsWith("IllegalStateException: HTTP 503");
    }

    private List<String> lines() {
        return this.appender.list.stream().map((event) -> event.getLevel() + " " + event.getFormattedMessage()).toList();
    }
}
