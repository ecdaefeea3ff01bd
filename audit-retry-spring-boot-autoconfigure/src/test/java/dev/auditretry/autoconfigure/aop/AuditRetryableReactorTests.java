package dev.auditretry.autoconfigure.aop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.auditretry.annotation.AuditRetryable;
import dev.auditretry.autoconfigure.AuditRetryAutoConfiguration;
import dev.auditretry.autoconfigure.AuditRetryClock;
import dev.auditretry.autoconfigure.MutableClock;
import dev.auditretry.autoconfigure.RecordingRetryListener;
import dev.auditretry.autoconfigure.RecordingRetryListener.FinishedCall;
import dev.auditretry.core.CallOutcome;
import dev.auditretry.core.HttpStatusException;
import dev.auditretry.core.RetryManager;
import dev.auditretry.core.circuit.CircuitBreakerOpenException;
import dev.auditretry.core.circuit.CircuitBreakerState;
import dev.auditretry.core.circuit.CircuitBreakerStats;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;
import reactor.util.context.Context;

/**
 * Runs {@code @AuditRetryable} methods that return {@link Mono} and {@link Flux} through the auto-configured advice.
 * The waits run on Reactor's parallel scheduler, which {@link StepVerifier#withVirtualTime} replaces.
 */
@SpringBootTest(classes = AuditRetryableReactorTests.TestApplication.class, properties = {
        "audit.retry.jitter=none", "audit.retry.initial-delay=100ms",
        "audit.retry.endpoints.[/prices/fragile].circuit-breaker.failure-threshold=1",
        "audit.retry.endpoints.[/prices/fragile].circuit-breaker.minimum-request-threshold=1",
        "audit.retry.endpoints.[/prices/fragile].circuit-breaker.recovery-timeout=10s" })
class AuditRetryableReactorTests {

    private static final Duration ALL_WAITS = Duration.ofMillis(300);

    @Autowired
    private PriceClient prices;

    @Autowired
    private MutableClock clock;

    @Autowired
    private RecordingRetryListener listener;

    @Autowired
    private RetryManager manager;

    @BeforeEach
    void reset() {
        this.prices.reset();
        this.manager.resetAllCircuitBreakers();
        this.listener.clear();
    }

    @Test
    void monoNeverSubscribedCallsNothing() {
        Mono<String> price = this.prices.unsubscribedPrice("1");

        assertThat(price).isNotNull();
        assertThat(this.prices.invocations()).hasValue(0);
        assertThat(this.prices.subscriptions()).hasValue(0);
        assertThat(this.listener.events()).isEmpty();
        assertThat(this.manager.getCircuitKeys()).doesNotContain("/prices/unsubscribed:GET");
    }

    @Test
    void monoWaitsInVirtualTimeBetweenAttempts() {
        this.prices.failNext(List.of(new HttpStatusException(503), new HttpStatusException(503)));

        StepVerifier.withVirtualTime(() -> this.prices.lazyPrice("2"))
                .expectSubscription()
                .then(() -> assertThat(this.prices.invocations()).hasValue(1))
                .expectNoEvent(Duration.ofMillis(99))
                .then(() -> assertThat(this.prices.invocations()).hasValue(1))
                .thenAwait(Duration.ofMillis(1))
                .then(() -> assertThat(this.prices.invocations()).hasValue(2))
                .expectNoEvent(Duration.ofMillis(199))
                .then(() -> assertThat(this.prices.invocations()).hasValue(2))
                .thenAwait(Duration.ofMillis(1))
                .expectNext("lazy 2")
                .verifyComplete();

        assertThat(this.prices.invocations()).hasValue(3);
        assertThat(this.prices.subscriptions()).hasValue(3);
        assertThat(this.listener.finishedCalls()).singleElement()
                .extracting(FinishedCall::outcome).isEqualTo(CallOutcome.SUCCESS_AFTER_RETRY);
    }

    @Test
    void eagerMonoMethodInvokedPerAttempt() {
        this.prices.failNext(List.of(new HttpStatusException(503), new HttpStatusException(503)));

        StepVerifier.withVirtualTime(() -> this.prices.eagerPrice("3"))
                .thenAwait(ALL_WAITS)
                .expectNext("eager 3")
                .verifyComplete();

        assertThat(this.prices.invocations()).hasValue(3);
    }

