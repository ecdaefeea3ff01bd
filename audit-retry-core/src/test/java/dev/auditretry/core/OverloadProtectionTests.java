package dev.auditretry.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.auditretry.core.backoff.Jitter;
import dev.auditretry.core.circuit.CircuitBreakerConfig;
import dev.auditretry.core.circuit.CircuitBreakerOpenException;
import dev.auditretry.core.circuit.CircuitBreakerState;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class OverloadProtectionTests {

    private static final RetryContext GET = RetryContext.of("/quotes");

    private final MutableClock clock = new MutableClock();

    private final RecordingSleeper sleeper = new RecordingSleeper(this.clock);

    private final List<String> stops = new CopyOnWriteArrayList<>();

    private final RetryConfig retry = RetryConfig.builder().maxAttempts(3).initialDelay(Duration.ofMillis(100))
            .maxDelay(Duration.ofSeconds(1)).jitter(Jitter.NONE).build();

    private final CircuitBreakerConfig lenient = CircuitBreakerConfig.builder().failureThreshold(1_000)
            .minimumRequestThreshold(1_000).build();

    private RetryManager.Builder builder(RetryConfig retryConfig, CircuitBreakerConfig circuitConfig) {
        return RetryManager.builder().clock(this.clock).sleeper(this.sleeper).retryConfig(retryConfig)
                .circuitBreakerConfig(circuitConfig).listener(new RetryListener() {
                    @Override
                    public void onRetryStopped(RetryContext context, RetryStop reason, int attempts, Throwable failure) {
                        OverloadProtectionTests.this.stops.add(reason + " after " + attempts);
                    }
                });
    }

    // Failure-rate threshold

    @Test
    void failureRateOpensExactlyAtTheThreshold() {
        RetryManager manager = builder(this.retry.toBuilder().maxAttempts(1).build(),
                CircuitBreakerConfig.builder().failureRateThreshold(20).minimumRequestThreshold(5).build()).build();

        fail(manager, GET, 503);
        succeed(manager, GET);
        succeed(manager, GET);
        succeed(manager, GET);
        assertThat(state(manager, GET)).isEqualTo(CircuitBreakerState.CLOSED);
        succeed(manager, GET);

        assertThat(state(manager, GET)).isEqualTo(CircuitBreakerState.OPEN);
    }

    @Test
    void failureRateJustBelowTheThresholdStaysClosed() {
        RetryManager manager = builder(this.retry.toBuilder().maxAttempts(1).build(),
                CircuitBreakerConfig.builder().failureRateThreshold(20.1).minimumRequestThreshold(5).build()).build();

        fail(manager, GET, 503);
        for (int i = 0; i < 4; i++) {
            succeed(manager, GET);
        }

        assertThat(state(manager, GET)).isEqualTo(CircuitBreakerState.CLOSED);
    }

    @Test
    void failureRateReplacesTheCountRule() {
        RetryManager manager = builder(this.retry.toBuilder().maxAttempts(1).build(), CircuitBreakerConfig.builder()
                .failureRateThreshold(50).failureThreshold(2).minimumRequestThreshold(2).build()).build();

        for (int i = 0; i < 8; i++) {
            succeed(manager, GET);
        }
        fail(manager, GET, 503);
        fail(manager, GET, 503);

        assertThat(state(manager, GET)).isEqualTo(CircuitBreakerState.CLOSED);
    }

    // Retry-After

    @Test
    void retryAfterSetsMinimumWait() {
        RetryManager manager = builder(this.retry, this.lenient).build();

        failAlways(manager, GET, new HttpStatusException(503, null, null, null, "4"));

        assertThat(this.sleeper.waits()).containsExactly(Duration.ofSeconds(4), Duration.ofSeconds(4));
    }

    @Test
    void retryAfterIsNeverShortenedByJitter() {
        RandomGenerator lowestDraw = new RandomGenerator() {
            @Override
            public long nextLong() {
                return 0;
            }

            @Override
            public double nextDouble() {
                return 0.0;
            }
        };
        RetryManager manager = builder(this.retry.toBuilder().jitter(Jitter.FULL).build(), this.lenient)
                .random(lowestDraw).build();

        failAlways(manager, GET, new HttpStatusException(429, null, null, null, "2"));

        assertThat(this.sleeper.waits()).containsExactly(Duration.ofSeconds(2), Duration.ofSeconds(2));
    }

    @Test
    void longerBackoffWinsOverAShortRetryAfter() {
        RetryManager manager = builder(this.retry.toBuilder().initialDelay(Duration.ofMillis(1500))
                .maxDelay(Duration.ofSeconds(5)).build(), this.lenient).build();

        failAlways(manager, GET, new HttpStatusException(503, null, null, null, "1"));

        assertThat(this.sleeper.waits()).containsExactly(Duration.ofMillis(1500), Duration.ofMillis(3000));
    }

    @Test
    void retryAfterDateRoundsUp() {
        this.clock.advance(Duration.ofMillis(250));
        Instant inFiveSeconds = this.clock.instant().plusSeconds(5).minusMillis(250);
        String httpDate = DateTimeFormatter.RFC_1123_DATE_TIME.format(inFiveSeconds.atOffset(ZoneOffset.UTC));
        RetryManager manager = builder(this.retry.toBuilder().maxAttempts(2).build(), this.lenient).build();

        failAlways(manager, GET, new HttpStatusException(503, null, null, null, httpDate));

        assertThat(this.sleeper.waits()).containsExactly(Duration.ofSeconds(5));
    }

    @Test
    void retryAfterAboveCeilingGivesUp() {
        RetryManager manager = builder(this.retry.toBuilder().maxRetryAfter(Duration.ofSeconds(10)).build(),
                this.lenient).build();
        HttpStatusException tooLong = new HttpStatusException(503, null, null, null, "11");
        AtomicInteger calls = new AtomicInteger();

        Throwable thrown = catchThrowable(() -> manager.execute(GET, () -> {
            calls.incrementAndGet();
            throw tooLong;
        }));

        assertThat(thrown).isSameAs(tooLong);
        assertThat(calls).hasValue(1);
        assertThat(this.sleeper.waits()).isEmpty();
        assertThat(this.stops).containsExactly("RETRY_AFTER_TOO_LONG after 1");
    }

    @Test
    void invalidRetryAfterUsesBackoff() {
        RetryManager manager = builder(this.retry, this.lenient).build();

        failAlways(manager, GET, new HttpStatusException(503, null, null, null, "in a while"));
        failAlways(manager, GET, new HttpStatusException(503, null, null, null, "Thu, 01 Jan 2026 00:00:00 GMT"));

        assertThat(this.sleeper.waits()).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200),
                Duration.ofMillis(100), Duration.ofMillis(200));
    }

    // Retry budget

    @Test
    void budgetLimitsRetriesToItsShare() {
        RetryConfig budgeted = this.retry.toBuilder().maxAttempts(2)
                .retryBudget(RetryBudgetConfig.of(20, Duration.ofSeconds(10), 0)).build();
        RetryManager manager = builder(budgeted, this.lenient).build();
        AtomicInteger backendCalls = new AtomicInteger();
        int clientCalls = 10;

        int budgetStops = 0;
        for (int i = 0; i < clientCalls; i++) {
            Throwable thrown = catchThrowable(() -> manager.execute(GET, () -> {
                backendCalls.incrementAndGet();
                throw new HttpStatusException(503);
            }));
            if (thrown instanceof HttpStatusException) {
                budgetStops++;
            }
        }

        assertThat(backendCalls).hasValue(12);
        assertThat(budgetStops).isEqualTo(8);
        assertThat(this.stops.stream().filter((stop) -> stop.startsWith("RETRY_BUDGET"))).hasSize(8);
    }

    @Test
    void retryBudgetFloorLetsAQuietServiceRetry() {
        RetryConfig budgeted = this.retry.toBuilder().maxAttempts(3)
                .retryBudget(RetryBudgetConfig.of(20, Duration.ofSeconds(10), 0.2)).build();
        RetryManager manager = builder(budgeted, this.lenient).build();
        AtomicInteger backendCalls = new AtomicInteger();

        catchThrowable(() -> manager.execute(GET, () -> {
            backendCalls.incrementAndGet();
            throw new HttpStatusException(503);
        }));

        assertThat(backendCalls).hasValue(3);
    }

    @Test
    void retryBudgetRefillsAsItsWindowSlides() {
        RetryConfig budgeted = this.retry.toBuilder().maxAttempts(2)
                .retryBudget(RetryBudgetConfig.of(100, Duration.ofSeconds(10), 0)).build();
        RetryManager manager = builder(budgeted, this.lenient).build();
        AtomicInteger backendCalls = new AtomicInteger();
        RetryableCall<String, RuntimeException> failing = () -> {
            backendCalls.incrementAndGet();
            throw new HttpStatusException(503);
        };

        catchThrowable(() -> manager.execute(GET, failing));
        assertThat(backendCalls).hasValue(2);
        this.clock.advance(Duration.ofSeconds(11));
        catchThrowable(() -> manager.execute(GET, failing));

        assertThat(backendCalls).hasValue(4);
    }

    // Deadline

    @Test
    void deadlineStopsBeforeLateWait() {
        RetryConfig withDeadline = this.retry.toBuilder().maxAttempts(5).initialDelay(Duration.ofMillis(400))
                .maxDelay(Duration.ofSeconds(5)).maxElapsed(Duration.ofSeconds(1)).build();
        RetryManager manager = builder(withDeadline, this.lenient).build();
        AtomicInteger calls = new AtomicInteger();

        RetryExhaustedException exhausted = catchThrowableOfType(() -> manager.execute(GET, () -> {
            calls.incrementAndGet();
            throw new HttpStatusException(503);
        }), RetryExhaustedException.class);

        assertThat(calls).hasValue(2);
        assertThat(this.sleeper.waits()).containsExactly(Duration.ofMillis(400));
        assertThat(exhausted.getReason()).isEqualTo(RetryStop.MAX_ELAPSED);
        assertThat(exhausted.getAttempts()).isEqualTo(2);
        assertThat(exhausted).hasMessageContaining("because another attempt would not finish within its maxElapsed time");
        assertThat(this.stops).containsExactly("MAX_ELAPSED after 2");
    }

    @Test
    void deadlineCountsTheTimeAttemptsTake() {
        RetryConfig withDeadline = this.retry.toBuilder().maxElapsed(Duration.ofSeconds(2)).build();
        RetryManager manager = builder(withDeadline, this.lenient).build();
        AtomicInteger calls = new AtomicInteger();

        RetryExhaustedException exhausted = catchThrowableOfType(() -> manager.execute(GET, () -> {
            calls.incrementAndGet();
            this.clock.advance(Duration.ofMillis(1950));
            throw new SocketTimeoutException("Read timed out");
        }), RetryExhaustedException.class);

        assertThat(calls).hasValue(1);
        assertThat(this.sleeper.waits()).isEmpty();
        assertThat(exhausted.getReason()).isEqualTo(RetryStop.MAX_ELAPSED);
        assertThat(exhausted.getCause()).isInstanceOf(SocketTimeoutException.class);
    }

    // Circuit

    @Test
    void circuitOpeningStopsRetriesWithItsReason() {
        RetryManager manager = builder(this.retry.toBuilder().maxAttempts(5).build(), CircuitBreakerConfig.builder()
                .failureThreshold(2).minimumRequestThreshold(2).build()).build();

        failAlways(manager, GET, new HttpStatusException(503));

        assertThat(this.stops).containsExactly("CIRCUIT_OPEN after 2");
    }

    // Unsafe methods

    @Test
    void postRetriedOnlyWhenNotProcessed() {
        RetryManager manager = builder(this.retry.toBuilder().retryableErrors("ECONNREFUSED", "ETIMEDOUT").build(),
                this.lenient).build();
        RetryContext post = RetryContext.of("/payments", "POST");

        assertThat(attempts(manager, post, new HttpStatusException(500))).isEqualTo(1);
        assertThat(attempts(manager, post, new HttpStatusException(502))).isEqualTo(1);
        assertThat(attempts(manager, post, new SocketTimeoutException("Read timed out"))).isEqualTo(1);
        assertThat(attempts(manager, post, new HttpStatusException(503))).isEqualTo(3);
        assertThat(attempts(manager, post, new HttpStatusException(429))).isEqualTo(3);
        assertThat(attempts(manager, post, new ConnectException("Connection refused"))).isEqualTo(3);
        assertThat(this.stops).startsWith("NOT_IDEMPOTENT after 1", "NOT_IDEMPOTENT after 1", "NOT_IDEMPOTENT after 1");
    }

    @Test
    void patchLimitedAndPutRetried() {
        RetryManager manager = builder(this.retry, this.lenient).build();

        assertThat(attempts(manager, RetryContext.of("/payments", "PATCH"), new HttpStatusException(500)))
                .isEqualTo(1);
        assertThat(attempts(manager, RetryContext.of("/payments", "PUT"), new HttpStatusException(500)))
                .isEqualTo(3);
    }

    @Test
    void endpointConfiguredAsIdempotentRetriesPost() {
        RetryManager manager = builder(this.retry, this.lenient)
                .endpointOverride("/payments:POST", EndpointOverride.ofRetry((global) -> global.toBuilder()
                        .idempotent(true).build()))
                .build();

        assertThat(attempts(manager, RetryContext.of("/payments", "POST"), new HttpStatusException(500)))
                .isEqualTo(3);
    }

    // Bounded circuits

    @Test
    void distinctKeysStayWithinBound() {
        List<String> removed = new CopyOnWriteArrayList<>();
        RetryManager manager = builder(this.retry, this.lenient.toBuilder().maxCircuits(1_000).build())
                .listener(new RetryListener() {
                    @Override
                    public void onCircuitRemoved(String circuitKey) {
                        removed.add(circuitKey);
                    }
                }).build();
        long heapBefore = usedHeapAfterGc();

        for (int id = 0; id < 100_000; id++) {
            manager.execute(RetryContext.of("/orders/" + id), () -> "ok");
            if (id % 1_000 == 0) {
                assertThat(manager.getCircuitKeys()).hasSizeLessThanOrEqualTo(1_000);
            }
        }

        assertThat(manager.getCircuitKeys()).hasSizeLessThanOrEqualTo(1_000);
        assertThat(removed).hasSizeGreaterThanOrEqualTo(99_000);
        // 100,000 retained circuits with their windows would need well over 100 MB; the bound keeps it to a few.
        assertThat(usedHeapAfterGc() - heapBefore).isLessThan(48L * 1024 * 1024);
    }

    @Test
    void evictsLeastRecentlyUsedClosedCircuits() {
        RetryManager manager = builder(this.retry.toBuilder().maxAttempts(1).build(), this.lenient.toBuilder()
                .maxCircuits(10).failureThreshold(1).minimumRequestThreshold(1).build()).build();
        fail(manager, RetryContext.of("/open"), 503);
        for (int id = 0; id < 9; id++) {
            this.clock.advance(Duration.ofMillis(1));
            succeed(manager, RetryContext.of("/closed/" + id));
        }
        this.clock.advance(Duration.ofMillis(1));
        succeed(manager, RetryContext.of("/closed/0"));

        this.clock.advance(Duration.ofMillis(1));
        succeed(manager, RetryContext.of("/new"));

        assertThat(manager.getCircuitKeys()).hasSize(9).contains("/open:GET", "/new:GET", "/closed/0:GET")
                .doesNotContain("/closed/1:GET", "/closed/2:GET");
        assertThat(state(manager, RetryContext.of("/open"))).isEqualTo(CircuitBreakerState.OPEN);
    }

    @Test
    void neverEvictsOpenCircuitsEvenAboveTheBound() {
        RetryManager manager = builder(this.retry.toBuilder().maxAttempts(1).build(), this.lenient.toBuilder()
                .maxCircuits(3).failureThreshold(1).minimumRequestThreshold(1).build()).build();

        for (int id = 0; id < 5; id++) {
            fail(manager, RetryContext.of("/down/" + id), 503);
        }

        assertThat(manager.getCircuitKeys()).hasSize(5);
    }

    // Recovery backoff

    @Test
    void failedTrialsLengthenOpenTime() {
        RetryManager manager = builder(this.retry.toBuilder().maxAttempts(1).build(), CircuitBreakerConfig.builder()
                .failureThreshold(1).minimumRequestThreshold(1).recoveryTimeout(Duration.ofSeconds(10))
                .recoveryBackoffMultiplier(2).maxRecoveryTimeout(Duration.ofSeconds(35)).build()).build();

        fail(manager, GET, 503);
        assertThat(openFor(manager)).isEqualTo(Duration.ofSeconds(10));
        this.clock.advance(Duration.ofSeconds(10));
        fail(manager, GET, 503);
        assertThat(openFor(manager)).isEqualTo(Duration.ofSeconds(20));
        this.clock.advance(Duration.ofSeconds(20));
        fail(manager, GET, 503);
        assertThat(openFor(manager)).isEqualTo(Duration.ofSeconds(35));
        this.clock.advance(Duration.ofSeconds(35));
        succeed(manager, GET);
        assertThat(state(manager, GET)).isEqualTo(CircuitBreakerState.CLOSED);
        fail(manager, GET, 503);
        assertThat(openFor(manager)).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void rejectsInvalidOverloadSettings() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> CircuitBreakerConfig.builder().failureRateThreshold(101).build())
                .withMessage("failureRateThreshold must be from 0 to 100 but was 101.0; use 0 to open on "
                        + "failureThreshold failures instead");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> CircuitBreakerConfig.builder().recoveryBackoffMultiplier(0.5).build())
                .withMessageContaining("recoveryBackoffMultiplier must be a finite number of at least 1 but was 0.5");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> CircuitBreakerConfig.builder().maxRecoveryTimeout(Duration.ofSeconds(5)).build())
                .withMessageContaining("maxRecoveryTimeout (PT5S) must not be shorter than recoveryTimeout (PT1M)");
        assertThatIllegalArgumentException().isThrownBy(() -> CircuitBreakerConfig.builder().maxCircuits(0).build())
                .withMessage("maxCircuits must be at least 1 but was 0");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> RetryConfig.builder().maxRetryAfter(Duration.ofSeconds(-1)).build())
                .withMessageContaining("maxRetryAfter must be zero or positive but was PT-1S");
        assertThatIllegalArgumentException().isThrownBy(() -> RetryConfig.builder().maxElapsed(Duration.ZERO).build())
                .withMessage("maxElapsed must be positive but was PT0S; leave it unset for no limit");
        assertThatIllegalArgumentException().isThrownBy(() -> RetryBudgetConfig.of(0, Duration.ofSeconds(10), 1))
                .withMessageContaining("retryBudget.percent must be from 1 to 1000 but was 0.0");
        assertThatIllegalArgumentException().isThrownBy(() -> RetryBudgetConfig.of(20, Duration.ofMillis(10), 1))
                .withMessageContaining("retryBudget.window must be at least 1 s but was PT0.01S");
        assertThatIllegalArgumentException().isThrownBy(() -> RetryBudgetConfig.of(20, Duration.ofSeconds(10), -1))
                .withMessageContaining("retryBudget.minRetriesPerSecond must be zero or more but was -1.0");
        assertThatIllegalArgumentException().isThrownBy(() -> RetryConfig.builder().nonIdempotentMethods(" ").build())
                .withMessage("nonIdempotentMethods must not contain a blank entry");
    }

    private Duration openFor(RetryManager manager) {
        Instant nextRetry = manager.getCircuitBreakerStats(GET.getCircuitKey()).orElseThrow().nextRetryTime().orElseThrow();
        return Duration.between(this.clock.instant(), nextRetry);
    }

    private static int attempts(RetryManager manager, RetryContext context, Exception failure) {
        AtomicInteger calls = new AtomicInteger();
        catchThrowable(() -> manager.execute(context, () -> {
            calls.incrementAndGet();
            throw failure;
        }));
        return calls.get();
    }

    private static void failAlways(RetryManager manager, RetryContext context, RuntimeException failure) {
        catchThrowable(() -> manager.execute(context, () -> {
            throw failure;
        }));
    }

    private static void fail(RetryManager manager, RetryContext context, int status) {
        Throwable thrown = catchThrowable(() -> manager.execute(context, () -> {
            throw new HttpStatusException(status);
        }));
        assertThat(thrown).isInstanceOfAny(HttpStatusException.class, CircuitBreakerOpenException.class);
    }

    private static void succeed(RetryManager manager, RetryContext context) {
        assertThat(manager.execute(context, () -> "ok")).isEqualTo("ok");
    }

    private static CircuitBreakerState state(RetryManager manager, RetryContext context) {
        return manager.getCircuitBreakerStats(context.getCircuitKey()).orElseThrow().state();
    }

    private static long usedHeapAfterGc() {
        Runtime runtime = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return runtime.totalMemory() - runtime.freeMemory();
    }
}
