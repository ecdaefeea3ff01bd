package dev.auditretry.autoconfigure.aop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.auditretry.annotation.AuditRetryable;
import dev.auditretry.autoconfigure.AuditRetryAutoConfiguration;
import dev.auditretry.autoconfigure.AuditRetryClock;
import dev.auditretry.autoconfigure.ManualDelayScheduler;
import dev.auditretry.autoconfigure.MutableClock;
import dev.auditretry.autoconfigure.RecordingRetryListener;
import dev.auditretry.autoconfigure.RecordingRetryListener.FinishedCall;
import dev.auditretry.core.CallOutcome;
import dev.auditretry.core.HttpStatusException;
import dev.auditretry.core.RetryExhaustedException;
import dev.auditretry.core.RetryManager;
import dev.auditretry.core.circuit.CircuitBreakerOpenException;
import dev.auditretry.core.circuit.CircuitBreakerState;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.aopalliance.intercept.MethodInterceptor;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.aop.support.annotation.AnnotationMatchingPointcut;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;

/**
 * Runs {@code @AuditRetryable} methods that return {@link CompletableFuture} and {@link CompletionStage} through the
 * auto-configured advice, with waits that the tests end by hand.
 */
@SpringBootTest(classes = AuditRetryableCompletionStageTests.TestApplication.class, properties = {
        "audit.retry.jitter=none", "audit.retry.initial-delay=100ms",
        "audit.retry.endpoints.[/quotes/fragile].circuit-breaker.failure-threshold=1",
        "audit.retry.endpoints.[/quotes/fragile].circuit-breaker.minimum-request-threshold=1",
        "audit.retry.endpoints.[/quotes/fragile].circuit-breaker.recovery-timeout=10s" })
class AuditRetryableCompletionStageTests {

    private static final String FRAGILE = "/quotes/fragile:GET";

    @Autowired
    private QuoteService quotes;

    @Autowired
    private ManualDelayScheduler scheduler;

    @Autowired
    private MutableClock clock;

    @Autowired
    private RecordingRetryListener listener;

    @Autowired
    private RetryManager manager;

    @Autowired
    private CountingInterceptor innerAdvice;

    @BeforeEach
    void reset() {
        this.quotes.reset();
        this.scheduler.clear();
        this.manager.resetAllCircuitBreakers();
        this.listener.clear();
        this.innerAdvice.reset();
    }