    @Test
    void monoExhaustedRetriesFailWithLastFailure() {
        HttpStatusException last = new HttpStatusException(503);
        this.prices.failNext(List.of(new HttpStatusException(503), new HttpStatusException(503), last));

        StepVerifier.withVirtualTime(() -> this.prices.lazyPrice("4"))
                .thenAwait(ALL_WAITS)
                .expectErrorSatisfies((error) -> assertThat(error).isSameAs(last))
                .verify();

        assertThat(this.prices.invocations()).hasValue(3);
    }

    @Test
    void monoOpenCircuitRejectsWithoutInvokingMethod() {
        this.prices.failNext(List.of(new HttpStatusException(503)));

        StepVerifier.create(this.prices.fragilePrice("5"))
                .expectErrorSatisfies((error) -> assertThat(error).isInstanceOf(CircuitBreakerOpenException.class)
                        .hasCauseInstanceOf(HttpStatusException.class))
                .verify();
        StepVerifier.create(this.prices.fragilePrice("6"))
                .expectError(CircuitBreakerOpenException.class)
                .verify();

        assertThat(this.prices.invocations()).hasValue(1);
    }

    @Test
    void monoPlainFallbackAfterExhaustion() {
        HttpStatusException last = new HttpStatusException(503);
        this.prices.failNext(List.of(new HttpStatusException(503), new HttpStatusException(503), last));

        StepVerifier.withVirtualTime(() -> this.prices.priceOrCached("7"))
                .thenAwait(ALL_WAITS)
                .expectNext("cached 7")
                .verifyComplete();

        assertThat(this.prices.fallbackFailures()).containsExactly(last);
    }

    @Test
    void monoFallbackRunsWhenCircuitRejects() {
        this.prices.failNext(List.of(new HttpStatusException(503)));

        StepVerifier.create(this.prices.fragileOrDefault("8")).expectNext("default 8").verifyComplete();
        StepVerifier.create(this.prices.fragileOrDefault("9")).expectNext("default 9").verifyComplete();

        assertThat(this.prices.invocations()).hasValue(1);
    }

    @Test
    void monoCancellationReleasesHalfOpenPermit() {
        this.prices.failNext(List.of(new HttpStatusException(503)));
        StepVerifier.create(this.prices.fragilePrice("10")).expectError(CircuitBreakerOpenException.class).verify();
        this.clock.advance(Duration.ofSeconds(10));
        AtomicBoolean trialCancelled = new AtomicBoolean();
        this.prices.hangNext(Mono.<String>never().doOnCancel(() -> trialCancelled.set(true)));

        StepVerifier.create(this.prices.fragilePrice("11"))
                .expectSubscription()
                .then(() -> assertThat(state("/prices/fragile:GET")).isEqualTo(CircuitBreakerState.HALF_OPEN))
                .then(() -> StepVerifier.create(this.prices.fragilePrice("12"))
                        .expectError(CircuitBreakerOpenException.class).verify())
                .thenCancel()
                .verify();

        assertThat(trialCancelled).isTrue();
        StepVerifier.create(this.prices.fragilePrice("13")).expectNext("fragile 13").verifyComplete();
        assertThat(state("/prices/fragile:GET")).isEqualTo(CircuitBreakerState.CLOSED);
    }

    @Test
    void monoSeesSubscriberContext() {
        StepVerifier.create(this.prices.tenant().contextWrite(Context.of("tenant", "acme")))
                .expectNext("acme")
                .verifyComplete();
    }

    @Test
    void emptyMonoCompletesEmpty() {
        StepVerifier.create(this.prices.nothing()).verifyComplete();

        assertThat(this.listener.finishedCalls()).singleElement()
                .extracting(FinishedCall::outcome).isEqualTo(CallOutcome.SUCCESS_WITHOUT_RETRY);
    }

    @Test
    void fluxRetriesFailuresBeforeFirstElement() {
        this.prices.streamNext(List.of(Flux.error(new HttpStatusException(503)),
                Flux.error(new HttpStatusException(503))));

        StepVerifier.withVirtualTime(() -> this.prices.ticks())
                .expectSubscription()
                .expectNoEvent(Duration.ofMillis(299))
                .thenAwait(Duration.ofMillis(1))
                .expectNext("a", "b", "c")
                .verifyComplete();

        assertThat(this.prices.invocations()).hasValue(3);
    }

