package dev.auditretry.autoconfigure.aop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.auditretry.annotation.AuditRetryable;
import dev.auditretry.autoconfigure.AuditRetryAutoConfiguration;
import dev.auditretry.autoconfigure.AuditRetryClock;
import dev.auditretry.autoconfigure.MutableClock;
import dev.auditretry.autoconfigure.RecordingDelayScheduler;
import dev.auditretry.core.HttpStatusException;
import dev.auditretry.core.RetryManager;
import dev.auditretry.core.circuit.CircuitBreakerState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

/**
 * Races completions, cancellations and requests of asynchronous {@code @AuditRetryable} calls across threads.
 */
@SpringBootTest(classes = AsyncRetryableConcurrencyTests.TestApplication.class, properties = {
        "audit.retry.jitter=none", "audit.retry.initial-delay=100ms",
        "audit.retry.circuit-breaker.minimum-request-threshold=100000" })
class AsyncRetryableConcurrencyTests {

    private static final int CALLS = 2_000;

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final ExecutorService pool = Executors.newFixedThreadPool(4);

    @Autowired
    private RacingClient client;

    @Autowired
    private RetryManager manager;

    @AfterEach
    void stopPool() throws InterruptedException {
        this.pool.shutdownNow();
        assertThat(this.pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void cancellationRacingWithCompletionEndsEveryCall() throws Exception {
        List<CompletableFuture<String>> results = new ArrayList<>();
        CountDownLatch cancelled = new CountDownLatch(CALLS / 2);

        for (int i = 0; i < CALLS; i++) {
            CompletableFuture<String> result = this.client.read(i, this.pool);
            results.add(result);
            if (i % 2 == 0) {
                this.pool.execute(() -> {
                    result.cancel(true);
                    cancelled.countDown();
                });
            }
        }
        assertThat(cancelled.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        CompletableFuture.allOf(results.stream().map((result) -> result.exceptionally((error) -> null))
                .toArray(CompletableFuture[]::new)).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);

        for (int i = 0; i < CALLS; i++) {
            CompletableFuture<String> result = results.get(i);
            if (!result.isCancelled()) {
                assertThat(result).isCompletedWithValue("value " + i);
            }
        }
        long completed = results.stream().filter((result) -> !result.isCancelled()).count();
        assertThat(completed).isGreaterThanOrEqualTo(CALLS / 2);
        assertThat(this.client.concurrentAttemptsOfOneCall()).isEmpty();
        assertThat(this.manager.getCircuitBreakerStats("/racing:GET").orElseThrow().state())
                .isEqualTo(CircuitBreakerState.CLOSED);
    }

    @Test
    void fluxDeliversEveryElementOnceUnderConcurrentRequests() {
        for (int i = 0; i < 200; i++) {
            List<String> expected = new ArrayList<>();
            for (int element = 0; element < 50; element++) {
                expected.add("element " + element);
            }

            StepVerifier.create(this.client.stream().publishOn(Schedulers.parallel(), 1), 0)
                    .thenRequest(Long.MAX_VALUE)
                    .expectNextSequence(expected)
                    .expectComplete()
                    .verify(TIMEOUT);
        }
    }

    @SpringBootConfiguration
    @ImportAutoConfiguration({ AopAutoConfiguration.class, AuditRetryAutoConfiguration.class })
    static class TestApplication {

        @Bean
        @AuditRetryClock
        MutableClock auditRetryClock() {
            return new MutableClock(Instant.parse("2025-01-01T00:00:00Z"));
        }

        @Bean
        RecordingDelayScheduler recordingDelayScheduler(MutableClock clock) {
            return new RecordingDelayScheduler(clock);
        }

        @Bean
        RacingClient racingClient() {
            return new RacingClient();
        }
    }

    static class RacingClient {

        private final Set<Integer> inFlight = ConcurrentHashMap.newKeySet();

        private final Set<Integer> overlapping = ConcurrentHashMap.newKeySet();

        private final ConcurrentHashMap<Integer, AtomicInteger> attempts = new ConcurrentHashMap<>();

        private final AtomicInteger streams = new AtomicInteger();

        Set<Integer> concurrentAttemptsOfOneCall() {
            return this.overlapping;
        }

        // The first attempt of each call fails, the second succeeds; both complete on a pool thread.
        @AuditRetryable(endpoint = "/racing")
        public CompletableFuture<String> read(int id, ExecutorService pool) {
            if (!this.inFlight.add(id)) {
                this.overlapping.add(id);
            }
            int attempt = this.attempts.computeIfAbsent(id, (key) -> new AtomicInteger()).incrementAndGet();
            return CompletableFuture.supplyAsync(() -> {
                this.inFlight.remove(id);
                if (attempt == 1) {
                    throw new HttpStatusException(503);
                }
                return "value " + id;
            }, pool);
        }

        // Every other stream fails before its first element, so half of the calls are retried.
        @AuditRetryable(endpoint = "/racing/stream")
        public Flux<String> stream() {
            if (this.streams.incrementAndGet() % 2 == 1) {
                return Flux.error(new HttpStatusException(503));
            }
            return Flux.range(0, 50).map((element) -> "element " + element).subscribeOn(Schedulers.boundedElastic());
        }
    }
}