    @Test
    void retriesFailedStagesUntilSuccess() {
        this.quotes.next(List.of(failed(new HttpStatusException(503)), failed(new HttpStatusException(503))));

        CompletableFuture<String> result = this.quotes.quote("1");

        assertThat(result).isNotDone();
        assertThat(this.scheduler.delays()).containsExactly(Duration.ofMillis(100));
        this.scheduler.releaseNext();
        assertThat(result).isNotDone();
        assertThat(this.scheduler.delays()).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200));
        this.scheduler.releaseNext();
        assertThat(result).isCompletedWithValue("quote 1");
        assertThat(this.quotes.calls()).hasValue(3);
        assertThat(this.innerAdvice.invocations()).hasValue(3);
        assertThat(this.listener.finishedCalls()).singleElement()
                .extracting(FinishedCall::outcome).isEqualTo(CallOutcome.SUCCESS_AFTER_RETRY);
    }

    @Test
    void completionStageMethodGetsACompletableFuture() {
        this.quotes.next(List.of(failed(new HttpStatusException(429))));

        CompletionStage<String> result = this.quotes.quoteStage("2");
        this.scheduler.releaseNext();

        assertThat(result).isInstanceOf(CompletableFuture.class);
        assertThat(result.toCompletableFuture()).isCompletedWithValue("quote 2");
        assertThat(this.quotes.calls()).hasValue(2);
    }

    @Test
    void exhaustedRetriesCompleteWithLastFailure() {
        HttpStatusException last = new HttpStatusException(503);
        this.quotes.next(List.of(failed(new HttpStatusException(503)), failed(new HttpStatusException(503)),
                failed(last)));

        CompletableFuture<String> result = this.quotes.quote("3");
        this.scheduler.releaseNext();
        this.scheduler.releaseNext();

        assertThat(failureOf(result)).isSameAs(last);
        assertThat(catchThrowable(result::join)).isInstanceOf(CompletionException.class).hasCause(last);
        assertThat(this.quotes.calls()).hasValue(3);
        assertThat(this.listener.finishedCalls()).singleElement().satisfies((call) -> {
            assertThat(call.outcome()).isEqualTo(CallOutcome.FAILED_AFTER_RETRY);
            assertThat(call.error()).isInstanceOf(RetryExhaustedException.class).hasCause(last);
        });
    }

    @Test
    void unwrapsCompletionExceptionOfAttempt() {
        IOException notRetryable = new IOException("disk full");
        this.quotes.next(List.of(failed(new CompletionException(notRetryable))));

        CompletableFuture<String> result = this.quotes.quote("4");

        assertThat(failureOf(result)).isSameAs(notRetryable);
        assertThat(this.quotes.calls()).hasValue(1);
        assertThat(this.scheduler.pendingCount()).isZero();
    }

    @Test
    void synchronousThrowIsFailedAttempt() {
        this.quotes.throwNext(new HttpStatusException(503));

        CompletableFuture<String> result = this.quotes.quote("5");
        this.scheduler.releaseNext();

        assertThat(result).isCompletedWithValue("quote 5");
        assertThat(this.quotes.calls()).hasValue(2);
    }

    @Test
    void checkedExceptionReachesCallerThroughFuture() throws IOException {
        IOException failure = new IOException("disk full");
        this.quotes.throwNext(failure);

        CompletableFuture<String> result = this.quotes.audited("6");

        assertThat(failureOf(result)).isSameAs(failure);
        assertThat(this.quotes.calls()).hasValue(1);
    }

    @Test
    void openCircuitRejectsWithoutCallingMethod() {
        this.quotes.next(List.of(failed(new HttpStatusException(503))));

        Throwable opened = failureOf(this.quotes.fragile("7"));
        Throwable rejected = failureOf(this.quotes.fragile("8"));

        assertThat(opened).isInstanceOf(CircuitBreakerOpenException.class).hasCauseInstanceOf(
                HttpStatusException.class);
        assertThat(rejected).isInstanceOf(CircuitBreakerOpenException.class);
        assertThat(this.quotes.calls()).hasValue(1);
        assertThat(this.listener.finishedCalls()).extracting(FinishedCall::outcome)
                .containsExactly(CallOutcome.REJECTED, CallOutcome.REJECTED);
    }

    @Test
    void plainFallbackValueAfterExhaustion() {
        HttpStatusException last = new HttpStatusException(503);
        this.quotes.next(List.of(failed(new HttpStatusException(503)), failed(new HttpStatusException(503)),
                failed(last)));

        CompletableFuture<String> result = this.quotes.quoteOrCached("9");
        assertThat(this.quotes.fallbackFailures()).isEmpty();
        this.scheduler.releaseNext();
        this.scheduler.releaseNext();

        assertThat(result).isCompletedWithValue("cached 9");
        assertThat(this.quotes.fallbackFailures()).containsExactly(last);
    }

    @Test
    void fallbackStageDecidesOutcome() {
        CompletableFuture<String> replica = new CompletableFuture<>();
        this.quotes.useReplica(replica);
        this.quotes.next(List.of(failed(new HttpStatusException(503)), failed(new HttpStatusException(503)),
                failed(new HttpStatusException(503))));

        CompletableFuture<String> result = this.quotes.quoteOrReplica("10");
        this.scheduler.releaseNext();
        this.scheduler.releaseNext();

        assertThat(result).isNotDone();
        replica.complete("replica 10");
        assertThat(result).isCompletedWithValue("replica 10");
    }

    @Test
    void failingFallbackStageReachesCallerUnwrapped() {
        IllegalStateException replicaDown = new IllegalStateException("replica down");
        this.quotes.useReplica(CompletableFuture.failedFuture(new CompletionException(replicaDown)));
        this.quotes.next(List.of(failed(new HttpStatusException(503)), failed(new HttpStatusException(503)),
                failed(new HttpStatusException(503))));

        CompletableFuture<String> result = this.quotes.quoteOrReplica("11");
        this.scheduler.releaseNext();
        this.scheduler.releaseNext();

        assertThat(failureOf(result)).isSameAs(replicaDown);
    }

    @Test
    void fallbackSkipsFailuresThatAreNeverRetried() {
        HttpStatusException badRequest = new HttpStatusException(400);
        this.quotes.next(List.of(failed(badRequest)));

        CompletableFuture<String> result = this.quotes.quoteOrCached("12");

        assertThat(failureOf(result)).isSameAs(badRequest);
        assertThat(this.quotes.fallbackFailures()).isEmpty();
    }

    @Test
    void fallbackRunsWhenCircuitRejects() {
        this.quotes.next(List.of(failed(new HttpStatusException(503))));

        CompletableFuture<String> opened = this.quotes.fragileOrClosed("13");
        CompletableFuture<String> rejected = this.quotes.fragileOrClosed("14");

        assertThat(opened).isCompletedWithValue("circuit open for 13");
        assertThat(rejected).isCompletedWithValue("circuit open for 14");
        assertThat(this.quotes.calls()).hasValue(1);
    }

    @Test
    void cancellingTrialCallReleasesHalfOpenPermit() {
        this.quotes.next(List.of(failed(new HttpStatusException(503))));
        assertThat(failureOf(this.quotes.fragile("15"))).isInstanceOf(CircuitBreakerOpenException.class);
        this.clock.advance(Duration.ofSeconds(10));
        CompletableFuture<String> trialStage = new CompletableFuture<>();
        this.quotes.next(List.of(trialStage));

        CompletableFuture<String> trial = this.quotes.fragile("16");
        assertThat(state(FRAGILE)).isEqualTo(CircuitBreakerState.HALF_OPEN);
        assertThat(failureOf(this.quotes.fragile("17"))).isInstanceOf(CircuitBreakerOpenException.class);
        trial.cancel(true);

        assertThat(trialStage).isCancelled();
        assertThat(this.quotes.fragile("18")).isCompletedWithValue("quote 18");
        assertThat(state(FRAGILE)).isEqualTo(CircuitBreakerState.CLOSED);
        assertThat(this.quotes.calls()).hasValue(3);
    }

    @Test
    void cancellingDuringWaitStopsFurtherAttempts() {
        this.quotes.next(List.of(failed(new HttpStatusException(503))));

        CompletableFuture<String> result = this.quotes.quote("19");
        result.cancel(true);
        this.scheduler.releaseNext();

        assertThat(result).isCancelled();
        assertThat(this.quotes.calls()).hasValue(1);
        assertThat(this.scheduler.pendingCount()).isZero();
    }

    private CircuitBreakerState state(String key) {
        return this.manager.getCircuitBreakerStats(key).orElseThrow().state();
    }

    private static CompletableFuture<String> failed(Throwable failure) {
        return CompletableFuture.failedFuture(failure);
    }

    private static Throwable failureOf(CompletableFuture<?> result) {
        assertThat(result).isDone();
        return result.handle((value, error) -> error).join();
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
        ManualDelayScheduler manualDelayScheduler(MutableClock clock) {
            return new ManualDelayScheduler(clock);
        }

        @Bean
        RecordingRetryListener recordingRetryListener() {
            return new RecordingRetryListener();
        }

        @Bean
        CountingInterceptor countingInterceptor() {
            return new CountingInterceptor();
        }

        // Ordered after the retry advice, so it runs inside it, once per attempt.
        @Bean
        DefaultPointcutAdvisor innerAdvisor(CountingInterceptor interceptor) {
            DefaultPointcutAdvisor advisor = new DefaultPointcutAdvisor(
                    AnnotationMatchingPointcut.forMethodAnnotation(AuditRetryable.class), interceptor);
            advisor.setOrder(Integer.MAX_VALUE);
            return advisor;
        }

        @Bean
        QuoteService quoteService() {
            return new QuoteService();
        }
    }

    static class CountingInterceptor implements MethodInterceptor {

        private final AtomicInteger invocations = new AtomicInteger();

        @Override
        public Object invoke(org.aopalliance.intercept.MethodInvocation invocation) throws Throwable {
            this.invocations.incrementAndGet();
            return invocation.proceed();
        }

        AtomicInteger invocations() {
            return this.invocations;
        }

        void reset() {
            this.invocations.set(0);
        }
    }

    static class QuoteService {

        final AtomicInteger calls = new AtomicInteger();

        final Queue<CompletableFuture<String>> stages = new ConcurrentLinkedQueue<>();

        final Queue<Exception> thrown = new ConcurrentLinkedQueue<>();

        final List<Throwable> fallbackFailures = new CopyOnWriteArrayList<>();

        volatile CompletableFuture<String> replica;

        // Tests read the state through methods, because reading a field of the proxy returns the proxy's own field.
        void reset() {
            this.calls.set(0);
            this.stages.clear();
            this.thrown.clear();
            this.fallbackFailures.clear();
        }

        AtomicInteger calls() {
            return this.calls;
        }

        List<Throwable> fallbackFailures() {
            return this.fallbackFailures;
        }

        void next(List<CompletableFuture<String>> results) {
            this.stages.addAll(results);
        }

        void useReplica(CompletableFuture<String> stage) {
            this.replica = stage;
        }

        void throwNext(Exception failure) {
            this.thrown.add(failure);
        }

        private CompletableFuture<String> attempt(String id) throws Exception {
            this.calls.incrementAndGet();
            Exception failure = this.thrown.poll();
            if (failure != null) {
                throw failure;
            }
            CompletableFuture<String> scripted = this.stages.poll();
            return (scripted != null) ? scripted : CompletableFuture.completedFuture("quote " + id);
        }

        private CompletableFuture<String> uncheckedAttempt(String id) {
            try {
                return attempt(id);
            }
            catch (RuntimeException ex) {
                throw ex;
            }
            catch (Exception ex) {
                throw new IllegalStateException(ex);
            }
        }

        @AuditRetryable(endpoint = "/quotes")
        public CompletableFuture<String> quote(String id) {
            return uncheckedAttempt(id);
        }

        @AuditRetryable(endpoint = "/quotes/stage")
        public CompletionStage<String> quoteStage(String id) {
            return uncheckedAttempt(id);
        }

        @AuditRetryable(endpoint = "/quotes/audited")
        public CompletableFuture<String> audited(String id) throws IOException {
            try {
                return attempt(id);
            }
            catch (IOException | RuntimeException ex) {
                throw ex;
            }
            catch (Exception ex) {
                throw new IllegalStateException(ex);
            }
        }

        @AuditRetryable(endpoint = "/quotes/cached", fallbackMethod = "cached")
        public CompletableFuture<String> quoteOrCached(String id) {
            return uncheckedAttempt(id);
        }

        // A plain value: the caller's future completes with it. It may declare checked exceptions.
        String cached(String id, Throwable failure) throws IOException {
            this.fallbackFailures.add(failure);
            return "cached " + id;
        }

        @AuditRetryable(endpoint = "/quotes/replicated", fallbackMethod = "fromReplica")
        public CompletableFuture<String> quoteOrReplica(String id) {
            return uncheckedAttempt(id);
        }

        CompletionStage<String> fromReplica(String id) {
            return this.replica;
        }

        @AuditRetryable(endpoint = "/quotes/fragile")
        public CompletableFuture<String> fragile(String id) {
            return uncheckedAttempt(id);
        }

        @AuditRetryable(endpoint = "/quotes/fragile", fallbackMethod = "whenOpen")
        public CompletableFuture<String> fragileOrClosed(String id) {
            return uncheckedAttempt(id);
        }

        CompletableFuture<String> whenOpen(String id, CircuitBreakerOpenException rejected) {
            return CompletableFuture.completedFuture("circuit open for " + id);
        }
    }
}