    @Test
    void fluxFailureAfterElementsIsNotRetried() {
        HttpStatusException failure = new HttpStatusException(503);
        this.prices.streamNext(List.of(Flux.just("a", "b").concatWith(Flux.error(failure))));

        StepVerifier.create(this.prices.ticksOrCached())
                .expectNext("a", "b")
                .expectErrorSatisfies((error) -> assertThat(error).isSameAs(failure))
                .verify();

        assertThat(this.prices.invocations()).hasValue(1);
        assertThat(this.prices.fallbackFailures()).isEmpty();
        assertThat(stats("/prices/ticks/cached:GET").failureCount()).isEqualTo(1);
        assertThat(this.listener.finishedCalls()).singleElement().satisfies((call) -> {
            assertThat(call.outcome()).isEqualTo(CallOutcome.FAILED_WITHOUT_RETRY);
            assertThat(call.error()).isInstanceOf(FailureAfterElementsException.class).hasCause(failure);
            assertThat(((FailureAfterElementsException) call.error()).getElements()).isEqualTo(2);
        });
    }

    @Test
    void fluxFallbackReplacesStreamAfterRetriesAreUsedUp() {
        HttpStatusException last = new HttpStatusException(503);
        this.prices.streamNext(List.of(Flux.error(new HttpStatusException(503)),
                Flux.error(new HttpStatusException(503)), Flux.error(last)));

        StepVerifier.withVirtualTime(() -> this.prices.ticksOrCached())
                .thenAwait(ALL_WAITS)
                .expectNext("cached a", "cached b")
                .verifyComplete();

        assertThat(this.prices.fallbackFailures()).containsExactly(last);
    }

    @Test
    void fluxAttemptReachesCircuitWhenItTerminates() {
        Sinks.Many<String> upstream = Sinks.many().unicast().onBackpressureBuffer();
        this.prices.streamNext(List.of(upstream.asFlux()));

        StepVerifier.create(this.prices.ticks())
                .then(() -> upstream.tryEmitNext("a"))
                .expectNext("a")
                .then(() -> assertThat(stats("/prices/ticks:GET").totalRequests()).isZero())
                .then(upstream::tryEmitComplete)
                .verifyComplete();

        assertThat(stats("/prices/ticks:GET").successCount()).isEqualTo(1);
    }

    @Test
    void fluxCarriesDemandOverRetry() {
        List<Long> requests = new CopyOnWriteArrayList<>();
        this.prices.streamNext(List.of(Flux.error(new HttpStatusException(503)),
                Flux.range(1, 10).map(String::valueOf).doOnRequest(requests::add)));

        StepVerifier.withVirtualTime(() -> this.prices.ticks(), 0)
                .expectSubscription()
                .thenRequest(2)
                .thenAwait(Duration.ofMillis(100))
                .expectNext("1", "2")
                .then(() -> assertThat(requests).containsExactly(2L))
                .thenRequest(1)
                .expectNext("3")
                .thenCancel()
                .verify();

        assertThat(requests).containsExactly(2L, 1L);
    }

    @Test
    void fluxCancellationReleasesHalfOpenPermit() {
        this.prices.streamNext(List.of(Flux.error(new HttpStatusException(503))));
        StepVerifier.create(this.prices.fragileTicks()).expectError(CircuitBreakerOpenException.class).verify();
        this.clock.advance(Duration.ofSeconds(10));
        AtomicBoolean trialCancelled = new AtomicBoolean();
        this.prices.streamNext(List.of(Flux.just("first").concatWith(Flux.<String>never())
                .doOnCancel(() -> trialCancelled.set(true))));

        StepVerifier.create(this.prices.fragileTicks())
                .expectNext("first")
                .then(() -> assertThat(state("/prices/fragile:GET")).isEqualTo(CircuitBreakerState.HALF_OPEN))
                .thenCancel()
                .verify();

        assertThat(trialCancelled).isTrue();
        StepVerifier.create(this.prices.fragileTicks()).expectNext("a", "b", "c").verifyComplete();
        assertThat(state("/prices/fragile:GET")).isEqualTo(CircuitBreakerState.CLOSED);
    }

    private CircuitBreakerState state(String key) {
        return stats(key).state();
    }

    private CircuitBreakerStats stats(String key) {
        return this.manager.getCircuitBreakerStats(key).orElseThrow();
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
        RecordingRetryListener recordingRetryListener() {
            return new RecordingRetryListener();
        }

        @Bean
        PriceClient priceClient() {
            return new PriceClient();
        }
    }

