package dev.auditretry.autoconfigure.aop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.auditretry.annotation.AuditRetryable;
import dev.auditretry.autoconfigure.AuditRetryAutoConfiguration;
import dev.auditretry.autoconfigure.AuditRetryClock;
import dev.auditretry.autoconfigure.MutableClock;
import dev.auditretry.autoconfigure.RecordingSleeper;
import dev.auditretry.core.HttpStatusException;
import dev.auditretry.core.RetryExhaustedException;
import dev.auditretry.core.RetryManager;
import dev.auditretry.core.circuit.CircuitBreakerOpenException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.lang.reflect.UndeclaredThrowableException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.core.annotation.AliasFor;

@SpringBootTest(classes = AuditRetryableAspectTests.TestApplication.class, properties = {
        "audit.retry.jitter=none", "audit.retry.initial-delay=100ms", "ledger.path=/ledger/resolved",
        "audit.retry.endpoints.[/ledger/fragile].circuit-breaker.failure-threshold=1",
        "audit.retry.endpoints.[/ledger/fragile].circuit-breaker.minimum-request-threshold=1" })
class AuditRetryableAspectTests {

    @Autowired
    private LedgerService ledger;

    @Autowired
    private AuditService audit;

    @Autowired
    private EventsClient events;

    @Autowired
    private RetryManager manager;

    @Autowired
    private RecordingSleeper sleeper;

    @BeforeEach
    void reset() {
        this.ledger.reset();
        this.audit.reset();
        this.sleeper.clear();
        this.manager.resetAllCircuitBreakers();
    }

