package dev.auditretry.core.circuit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import dev.auditretry.core.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class CircuitBreakerTests {

    private static final String KEY = "/ledger/entries:POST";

    private final MutableClock clock = new MutableClock();

    private final List<String> transitions = new CopyOnWriteArrayList<>();

    private final CircuitBreakerConfig config = CircuitBreakerConfig.builder()
            .failureThreshold(3)
            .minimumRequestThreshold(4)
            .monitoringWindow(Duration.ofSeconds(10))
            .recoveryTimeout(Duration.ofSeconds(30))
            .build();

    private CircuitBreaker breaker(CircuitBreakerConfig settings) {
        return new CircuitBreaker(KEY, settings, this.clock,
                (key, from, to) -> this.transitions.add(key + " " + from + "->" + to));
    }

    @Test
    void opensAtBothThresholds() {
        CircuitBreaker breaker = breaker(this.config);

        succeed(breaker);
        fail(breaker);
        fail(breaker);
        assertThat(breaker.getState()).isEqualTo(CircuitBreakerState.CLOSED);
        fail(breaker);

        assertThat(breaker.getState()).isEqualTo(CircuitBreakerState.OPEN);
        assertThat(this.transitions).containsExactly(KEY + " CLOSED->OPEN");
        CircuitBreakerStats stats = breaker.getStats();
        assertThat(stats.failureCount()).isEqualTo(3);
        assertThat(stats.successCount()).isEqualTo(1);
        assertThat(stats.totalRequests()).isEqualTo(4);
    }

    @Test
    void doesNotOpenBelowTheMinimumRequestCount() {
        CircuitBreaker breaker = breaker(this.config.toBuilder().minimumRequestThreshold(5).build());

        fail(breaker);
        fail(breaker);
        fail(breaker);
        fail(breaker);

        assertThat(breaker.getState()).isEqualTo(CircuitBreakerState.CLOSED);
        fail(breaker);
        assertThat(breaker.getState()).isEqualTo(CircuitBreakerState.OPEN);
    }

    @Test
    void successNeverOpensTheCircuit() {
        CircuitBreaker breaker = breaker(this.config.toBuilder().minimumRequestThreshold(5).build());
        fail(breaker);
        fail(breaker);
        fail(breaker);
        fail(breaker);

        succeed(breaker);

        assertThat(breaker.getState()).isEqualTo(CircuitBreakerState.CLOSED);
        assertThat(breaker.getStats().totalRequests()).isEqualTo(5);
    }

    @Test
    void outcomesAgeOutOneByOne() {
        CircuitBreaker breaker = breaker(this.config.toBuilder().failureThreshold(100).build());
        fail(breaker);
        this.clock.advance(Duration.ofSeconds(3));
        fail(breaker);
        this.clock.advance(Duration.ofSeconds(3));
        succeed(breaker);

        // Now is 6 s after the first outcome; the window is 10 s and a bucket 100 ms.
        this.clock.advance(Duration.ofMillis(4_099));
        assertThat(counts(breaker)).containsExactly(2L, 1L, 3L);
        this.clock.advance(Duration.ofMillis(1));
        assertThat(counts(breaker)).containsExactly(1L, 1L, 2L);
        this.clock.advance(Duration.ofSeconds(3));
        assertThat(counts(breaker)).containsExactly(0L, 1L, 1L);
        this.clock.advance(Duration.ofSeconds(3));
        assertThat(counts(breaker)).containsExactly(0L, 0L, 0L);
    }

    @Test
    void agedOutFailuresNoLongerOpenTheCircuit() {
        CircuitBreaker breaker = breaker(this.config.toBuilder().minimumRequestThreshold(1).build());
        fail(breaker);
        fail(breaker);
        this.clock.advance(Duration.ofSeconds(11));

        fail(breaker);

        assertThat(breaker.getState()).isEqualTo(CircuitBreakerState.CLOSED);
        assertThat(breaker.getStats().failureCount()).isEqualTo(1);
    }

    @Test
    void openRejectsUntilRecoveryTimeout() {
        CircuitBreaker breaker = openedBreaker(this.config);
        Instant openedAt = this.clock.instant();

        this.clock.advance(Duration.ofMillis(29_999));
        CircuitBreakerOpenException rejected = rejection(breaker);

        assertThat(rejected).hasMessage("Circuit '" + KEY + "' is open; calls are rejected for another 1 ms");
        assertThat(rejected.getCircuitKey()).isEqualTo(KEY);
        assertThat(rejected.getNextRetryTime()).contains(openedAt.plusSeconds(30));
        assertThat(rejected.getStats().state()).isEqualTo(CircuitBreakerState.OPEN);
        assertThat(rejected.getStackTrace()).isEmpty();

        this.clock.advance(Duration.ofMillis(1));
        Permit trial = breaker.acquirePermission();
        assertThat(trial.isTrial()).isTrue();
        assertThat(breaker.getState()).isEqualTo(CircuitBreakerState.HALF_OPEN);
    }

    @Test
    void halfOpenLimitsTrialCalls() {
        CircuitBreaker breaker = openedBreaker(this.config.toBuilder().halfOpenMaxCalls(2).build());
        this.clock.advance(Duration.ofSeconds(30));

        breaker.acquirePermission();
        breaker.acquirePermission();

        assertThat(rejection(breaker)).hasMessageContaining("is half-open and its 2 trial call slots are taken");
        assertThat(breaker.isCallPermitted()).isFalse();
    }

    @Test
    void successfulTrialClosesCircuit() {
        CircuitBreaker breaker = openedBreaker(this.config);
        this.clock.advance(Duration.ofSeconds(30));

        breaker.recordSuccess(breaker.acquirePermission());

        assertThat(breaker.getState()).isEqualTo(CircuitBreakerState.CLOSED);
        assertThat(counts(breaker)).containsExactly(0L, 0L, 0L);
        assertThat(this.transitions).containsExactly(KEY + " CLOSED->OPEN", KEY + " OPEN->HALF_OPEN",
                KEY + " HALF_OPEN->CLOSED");
    }

    @Test
    void failedTrialReopensWithAFreshRecoveryTimeout() {
        CircuitBreaker breaker = openedBreaker(this.config);
        this.clock.advance(Duration.ofSeconds(35));
        Instant trialFailedAt = this.clock.instant();

        breaker.recordFailure(breaker.acquirePermission());

        assertThat(breaker.getState()).isEqualTo(CircuitBreakerState.OPEN);
        assertThat(breaker.getStats().nextRetryTime()).contains(trialFailedAt.plusSeconds(30));
        this.clock.advance(Duration.ofMillis(29_999));
        assertThat(breaker.isCallPermitted()).isFalse();
        this.clock.advance(Duration.ofMillis(1));
        assertThat(breaker.isCallPermitted()).isTrue();
    }

    @Test
    void releasedTrialFreesItsSlot() {
        CircuitBreaker breaker = openedBreaker(this.config);
        this.clock.advance(Duration.ofSeconds(30));
        Permit trial = breaker.acquirePermission();
        assertThat(breaker.isCallPermitted()).isFalse();

        breaker.releasePermission(trial);

        assertThat(breaker.getState()).isEqualTo(CircuitBreakerState.HALF_OPEN);
        assertThat(breaker.isCallPermitted()).isTrue();
        breaker.releasePermission(trial);
        breaker.acquirePermission();
        assertThat(breaker.isCallPermitted()).isFalse();
    }

    @Test
    void ignoredClientErrorOfATrialFreesItsSlot() {
        CircuitBreaker breaker = openedBreaker(this.config);
        this.clock.advance(Duration.ofSeconds(30));

        breaker.recordClientError(breaker.acquirePermission());

        assertThat(breaker.getState()).isEqualTo(CircuitBreakerState.HALF_OPEN);
        assertThat(breaker.isCallPermitted()).isTrue();
    }

    @Test
    void staleTrialStopsBlocking() {
        CircuitBreaker breaker = openedBreaker(this.config);
        this.clock.advance(Duration.ofSeconds(30));
        Instant trialStartedAt = this.clock.instant();
        breaker.acquirePermission();

        this.clock.advance(Duration.ofMillis(29_999));
        assertThat(rejection(breaker).getNextRetryTime()).contains(trialStartedAt.plusSeconds(30));
        assertThat(breaker.getStats().nextRetryTime()).contains(trialStartedAt.plusSeconds(30));
        this.clock.advance(Duration.ofMillis(1));
        Permit second = breaker.acquirePermission();

        breaker.recordSuccess(second);
        assertThat(breaker.getState()).isEqualTo(CircuitBreakerState.CLOSED);
    }

    @Test
    void lateOutcomeIsCountedButChangesNoState() {
        CircuitBreaker breaker = breaker(this.config.toBuilder().minimumRequestThreshold(1).failureThreshold(1).build());
        Permit slowFailure = breaker.acquirePermission();
        Permit slowSuccess = breaker.acquirePermission();
        fail(breaker);
        assertThat(breaker.getState()).isEqualTo(CircuitBreakerState.OPEN);
        Instant openUntil = breaker.getStats().nextRetryTime().orElseThrow();

        breaker.recordFailure(slowFailure);
        breaker.recordSuccess(slowSuccess);

        assertThat(breaker.getState()).isEqualTo(CircuitBreakerState.OPEN);
        assertThat(breaker.getStats().nextRetryTime()).contains(openUntil);
        assertThat(counts(breaker)).containsExactly(2L, 1L, 3L);
        assertThat(this.transitions).containsExactly(KEY + " CLOSED->OPEN");
    }

    @Test
    void lateOutcomeAfterRecoveryIsDropped() {
        CircuitBreaker breaker = breaker(this.config.toBuilder().minimumRequestThreshold(1).failureThreshold(1).build());
        Permit slowCall = breaker.acquirePermission();
        fail(breaker);
        this.clock.advance(Duration.ofSeconds(30));
        succeed(breaker);
        assertThat(breaker.getState()).isEqualTo(CircuitBreakerState.CLOSED);

        breaker.recordFailure(slowCall);

        assertThat(breaker.getState()).isEqualTo(CircuitBreakerState.CLOSED);
        assertThat(counts(breaker)).containsExactly(0L, 0L, 0L);
    }

    @Test
    void readingStatsNeverTakesAPermitNorChangesState() {
        CircuitBreaker breaker = openedBreaker(this.config);
        this.clock.advance(Duration.ofSeconds(31));

        for (int i = 0; i < 10; i++) {
            breaker.getStats();
            breaker.isCallPermitted();
            breaker.currentRejection();
        }

        assertThat(breaker.getState()).isEqualTo(CircuitBreakerState.OPEN);
        assertThat(this.transitions).containsExactly(KEY + " CLOSED->OPEN");
        breaker.acquirePermission();
        assertThat(breaker.isCallPermitted()).isFalse();
        assertThat(breaker.getStats().state()).isEqualTo(CircuitBreakerState.HALF_OPEN);
    }

    @Test
    void statsReportTimesOnlyWhenTheyApply() {
        CircuitBreaker breaker = breaker(this.config);
        assertThat(breaker.getStats().lastFailureTime()).isEmpty();
        assertThat(breaker.getStats().nextRetryTime()).isEmpty();

        Instant failedAt = this.clock.instant();
        fail(breaker);

        assertThat(breaker.getStats().lastFailureTime()).contains(failedAt);
        assertThat(breaker.getStats().nextRetryTime()).isEmpty();
    }

    @Test
    void resetClosesWithEmptyCounts() {
        CircuitBreaker breaker = openedBreaker(this.config);

        breaker.reset();

        CircuitBreakerStats stats = breaker.getStats();
        assertThat(stats.state()).isEqualTo(CircuitBreakerState.CLOSED);
        assertThat(stats.totalRequests()).isZero();
        assertThat(stats.lastFailureTime()).isEmpty();
        assertThat(stats.nextRetryTime()).isEmpty();
        assertThat(this.transitions).endsWith(KEY + " OPEN->CLOSED");
        fail(breaker);
        fail(breaker);
        fail(breaker);
        assertThat(breaker.getState()).isEqualTo(CircuitBreakerState.CLOSED);
    }

    @Test
    void failureBeforeResetIsDropped() {
        CircuitBreaker breaker = breaker(this.config);
        Permit startedBeforeReset = breaker.acquirePermission();

        breaker.reset();
        breaker.recordFailure(startedBeforeReset);

        assertThat(breaker.getStats().failureCount()).isZero();
    }

    @Test
    void clientErrorHandlingIsConfigurable() {
        CircuitBreaker ignoring = breaker(this.config);
        ignoring.recordClientError(ignoring.acquirePermission());
        assertThat(counts(ignoring)).containsExactly(0L, 0L, 0L);

        CircuitBreaker asSuccess = breaker(this.config.toBuilder().clientErrors(ClientErrorHandling.RECORD_AS_SUCCESS).build());
        asSuccess.recordClientError(asSuccess.acquirePermission());
        assertThat(counts(asSuccess)).containsExactly(0L, 1L, 1L);

        CircuitBreaker asFailure = breaker(this.config.toBuilder().clientErrors(ClientErrorHandling.RECORD_AS_FAILURE).build());
        asFailure.recordClientError(asFailure.acquirePermission());
        assertThat(counts(asFailure)).containsExactly(1L, 0L, 1L);
    }

    @Test
    void widerWindowKeepsTheOutcomesItCovers() {
        CircuitBreaker breaker = breaker(this.config.toBuilder().failureThreshold(100).build());
        fail(breaker);
        this.clock.advance(Duration.ofSeconds(8));
        succeed(breaker);

        breaker.updateConfig(breaker.getConfig().toBuilder().monitoringWindow(Duration.ofSeconds(60)).build());
        this.clock.advance(Duration.ofSeconds(30));

        assertThat(counts(breaker)).containsExactly(1L, 1L, 2L);
    }

    @Test
    void narrowerWindowDropsOutcomesOutsideIt() {
        CircuitBreaker breaker = breaker(this.config.toBuilder().failureThreshold(100).build());
        fail(breaker);
        this.clock.advance(Duration.ofSeconds(8));
        succeed(breaker);

        breaker.updateConfig(breaker.getConfig().toBuilder().monitoringWindow(Duration.ofSeconds(5)).build());

        assertThat(counts(breaker)).containsExactly(0L, 1L, 1L);
        assertThat(breaker.getState()).isEqualTo(CircuitBreakerState.CLOSED);
    }

    @Test
    void listenerFailureDoesNotBreakTheTransition() {
        CircuitBreaker breaker = new CircuitBreaker(KEY, this.config.toBuilder().minimumRequestThreshold(1).failureThreshold(1).build(),
                this.clock, (key, from, to) -> {
                    throw new IllegalStateException("listener bug");
                });

        fail(breaker);

        assertThat(breaker.getState()).isEqualTo(CircuitBreakerState.OPEN);
    }

    @Test
    void rejectsInvalidSettings() {
        assertThatExceptionOfType(IllegalArgumentException.class)
                .isThrownBy(() -> CircuitBreakerConfig.builder().failureThreshold(0).build())
                .withMessage("failureThreshold must be at least 1 but was 0");
        assertThatExceptionOfType(IllegalArgumentException.class)
                .isThrownBy(() -> CircuitBreakerConfig.builder().minimumRequestThreshold(-1).build())
                .withMessage("minimumRequestThreshold must be at least 1 but was -1");
        assertThatExceptionOfType(IllegalArgumentException.class)
                .isThrownBy(() -> CircuitBreakerConfig.builder().halfOpenMaxCalls(0).build())
                .withMessage("halfOpenMaxCalls must be at least 1 but was 0");
        assertThatExceptionOfType(IllegalArgumentException.class)
                .isThrownBy(() -> CircuitBreakerConfig.builder().recoveryTimeout(Duration.ZERO).build())
                .withMessage("recoveryTimeout must be at least 1 ms but was PT0S");
        assertThatExceptionOfType(IllegalArgumentException.class)
                .isThrownBy(() -> CircuitBreakerConfig.builder().monitoringWindow(Duration.ofSeconds(-5)).build())
                .withMessage("monitoringWindow must be at least 1 ms but was PT-5S");
    }

    @Test
    void defaultsMatchTheDocumentedValues() {
        CircuitBreakerConfig defaults = CircuitBreakerConfig.defaults();

        assertThat(List.of(defaults.enabled(), defaults.failureThreshold(), defaults.recoveryTimeout(),
                defaults.monitoringWindow(), defaults.minimumRequestThreshold(), defaults.halfOpenMaxCalls(),
                defaults.clientErrors()))
                .containsExactly(true, 5, Duration.ofSeconds(60), Duration.ofMinutes(5), 10, 1,
                        ClientErrorHandling.IGNORE);
    }

    private CircuitBreaker openedBreaker(CircuitBreakerConfig settings) {
        CircuitBreaker breaker = breaker(settings);
        while (breaker.getState() == CircuitBreakerState.CLOSED) {
            fail(breaker);
        }
        return breaker;
    }

    private static void fail(CircuitBreaker breaker) {
        breaker.recordFailure(breaker.acquirePermission());
    }

    private static void succeed(CircuitBreaker breaker) {
        breaker.recordSuccess(breaker.acquirePermission());
    }

    private static List<Long> counts(CircuitBreaker breaker) {
        CircuitBreakerStats stats = breaker.getStats();
        List<Long> counts = new ArrayList<>();
        counts.add(stats.failureCount());
        counts.add(stats.successCount());
        counts.add(stats.totalRequests());
        return counts;
    }

    private static CircuitBreakerOpenException rejection(CircuitBreaker breaker) {
        return org.assertj.core.api.Assertions.catchThrowableOfType(breaker::acquirePermission,
                CircuitBreakerOpenException.class);
    }
}
