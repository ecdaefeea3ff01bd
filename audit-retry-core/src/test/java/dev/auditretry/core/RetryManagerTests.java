package dev.auditretry.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.auditretry.core.backoff.Jitter;
import dev.auditretry.core.circuit.CircuitBreakerConfig;
import dev.auditretry.core.circuit.CircuitBreakerOpenException;
import dev.auditretry.core.circuit.CircuitBreakerState;
import dev.auditretry.core.circuit.CircuitBreakerStats;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RetryManagerTests {

    private static final RetryContext LEDGER = RetryContext.of("/ledger/entries", "PUT", "req-1");

    private final MutableClock clock = new MutableClock();

    private final RecordingSleeper sleeper = new RecordingSleeper(this.clock);

    private final RetryConfig fixedWaits = RetryConfig.builder()
            .maxAttempts(3)
            .initialDelay(Duration.ofMillis(100))
            .maxDelay(Duration.ofSeconds(1))
            .jitter(Jitter.NONE)
            .build();

    private final CircuitBreakerConfig lenientCircuit = CircuitBreakerConfig.builder()
            .failureThreshold(1_000)
            .minimumRequestThreshold(1_000)
            .build();

    private RetryManager.Builder managerBuilder() {
        return RetryManager.builder().clock(this.clock).sleeper(this.sleeper).retryConfig(this.fixedWaits)
                .circuitBreakerConfig(this.lenientCircuit);
    }

    @Test
    void returnsTheValueOfTheFirstSuccessfulAttempt() {
        RetryManager manager = managerBuilder().build();
        AtomicInteger calls = new AtomicInteger();

        String value = manager.execute(LEDGER, () -> {
            if (calls.incrementAndGet() < 3) {
                throw new HttpStatusException(503);
            }
            return "entry";
        });

        assertThat(value).isEqualTo("entry");
        assertThat(calls).hasValue(3);
        assertThat(this.sleeper.waits()).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200));
    }

    @Test
    void maxAttemptsCountsTheFirstAttempt() {
        RetryManager manager = managerBuilder().retryConfig(this.fixedWaits.toBuilder().maxAttempts(4).build()).build();
        AtomicInteger calls = new AtomicInteger();

        RetryExhaustedException exhausted = catchThrowableOfType(() -> manager.execute(LEDGER, () -> {
            calls.incrementAndGet();
            throw new HttpStatusException(503);
        }), RetryExhaustedException.class);

        assertThat(calls).hasValue(4);
        assertThat(exhausted.getAttempts()).isEqualTo(4);
        assertThat(exhausted.getContext()).isEqualTo(LEDGER);
        assertThat(exhausted.getCause()).isInstanceOf(HttpStatusException.class);
        assertThat(exhausted).hasMessage("Gave up on '/ledger/entries:PUT' after 4 attempts: HttpStatusException: HTTP 503");
        assertThat(this.sleeper.waits()).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200),
                Duration.ofMillis(400));
    }

    @Test
    void exhaustedCallKeepsTheLastFailureAsCause() {
        RetryManager manager = managerBuilder().build();
        AtomicInteger calls = new AtomicInteger();

        int[] statuses = { 502, 504, 503 };

        RetryExhaustedException exhausted = catchThrowableOfType(() -> manager.execute(LEDGER, () -> {
            throw new HttpStatusException(statuses[calls.getAndIncrement()]);
        }), RetryExhaustedException.class);

        assertThat(((HttpStatusException) exhausted.getCause()).getStatus()).isEqualTo(503);
    }

    @Test
    void rethrowsNonRetryableFailureAtOnce() {
        RetryManager manager = managerBuilder().build();
        AtomicInteger calls = new AtomicInteger();
        IllegalArgumentException bug = new IllegalArgumentException("bad request body");

        Throwable thrown = catchThrowable(() -> manager.execute(LEDGER, () -> {
            calls.incrementAndGet();
            throw bug;
        }));

        assertThat(thrown).isSameAs(bug);
        assertThat(calls).hasValue(1);
        assertThat(this.sleeper.waits()).isEmpty();
    }

    @Test
    void rethrowsNonRetryableFailureAfterRetries() {
        RetryManager manager = managerBuilder().build();
        AtomicInteger calls = new AtomicInteger();
        HttpStatusException notFound = new HttpStatusException(404);

        Throwable thrown = catchThrowable(() -> manager.execute(LEDGER, () -> {
            if (calls.incrementAndGet() == 1) {
                throw new HttpStatusException(503);
            }
            throw notFound;
        }));

        assertThat(thrown).isSameAs(notFound);
        assertThat(calls).hasValue(2);
    }

    @Test
    void singleAttemptRethrowsARetryableFailureAsThrown() {
        RetryManager manager = managerBuilder().retryConfig(this.fixedWaits.toBuilder().maxAttempts(1).build()).build();
        HttpStatusException unavailable = new HttpStatusException(503);

        Throwable thrown = catchThrowable(() -> manager.execute(LEDGER, () -> {
            throw unavailable;
        }));

        assertThat(thrown).isSameAs(unavailable);
    }

    @Test
    void checkedExceptionsPassThroughUnwrapped() {
        RetryManager manager = managerBuilder().build();
        IOException diskFull = new IOException("disk full");

        IOException thrown = catchThrowableOfType(() -> manager.execute(LEDGER, () -> {
            throw diskFull;
        }), IOException.class);

        assertThat(thrown).isSameAs(diskFull);
    }

    @Test
    void checkedRetryableExceptionIsRetried() throws IOException {
        RetryManager manager = managerBuilder().build();
        AtomicInteger calls = new AtomicInteger();

        String value = manager.execute(LEDGER, () -> {
            if (calls.incrementAndGet() == 1) {
                throw new SocketTimeoutException("Read timed out");
            }
            return "ok";
        });

        assertThat(value).isEqualTo("ok");
    }

    @Test
    void retryingStopsTheMomentTheCircuitOpens() {
        RetryManager manager = managerBuilder()
                .retryConfig(this.fixedWaits.toBuilder().maxAttempts(4).build())
                .circuitBreakerConfig(CircuitBreakerConfig.builder().failureThreshold(2).minimumRequestThreshold(2).build())
                .build();
        AtomicInteger backendCalls = new AtomicInteger();
        RetryableCall<String, RuntimeException> alwaysFailing = () -> {
            backendCalls.incrementAndGet();
            throw new HttpStatusException(503);
        };

        CircuitBreakerOpenException first = catchThrowableOfType(() -> manager.execute(LEDGER, alwaysFailing),
                CircuitBreakerOpenException.class);

        assertThat(backendCalls).hasValue(2);
        assertThat(first.getCause()).isInstanceOf(HttpStatusException.class);
        assertThat(first.getCircuitKey()).isEqualTo("/ledger/entries:PUT");
        assertThat(this.sleeper.waits()).containsExactly(Duration.ofMillis(100));

        CircuitBreakerOpenException second = catchThrowableOfType(() -> manager.execute(LEDGER, alwaysFailing),
                CircuitBreakerOpenException.class);

        assertThat(backendCalls).hasValue(2);
        assertThat(second.getCause()).isNull();
        assertThat(this.sleeper.waits()).hasSize(1);
    }

    @Test
    void statsCountEveryAttemptInsideTheWindow() {
        RetryManager manager = managerBuilder().build();
        AtomicInteger calls = new AtomicInteger();

        manager.execute(LEDGER, () -> {
            if (calls.incrementAndGet() < 3) {
                throw new HttpStatusException(503);
            }
            return "ok";
        });

        CircuitBreakerStats stats = manager.getCircuitBreakerStats("/ledger/entries:PUT").orElseThrow();
        assertThat(stats.failureCount()).isEqualTo(2);
        assertThat(stats.successCount()).isEqualTo(1);
        assertThat(stats.totalRequests()).isEqualTo(3);
        assertThat(stats.state()).isEqualTo(CircuitBreakerState.CLOSED);
    }

    @Test
    void clientErrorsDoNotOpenTheCircuit() {
        RetryManager manager = managerBuilder()
                .circuitBreakerConfig(CircuitBreakerConfig.builder().failureThreshold(1).minimumRequestThreshold(1).build())
                .build();

        for (int i = 0; i < 5; i++) {
            catchThrowable(() -> manager.execute(LEDGER, () -> {
                throw new HttpStatusException(400);
            }));
        }

        CircuitBreakerStats stats = manager.getCircuitBreakerStats("/ledger/entries:PUT").orElseThrow();
        assertThat(stats.state()).isEqualTo(CircuitBreakerState.CLOSED);
        assertThat(stats.totalRequests()).isZero();
    }

    @Test
    void halfOpenTrialThatSucceedsClosesTheCircuit() {
        RetryManager manager = managerBuilder()
                .circuitBreakerConfig(CircuitBreakerConfig.builder().failureThreshold(1).minimumRequestThreshold(1)
                        .recoveryTimeout(Duration.ofSeconds(10)).build())
                .build();
        catchThrowable(() -> manager.execute(LEDGER, () -> {
            throw new HttpStatusException(503);
        }));
        assertThat(manager.getCircuitBreakerStats(LEDGER.getCircuitKey()).orElseThrow().state())
                .isEqualTo(CircuitBreakerState.OPEN);

        this.clock.advance(Duration.ofSeconds(10));
        String value = manager.execute(LEDGER, () -> "recovered");

        assertThat(value).isEqualTo("recovered");
        assertThat(manager.getCircuitBreakerStats(LEDGER.getCircuitKey()).orElseThrow().state())
                .isEqualTo(CircuitBreakerState.CLOSED);
    }

    @Test
    void interruptedTrialReleasesItsPermit() {
        RetryManager manager = managerBuilder()
                .circuitBreakerConfig(CircuitBreakerConfig.builder().failureThreshold(1).minimumRequestThreshold(1)
                        .recoveryTimeout(Duration.ofSeconds(10)).build())
                .build();
        catchThrowable(() -> manager.execute(LEDGER, () -> {
            throw new HttpStatusException(503);
        }));
        this.clock.advance(Duration.ofSeconds(10));

        Throwable interrupted = catchThrowable(() -> manager.execute(LEDGER, () -> {
            throw new InterruptedException("caller cancelled");
        }));
        String value = manager.execute(LEDGER, () -> "second trial");

        assertThat(interrupted).isInstanceOf(InterruptedException.class);
        assertThat(value).isEqualTo("second trial");
        assertThat(manager.getCircuitBreakerStats(LEDGER.getCircuitKey()).orElseThrow().state())
                .isEqualTo(CircuitBreakerState.CLOSED);
    }

    @Test
    void resetAcceptsFullOrBareKey() {
        RetryManager manager = managerBuilder().build();
        manager.execute(RetryContext.of("/accounts"), () -> "ok");
        manager.execute(LEDGER, () -> "ok");

        assertThat(manager.resetCircuitBreaker("/accounts")).isTrue();
        assertThat(manager.resetCircuitBreaker("/accounts:GET")).isTrue();
        assertThat(manager.resetCircuitBreaker("/ledger/entries:PUT")).isTrue();
        assertThat(manager.resetCircuitBreaker("/ledger/entries:put")).isTrue();
        assertThat(manager.getCircuitBreakerStats("/accounts:get")).isPresent();
        assertThat(manager.resetCircuitBreaker("/ledger/entries")).isFalse();
        assertThat(manager.resetCircuitBreaker("/unknown")).isFalse();
        assertThat(manager.getCircuitKeys()).containsExactly("/accounts:GET", "/ledger/entries:PUT");
    }

    @Test
    void resetCircuitStartsClosedAndEmpty() {
        RetryManager manager = managerBuilder()
                .circuitBreakerConfig(CircuitBreakerConfig.builder().failureThreshold(1).minimumRequestThreshold(1).build())
                .build();
        catchThrowable(() -> manager.execute(LEDGER, () -> {
            throw new HttpStatusException(503);
        }));

        assertThat(manager.resetAllCircuitBreakers()).isEqualTo(1);

        CircuitBreakerStats stats = manager.getCircuitBreakerStats(LEDGER.getCircuitKey()).orElseThrow();
        assertThat(stats.state()).isEqualTo(CircuitBreakerState.CLOSED);
        assertThat(stats.totalRequests()).isZero();
        assertThat(stats.nextRetryTime()).isEmpty();
        assertThat(stats.lastFailureTime()).isEmpty();
        assertThat(manager.execute(LEDGER, () -> "ok")).isEqualTo("ok");
    }

    @Test
    void unknownKeyStatsCreateNoCircuit() {
        RetryManager manager = managerBuilder().build();

        assertThat(manager.getCircuitBreakerStats("/nothing:GET")).isEmpty();
        assertThat(manager.getCircuitBreakerStats()).isEmpty();
        assertThat(manager.getCircuitKeys()).isEmpty();
    }

    @Test
    void disabledRetryMakesOneAttemptThroughTheCircuit() {
        RetryManager manager = managerBuilder()
                .retryConfig(this.fixedWaits.toBuilder().enabled(false).maxAttempts(5).build())
                .circuitBreakerConfig(CircuitBreakerConfig.builder().failureThreshold(1).minimumRequestThreshold(1).build())
                .build();
        AtomicInteger calls = new AtomicInteger();
        HttpStatusException unavailable = new HttpStatusException(503);

        Throwable first = catchThrowable(() -> manager.execute(LEDGER, () -> {
            calls.incrementAndGet();
            throw unavailable;
        }));
        Throwable second = catchThrowable(() -> manager.execute(LEDGER, () -> {
            calls.incrementAndGet();
            return "never";
        }));

        assertThat(first).isSameAs(unavailable);
        assertThat(second).isInstanceOf(CircuitBreakerOpenException.class);
        assertThat(calls).hasValue(1);
    }

    @Test
    void disabledCircuitKeepsNoStats() {
        RetryManager manager = managerBuilder()
                .circuitBreakerConfig(CircuitBreakerConfig.builder().enabled(false).failureThreshold(1)
                        .minimumRequestThreshold(1).build())
                .build();
        AtomicInteger calls = new AtomicInteger();

        for (int i = 0; i < 3; i++) {
            catchThrowable(() -> manager.execute(LEDGER, () -> {
                calls.incrementAndGet();
                throw new HttpStatusException(503);
            }));
        }

        assertThat(calls).hasValue(9);
        assertThat(manager.getCircuitBreakerStats()).isEmpty();
        assertThat(manager.getCircuitBreakerStats(LEDGER.getCircuitKey())).isEmpty();
    }

    @Test
    void updatedConfigAppliesFromTheNextAttempt() {
        RetryManager manager = managerBuilder().build();
        AtomicInteger calls = new AtomicInteger();

        Throwable thrown = catchThrowable(() -> manager.execute(LEDGER, () -> {
            if (calls.incrementAndGet() == 1) {
                manager.updateConfig(manager.getConfig().toBuilder().maxAttempts(5)
                        .initialDelay(Duration.ofMillis(7)).build());
            }
            throw new HttpStatusException(503);
        }));

        assertThat(thrown).isInstanceOf(RetryExhaustedException.class);
        assertThat(calls).hasValue(5);
        assertThat(this.sleeper.waits()).containsExactly(Duration.ofMillis(7), Duration.ofMillis(14),
                Duration.ofMillis(28), Duration.ofMillis(56));
    }

    @Test
    void circuitConfigUpdateKeepsState() {
        RetryManager manager = managerBuilder()
                .retryConfig(this.fixedWaits.toBuilder().maxAttempts(1).build())
                .circuitBreakerConfig(CircuitBreakerConfig.builder().failureThreshold(3).minimumRequestThreshold(3).build())
                .build();
        failOnce(manager);
        failOnce(manager);

        manager.updateCircuitBreakerConfig(manager.getCircuitBreakerConfig().toBuilder().failureThreshold(2)
                .minimumRequestThreshold(2).build());

        assertThat(manager.getCircuitBreakerStats(LEDGER.getCircuitKey()).orElseThrow().failureCount()).isEqualTo(2);
        assertThat(manager.getEffectiveCircuitBreakerConfig(LEDGER).failureThreshold()).isEqualTo(2);
        failOnce(manager);
        assertThat(manager.getCircuitBreakerStats(LEDGER.getCircuitKey()).orElseThrow().state())
                .isEqualTo(CircuitBreakerState.OPEN);
    }

    @Test
    void endpointOverridesFollowGlobalUpdates() {
        RetryManager manager = managerBuilder()
                .endpointOverride("/ledger/entries:PUT", EndpointOverride.ofRetry((global) -> global.toBuilder().maxAttempts(5).build()))
                .endpointOverride("/accounts", EndpointOverride.ofRetry((global) -> global.toBuilder().maxAttempts(1).build()))
                .build();

        assertThat(manager.getEffectiveConfig(LEDGER).maxAttempts()).isEqualTo(5);
        assertThat(manager.getEffectiveConfig(RetryContext.of("/accounts", "DELETE")).maxAttempts()).isEqualTo(1);
        assertThat(manager.getEffectiveConfig(RetryContext.of("/ledger/entries")).maxAttempts()).isEqualTo(3);

        manager.updateConfig(manager.getConfig().toBuilder().initialDelay(Duration.ofMillis(50)).build());

        assertThat(manager.getEffectiveConfig(LEDGER).maxAttempts()).isEqualTo(5);
        assertThat(manager.getEffectiveConfig(LEDGER).initialDelay()).isEqualTo(Duration.ofMillis(50));
    }

    @Test
    void invalidOverrideUpdateChangesNothing() {
        RetryManager manager = managerBuilder()
                .endpointOverride("/ledger/entries:PUT", EndpointOverride.ofRetry((global) -> global.toBuilder()
                        .initialDelay(Duration.ofMillis(500)).build()))
                .build();
        RetryConfig before = manager.getConfig();

        assertThatIllegalArgumentException()
                .isThrownBy(() -> manager.updateConfig(before.toBuilder().maxDelay(Duration.ofMillis(200))
                        .initialDelay(Duration.ofMillis(100)).build()))
                .withMessageContaining("Settings for endpoint '/ledger/entries:PUT' are invalid")
                .withMessageContaining("maxDelay (PT0.2S) must not be shorter than initialDelay (PT0.5S)");
        assertThat(manager.getConfig()).isEqualTo(before);
    }

    @Test
    void callOptionsOverrideMaxAttemptsAndRetryRules() {
        RetryManager manager = managerBuilder().build();
        AtomicInteger calls = new AtomicInteger();
        CallOptions options = new CallOptions(5, List.of(IllegalStateException.class), List.of(HttpStatusException.class));

        catchThrowable(() -> manager.execute(LEDGER, options, () -> {
            calls.incrementAndGet();
            throw new IllegalStateException("flaky");
        }));
        assertThat(calls).hasValue(5);

        calls.set(0);
        Throwable notRetried = catchThrowable(() -> manager.execute(LEDGER, options, () -> {
            calls.incrementAndGet();
            throw new HttpStatusException(503);
        }));
        assertThat(calls).hasValue(1);
        assertThat(notRetried).isInstanceOf(HttpStatusException.class);
    }

    @Test
    void interruptedWaitStopsRetrying() {
        Sleeper interruptedSleep = (duration) -> {
            throw new InterruptedException("shutting down");
        };
        RetryManager manager = managerBuilder().sleeper(interruptedSleep).build();
        AtomicInteger calls = new AtomicInteger();
        HttpStatusException unavailable = new HttpStatusException(503);

        Throwable thrown = catchThrowable(() -> manager.execute(LEDGER, () -> {
            calls.incrementAndGet();
            throw unavailable;
        }));

        try {
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
            assertThat(thrown).isSameAs(unavailable);
            assertThat(thrown.getSuppressed()).singleElement().isInstanceOf(InterruptedException.class);
            assertThat(calls).hasValue(1);
        }
        finally {
            Thread.interrupted();
        }
    }

    @Test
    void interruptedThreadDoesNotRetryWithoutWaiting() {
        RetryManager manager = managerBuilder().build();
        AtomicInteger calls = new AtomicInteger();

        Thread.currentThread().interrupt();
        Throwable thrown = catchThrowable(() -> manager.execute(LEDGER, () -> {
            calls.incrementAndGet();
            throw new HttpStatusException(503);
        }));

        try {
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
            assertThat(thrown).isInstanceOf(HttpStatusException.class);
            assertThat(calls).hasValue(1);
            assertThat(this.sleeper.waits()).isEmpty();
        }
        finally {
            Thread.interrupted();
        }
    }

    @Test
    void listenersSeeRetriesOutcomesAndTransitions() {
        List<String> events = new CopyOnWriteArrayList<>();
        RetryListener listener = new RetryListener() {
            @Override
            public void onRetryScheduled(RetryContext context, int failedAttempt, Duration delay, Throwable cause) {
                events.add("retry " + context.getCircuitKey() + " " + failedAttempt + " " + delay.toMillis());
            }

            @Override
            public void onCallFinished(RetryContext context, CallOutcome outcome, int attempts, Duration elapsed,
                    Throwable error) {
                events.add("finished " + outcome + " " + attempts + " " + elapsed.toMillis());
            }

            @Override
            public void onCircuitStateChange(String circuitKey, CircuitBreakerState from, CircuitBreakerState to) {
                events.add("state " + from + "->" + to);
            }

            @Override
            public void onCircuitCreated(String circuitKey) {
                events.add("created " + circuitKey);
            }

            @Override
            public void onCircuitRemoved(String circuitKey) {
                events.add("removed " + circuitKey);
            }
        };
        RetryManager manager = managerBuilder().listener(listener)
                .circuitBreakerConfig(CircuitBreakerConfig.builder().failureThreshold(3).minimumRequestThreshold(3).build())
                .build();
        AtomicInteger calls = new AtomicInteger();

        manager.execute(LEDGER, () -> {
            if (calls.incrementAndGet() == 1) {
                throw new HttpStatusException(503);
            }
            return "ok";
        });
        catchThrowable(() -> manager.execute(LEDGER, () -> {
            throw new HttpStatusException(503);
        }));
        catchThrowable(() -> manager.execute(LEDGER, () -> "rejected"));
        manager.removeCircuitBreaker(LEDGER.getCircuitKey());

        assertThat(events).containsExactly(
                "created /ledger/entries:PUT",
                "retry /ledger/entries:PUT 1 100",
                "finished SUCCESS_AFTER_RETRY 2 100",
                "retry /ledger/entries:PUT 1 100",
                "state CLOSED->OPEN",
                "finished REJECTED 2 100",
                "finished REJECTED 0 0",
                "removed /ledger/entries:PUT");
    }

    @Test
    void failingListenerDoesNotAffectTheCall() {
        RetryListener broken = new RetryListener() {
            @Override
            public void onCallFinished(RetryContext context, CallOutcome outcome, int attempts, Duration elapsed,
                    Throwable error) {
                throw new IllegalStateException("metrics backend down");
            }
        };
        RetryManager manager = managerBuilder().listener(broken).build();

        assertThat(manager.execute(LEDGER, () -> "ok")).isEqualTo("ok");
    }

    @Test
    void executeAllKeepsOrderAndAttempts() {
        RetryManager manager = managerBuilder()
                .endpointOverride("/broken", EndpointOverride.ofCircuitBreaker((global) -> global.toBuilder()
                        .failureThreshold(1).minimumRequestThreshold(1).build()))
                .build();
        RetryContext open = RetryContext.of("/broken");
        catchThrowable(() -> manager.execute(open, () -> {
            throw new HttpStatusException(503);
        }));
        AtomicInteger flakyCalls = new AtomicInteger();
        List<RetryableCall<String, ?>> operations = new ArrayList<>();
        operations.add(() -> "first");
        operations.add(() -> {
            throw new HttpStatusException(404);
        });
        operations.add(() -> "never");
        operations.add(() -> {
            if (flakyCalls.incrementAndGet() < 2) {
                throw new SocketTimeoutException("Read timed out");
            }
            return "after retry";
        });

        List<RetryResult<String>> results = manager.executeAll(
                List.of(RetryContext.of("/a"), RetryContext.of("/b"), open, RetryContext.of("/d")), operations);

        assertThat(results).hasSize(4);
        assertThat(results.get(0).success()).isTrue();
        assertThat(results.get(0).data()).isEqualTo("first");
        assertThat(results.get(0).attempts()).isEqualTo(1);
        assertThat(results.get(1).success()).isFalse();
        assertThat(results.get(1).error()).isInstanceOf(HttpStatusException.class);
        assertThat(results.get(1).attempts()).isEqualTo(1);
        assertThat(results.get(2).success()).isFalse();
        assertThat(results.get(2).circuitRejected()).isTrue();
        assertThat(results.get(2).attempts()).isZero();
        assertThat(results.get(2).error()).isInstanceOf(CircuitBreakerOpenException.class);
        assertThat(results.get(3).data()).isEqualTo("after retry");
        assertThat(results.get(3).attempts()).isEqualTo(2);
    }

    @Test
    void executeAllRejectsListsOfDifferentSizes() {
        RetryManager manager = managerBuilder().build();
        List<RetryableCall<String, RuntimeException>> operations = List.of(() -> "one", () -> "two");

        assertThatIllegalArgumentException()
                .isThrownBy(() -> manager.executeAll(List.of(LEDGER, LEDGER, LEDGER), operations))
                .withMessage("contexts and operations must have the same size, but contexts has 3 elements and "
                        + "operations has 2");
    }

    @Test
    void executeAllRunsTheCallsConcurrently() {
        RetryManager manager = managerBuilder().build();
        int parallelCalls = 8;
        java.util.concurrent.CyclicBarrier allStarted = new java.util.concurrent.CyclicBarrier(parallelCalls);
        List<RetryableCall<Integer, Exception>> operations = new ArrayList<>();
        List<RetryContext> contexts = new ArrayList<>();
        for (int i = 0; i < parallelCalls; i++) {
            int index = i;
            contexts.add(RetryContext.of("/parallel/" + i));
            operations.add(() -> {
                allStarted.await(30, java.util.concurrent.TimeUnit.SECONDS);
                return index;
            });
        }

        List<RetryResult<Integer>> results = manager.executeAll(contexts, operations);

        assertThat(results).extracting(RetryResult::data).containsExactly(0, 1, 2, 3, 4, 5, 6, 7);
    }

    @Test
    void rejectsInvalidRetrySettings() {
        assertThatIllegalArgumentException().isThrownBy(() -> RetryConfig.builder().maxAttempts(0).build())
                .withMessage("maxAttempts must be at least 1 but was 0; use 1 to disable retrying");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> RetryConfig.builder().initialDelay(Duration.ofMillis(-1)).build())
                .withMessage("initialDelay must be zero or positive but was PT-0.001S; use 0 to retry at once");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> RetryConfig.builder().initialDelay(Duration.ofSeconds(2)).maxDelay(Duration.ofSeconds(1)).build())
                .withMessage("maxDelay (PT1S) must not be shorter than initialDelay (PT2S); raise maxDelay or lower initialDelay");
        assertThatIllegalArgumentException().isThrownBy(() -> RetryConfig.builder().backoffMultiplier(0.5).build())
                .withMessage("backoffMultiplier must be a finite number of at least 1 but was 0.5; use 1 for a constant wait");
        assertThatIllegalArgumentException().isThrownBy(() -> RetryConfig.builder().retryableStatusCodes(99).build())
                .withMessage("retryableStatusCodes must contain HTTP status codes from 100 to 599 but contained 99");
        assertThatIllegalArgumentException().isThrownBy(() -> RetryConfig.builder().retryableStatusCodes(600).build())
                .withMessageContaining("but contained 600");
        assertThatIllegalArgumentException().isThrownBy(() -> RetryConfig.builder().retryableErrors("ECONNRESTE").build())
                .withMessage("retryableErrors contains unknown error 'ECONNRESTE'; use one of ECONNRESET, ECONNREFUSED, "
                        + "ETIMEDOUT, ENOTFOUND, EPIPE or a fully qualified exception class name");
    }

    @Test
    void defaultsMatchTheDocumentedValues() {
        RetryConfig defaults = RetryConfig.defaults();

        assertThat(defaults.enabled()).isTrue();
        assertThat(defaults.maxAttempts()).isEqualTo(3);
        assertThat(defaults.initialDelay()).isEqualTo(Duration.ofSeconds(1));
        assertThat(defaults.maxDelay()).isEqualTo(Duration.ofSeconds(30));
        assertThat(defaults.backoffMultiplier()).isEqualTo(2.0);
        assertThat(defaults.jitter()).isEqualTo(Jitter.FULL);
        assertThat(defaults.retryableStatusCodes()).containsExactlyInAnyOrder(408, 429, 500, 502, 503, 504);
        assertThat(defaults.retryableErrors()).containsExactlyInAnyOrder("ECONNRESET", "ETIMEDOUT", "ENOTFOUND");
    }

    @Test
    void derivedCopyChangesOnlyWhatWasSet() {
        RetryConfig changed = RetryConfig.defaults().toBuilder().maxAttempts(7).build();

        assertThat(changed.maxAttempts()).isEqualTo(7);
        assertThat(changed.toBuilder().maxAttempts(3).build()).isEqualTo(RetryConfig.defaults());
    }

    @Test
    void contextNormalizesTheMethodAndRejectsBlankEndpoints() {
        assertThat(RetryContext.of("/ledger", "post").getCircuitKey()).isEqualTo("/ledger:POST");
        assertThat(RetryContext.of("/ledger").getMethod()).isEqualTo("GET");
        assertThatIllegalArgumentException().isThrownBy(() -> RetryContext.of(" "))
                .withMessage("endpoint must not be blank");
        assertThatExceptionOfType(NullPointerException.class).isThrownBy(() -> RetryContext.of(null));
    }

    private static void failOnce(RetryManager manager) {
        catchThrowable(() -> manager.execute(LEDGER, () -> {
            throw new HttpStatusException(503);
        }));
    }
}