    @Test
    void retriesTransientFailuresUntilSuccess() throws IOException {
        this.ledger.failWith(new HttpStatusException(503), new HttpStatusException(429));

        String result = this.ledger.post("entry");

        assertThat(result).isEqualTo("posted entry");
        assertThat(this.ledger.calls()).hasValue(3);
        assertThat(this.sleeper.waits()).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200));
        assertThat(this.manager.getCircuitKeys()).contains("/ledger/entries:POST");
    }

    @Test
    void rethrowsLastFailureWhenRetriesAreUsedUp() {
        HttpStatusException last = new HttpStatusException(503);
        this.ledger.failWith(new HttpStatusException(503), new HttpStatusException(503), last);

        Throwable thrown = catchThrowable(() -> this.ledger.post("entry"));

        assertThat(thrown).isSameAs(last);
        assertThat(this.ledger.calls()).hasValue(3);
    }

    @Test
    void passesCheckedExceptionUnwrapped() {
        IOException failure = new IOException("disk full");
        this.ledger.failWith(failure);

        Throwable thrown = catchThrowable(() -> this.ledger.post("entry"));

        assertThat(thrown).isSameAs(failure).isNotInstanceOf(UndeclaredThrowableException.class);
        assertThat(this.ledger.calls()).hasValue(1);
    }

    @Test
    void classifiesThroughUndeclaredThrowableWrapper() throws IOException {
        this.ledger.failWith(new UndeclaredThrowableException(new HttpStatusException(503)));

        assertThat(this.ledger.post("entry")).isEqualTo("posted entry");
        assertThat(this.ledger.calls()).hasValue(2);
    }

    @Test
    void doesNotRetryClientErrors() {
        this.ledger.failWith(new HttpStatusException(400));

        assertThatExceptionOfType(HttpStatusException.class).isThrownBy(() -> this.ledger.post("entry"));
        assertThat(this.ledger.calls()).hasValue(1);
    }

    @Test
    void appliesMaxAttemptsAndRetryForOfAnnotation() {
        this.ledger.failWith(new IOException("first"), new IOException("second"), new IOException("third"));

        Throwable thrown = catchThrowable(() -> this.ledger.limited());

        assertThat(thrown).isInstanceOf(IOException.class).hasMessage("second");
        assertThat(this.ledger.calls()).hasValue(2);
    }

    @Test
    void noRetryForWinsOverRetryFor() {
        this.ledger.failWith(new FileNotFoundException("missing"));

        assertThatExceptionOfType(FileNotFoundException.class).isThrownBy(() -> this.ledger.limited());
        assertThat(this.ledger.calls()).hasValue(1);
    }

    @Test
    void fallbackRunsOnceAfterRetriesAreUsedUp() throws Exception {
        HttpStatusException last = new HttpStatusException(503);
        this.ledger.failWith(new HttpStatusException(503), new HttpStatusException(503), last);

        String result = this.ledger.read("42");

        assertThat(result).isEqualTo("cached 42");
        assertThat(this.ledger.calls()).hasValue(3);
        assertThat(this.ledger.fallbackFailures()).containsExactly(last);
    }

    @Test
    void fallbackDoesNotRunWhenRetrySucceeds() throws Exception {
        this.ledger.failWith(new HttpStatusException(503));

        assertThat(this.ledger.read("42")).isEqualTo("read 42");
        assertThat(this.ledger.fallbackFailures()).isEmpty();
    }

    @Test
    void fallbackSkipsFailuresThatAreNeverRetried() {
        HttpStatusException badRequest = new HttpStatusException(400);
        this.ledger.failWith(badRequest);

        Throwable thrown = catchThrowable(() -> this.ledger.read("42"));

        assertThat(thrown).isSameAs(badRequest);
        assertThat(this.ledger.fallbackFailures()).isEmpty();
    }

    @Test
    void fallbackHandlesNeverRetriedFailuresWhenAsked() {
        HttpStatusException badRequest = new HttpStatusException(400);
        this.ledger.failWith(badRequest);

        assertThat(this.ledger.strict("42")).isEqualTo("cached 42");
        assertThat(this.ledger.calls()).hasValue(1);
        assertThat(this.ledger.fallbackFailures()).containsExactly(badRequest);
    }

    @Test
    void fallbackExceptionReachesCallerUnchanged() {
        this.ledger.failWith(new HttpStatusException(503), new HttpStatusException(503), new HttpStatusException(503));

        Throwable thrown = catchThrowable(() -> this.ledger.withFailingFallback());

        assertThat(thrown).isSameAs(LedgerService.FALLBACK_FAILURE);
    }

    @Test
    void circuitRejectionReachesCallerWithoutFallback() {
        this.ledger.failWith(new HttpStatusException(503));

        Throwable opened = catchThrowable(() -> this.ledger.fragile());
        Throwable rejected = catchThrowable(() -> this.ledger.fragile());

        assertThat(opened).isInstanceOf(CircuitBreakerOpenException.class)
                .hasCauseInstanceOf(HttpStatusException.class);
        assertThat(rejected).isInstanceOf(CircuitBreakerOpenException.class).isNotInstanceOf(
                RetryExhaustedException.class);
        assertThat(this.ledger.calls()).hasValue(1);
    }

    @Test
    void fallbackRunsWhenCircuitRejects() {
        this.ledger.failWith(new HttpStatusException(503));

        String opened = this.ledger.fragileWithFallback("7");
        String rejected = this.ledger.fragileWithFallback("8");

        assertThat(opened).isEqualTo("circuit open for 7");
        assertThat(rejected).isEqualTo("circuit open for 8");
        assertThat(this.ledger.calls()).hasValue(1);
        assertThat(this.ledger.fallbackFailures()).hasSize(2).allMatch(CircuitBreakerOpenException.class::isInstance);
    }

    @Test
    void namesCircuitAfterClassAndMethodByDefault() {
        this.ledger.plain();

        assertThat(this.manager.getCircuitKeys()).contains("LedgerService.plain:GET");
    }

    @Test
    void resolvesPlaceholdersInEndpoint() {
        this.ledger.resolved();

        assertThat(this.manager.getCircuitKeys()).contains("/ledger/resolved:GET");
    }

    @Test
    void doesNotInterceptCallsFromInsideTheBean() {
        this.ledger.failWith(new HttpStatusException(503));

        assertThatExceptionOfType(HttpStatusException.class).isThrownBy(() -> this.ledger.postFromInside());
        assertThat(this.ledger.calls()).hasValue(1);
    }

    @Test
    void classAnnotationAppliesToPublicMethods() {
        this.audit.failures().add(new HttpStatusException(503));

        assertThat(this.audit.first()).isEqualTo("first");
        assertThat(this.audit.calls()).hasValue(2);
        assertThat(this.manager.getCircuitKeys()).contains("/audit/class:GET");
    }

    @Test
    void methodAnnotationReplacesClassAnnotation() {
        this.audit.failures().add(new HttpStatusException(503));

        assertThatExceptionOfType(HttpStatusException.class).isThrownBy(() -> this.audit.second());
        assertThat(this.audit.calls()).hasValue(1);
        assertThat(this.manager.getCircuitKeys()).contains("/audit/method:GET");
    }

    @Test
    void metaAnnotationWithAliasNamesCircuit() {
        this.audit.failures().add(new HttpStatusException(503));

        assertThat(this.audit.write()).isEqualTo("written");
        assertThat(this.audit.calls()).hasValue(2);
        assertThat(this.manager.getCircuitKeys()).contains("/audit/writes:PUT");
    }

    @Test
    void annotationOnInterfaceMethodApplies() {
        assertThat(this.events.publish()).isEqualTo("published");
        assertThat(this.manager.getCircuitKeys()).contains("/events:POST");
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
        RecordingSleeper recordingSleeper(MutableClock clock) {
            return new RecordingSleeper(clock);
        }

        @Bean
        LedgerService ledgerService() {
            return new LedgerService();
        }

        @Bean
        AuditService auditService() {
            return new AuditService();
        }

        @Bean
        EventsClient eventsClient() {
            return new HttpEventsClient();
        }
    }

    static class LedgerService {

        static final IllegalStateException FALLBACK_FAILURE = new IllegalStateException("fallback failed");

        final AtomicInteger calls = new AtomicInteger();

        final Queue<Exception> failures = new ConcurrentLinkedQueue<>();

        final List<Throwable> fallbackFailures = new CopyOnWriteArrayList<>();

        // Tests read the state through methods, because reading a field of the proxy returns the proxy's own, unused field.
        void reset() {
            this.calls.set(0);
            this.failures.clear();
            this.fallbackFailures.clear();
        }

        AtomicInteger calls() {
            return this.calls;
        }

        List<Throwable> fallbackFailures() {
            return this.fallbackFailures;
        }

        void failWith(Exception... next) {
            this.failures.addAll(List.of(next));
        }

        private void attempt() throws Exception {
            this.calls.incrementAndGet();
            Exception failure = this.failures.poll();
            if (failure != null) {
                throw failure;
            }
        }

        private void uncheckedAttempt() {
            try {
                attempt();
            }
            catch (RuntimeException ex) {
                throw ex;
            }
            catch (Exception ex) {
                throw new IllegalStateException(ex);
            }
        }

        @AuditRetryable(endpoint = "/ledger/entries", method = "post")
        public String post(String entry) throws IOException {
            try {
                attempt();
            }
            catch (IOException | RuntimeException ex) {
                throw ex;
            }
            catch (Exception ex) {
                throw new IllegalStateException(ex);
            }
            return "posted " + entry;
        }

        public String postFromInside() throws IOException {
            return post("inside");
        }

        @AuditRetryable(endpoint = "/ledger/limited", maxAttempts = 2, retryFor = IOException.class,
                noRetryFor = FileNotFoundException.class)
        public String limited() throws IOException {
            return post("limited");
        }

        @AuditRetryable(endpoint = "/ledger/read", fallbackMethod = "cached")
        public String read(String id) throws Exception {
            attempt();
            return "read " + id;
        }

        @AuditRetryable(endpoint = "/ledger/strict", fallbackMethod = "cached", fallbackOnNonRetryable = true)
        public String strict(String id) {
            uncheckedAttempt();
            return "strict " + id;
        }

        String cached(String id, Throwable failure) {
            this.fallbackFailures.add(failure);
            return "cached " + id;
        }

        @AuditRetryable(endpoint = "/ledger/failing", fallbackMethod = "failingFallback")
        public String withFailingFallback() {
            uncheckedAttempt();
            return "never";
        }

        String failingFallback() {
            throw FALLBACK_FAILURE;
        }

        @AuditRetryable(endpoint = "/ledger/fragile")
        public String fragile() {
            uncheckedAttempt();
            return "fragile";
        }

        @AuditRetryable(endpoint = "/ledger/fragile", fallbackMethod = "whenOpen")
        public String fragileWithFallback(String id) {
            uncheckedAttempt();
            return "fragile " + id;
        }

        String whenOpen(String id, CircuitBreakerOpenException rejected) {
            this.fallbackFailures.add(rejected);
            return "circuit open for " + id;
        }

        String whenOpen(String id) {
            return "other failure for " + id;
        }

        @AuditRetryable
        public String plain() {
            return "plain";
        }

        @AuditRetryable(endpoint = "${ledger.path}")
        public String resolved() {
            return "resolved";
        }
    }

    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.METHOD)
    @AuditRetryable(method = "PUT")
    @interface AuditWrite {

        @AliasFor(annotation = AuditRetryable.class, attribute = "endpoint")
        String value();
    }

    @AuditRetryable(endpoint = "/audit/class")
    static class AuditService {

        final AtomicInteger calls = new AtomicInteger();

        final Queue<RuntimeException> failures = new ConcurrentLinkedQueue<>();

        public String first() {
            attempt();
            return "first";
        }

        @AuditRetryable(endpoint = "/audit/method", maxAttempts = 1)
        public String second() {
            attempt();
            return "second";
        }

        @AuditWrite("/audit/writes")
        public String write() {
            attempt();
            return "written";
        }

        void reset() {
            this.calls.set(0);
            this.failures.clear();
        }

        AtomicInteger calls() {
            return this.calls;
        }

        Queue<RuntimeException> failures() {
            return this.failures;
        }

        private void attempt() {
            this.calls.incrementAndGet();
            RuntimeException failure = this.failures.poll();
            if (failure != null) {
                throw failure;
            }
        }
    }

    interface EventsClient {

        @AuditRetryable(endpoint = "/events", method = "POST")
        String publish();
    }

    static class HttpEventsClient implements EventsClient {

        @Override
        public String publish() {
            return "published";
        }
    }
}