    static class PriceClient {

        final AtomicInteger invocations = new AtomicInteger();

        final AtomicInteger subscriptions = new AtomicInteger();

        final Queue<Throwable> failures = new ConcurrentLinkedQueue<>();

        final Queue<Mono<String>> hanging = new ConcurrentLinkedQueue<>();

        final Queue<Flux<String>> streams = new ConcurrentLinkedQueue<>();

        final List<Throwable> fallbackFailures = new CopyOnWriteArrayList<>();

        // Tests read the state through methods, because reading a field of the proxy returns the proxy's own field.
        void reset() {
            this.invocations.set(0);
            this.subscriptions.set(0);
            this.failures.clear();
            this.hanging.clear();
            this.streams.clear();
            this.fallbackFailures.clear();
        }

        AtomicInteger invocations() {
            return this.invocations;
        }

        AtomicInteger subscriptions() {
            return this.subscriptions;
        }

        List<Throwable> fallbackFailures() {
            return this.fallbackFailures;
        }

        void failNext(List<Throwable> next) {
            this.failures.addAll(next);
        }

        void hangNext(Mono<String> next) {
            this.hanging.add(next);
        }

        void streamNext(List<Flux<String>> next) {
            this.streams.addAll(next);
        }

        // The backend's work runs when the Mono is subscribed to.
        private Mono<String> lazy(String value) {
            this.invocations.incrementAndGet();
            return Mono.defer(() -> {
                this.subscriptions.incrementAndGet();
                Throwable failure = this.failures.poll();
                return (failure != null) ? Mono.error(failure) : Mono.just(value);
            });
        }

        private Flux<String> stream() {
            this.invocations.incrementAndGet();
            Flux<String> scripted = this.streams.poll();
            return (scripted != null) ? scripted : Flux.just("a", "b", "c");
        }

        @AuditRetryable(endpoint = "/prices/lazy")
        public Mono<String> lazyPrice(String id) {
            return lazy("lazy " + id);
        }

        @AuditRetryable(endpoint = "/prices/unsubscribed")
        public Mono<String> unsubscribedPrice(String id) {
            return lazy("unsubscribed " + id);
        }

        // The backend's work runs before the Mono is built, so only invoking the method again repeats it.
        @AuditRetryable(endpoint = "/prices/eager")
        public Mono<String> eagerPrice(String id) {
            this.invocations.incrementAndGet();
            Throwable failure = this.failures.poll();
            return (failure != null) ? Mono.error(failure) : Mono.just("eager " + id);
        }

        @AuditRetryable(endpoint = "/prices/fragile")
        public Mono<String> fragilePrice(String id) {
            Mono<String> hangingMono = this.hanging.poll();
            if (hangingMono != null) {
                this.invocations.incrementAndGet();
                return hangingMono;
            }
            return lazy("fragile " + id);
        }

        @AuditRetryable(endpoint = "/prices/fragile", fallbackMethod = "defaultPrice")
        public Mono<String> fragileOrDefault(String id) {
            return lazy("fragile " + id);
        }

        Mono<String> defaultPrice(String id, CircuitBreakerOpenException rejected) {
            return Mono.just("default " + id);
        }

        @AuditRetryable(endpoint = "/prices/cached", fallbackMethod = "cachedPrice")
        public Mono<String> priceOrCached(String id) {
            return lazy("price " + id);
        }

        String cachedPrice(String id, Throwable failure) {
            this.fallbackFailures.add(failure);
            return "cached " + id;
        }

        @AuditRetryable(endpoint = "/prices/tenant")
        public Mono<String> tenant() {
            return Mono.deferContextual((context) -> Mono.just(context.get("tenant")));
        }

        @AuditRetryable(endpoint = "/prices/nothing")
        public Mono<String> nothing() {
            return Mono.empty();
        }

        @AuditRetryable(endpoint = "/prices/ticks")
        public Flux<String> ticks() {
            return stream();
        }

        @AuditRetryable(endpoint = "/prices/ticks/cached", fallbackMethod = "cachedTicks")
        public Flux<String> ticksOrCached() {
            return stream();
        }

        Flux<String> cachedTicks(Throwable failure) {
            this.fallbackFailures.add(failure);
            return Flux.just("cached a", "cached b");
        }

        @AuditRetryable(endpoint = "/prices/fragile")
        public Flux<String> fragileTicks() {
            return stream();
        }
    }
}
