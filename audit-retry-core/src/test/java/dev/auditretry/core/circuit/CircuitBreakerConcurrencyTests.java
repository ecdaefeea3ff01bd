package dev.auditretry.core.circuit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.auditretry.core.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CircuitBreakerConcurrencyTests {

    private static final int THREADS = 8;

    private final MutableClock clock = new MutableClock();

    @Test
    void countsEveryOutcomeUnderContention() throws Exception {
        CircuitBreaker breaker = new CircuitBreaker("/stress:GET", CircuitBreakerConfig.builder()
                .failureThreshold(Integer.MAX_VALUE).minimumRequestThreshold(1).build(), this.clock, (key, from, to) -> {
                });
        int callsPerThread = 50_000;
        AtomicLong failures = new AtomicLong();
        AtomicLong successes = new AtomicLong();

        runConcurrently((thread) -> {
            SplittableRandom random = new SplittableRandom(thread);
            for (int i = 0; i < callsPerThread; i++) {
                Permit permit = breaker.acquirePermission();
                if (random.nextInt(4) == 0) {
                    breaker.recordFailure(permit);
                    failures.incrementAndGet();
                }
                else {
                    breaker.recordSuccess(permit);
                    successes.incrementAndGet();
                }
            }
        });

        CircuitBreakerStats stats = breaker.getStats();
        assertThat(stats.totalRequests()).isEqualTo((long) THREADS * callsPerThread);
        assertThat(stats.failureCount()).isEqualTo(failures.get());
        assertThat(stats.successCount()).isEqualTo(successes.get());
        assertThat(stats.failureCount() + stats.successCount()).isEqualTo(stats.totalRequests());
    }

    @Test
    void trialsNeverExceedHalfOpenMaxCalls() throws Exception {
        int halfOpenMaxCalls = 3;
        CircuitBreaker breaker = new CircuitBreaker("/trials:GET", CircuitBreakerConfig.builder()
                .failureThreshold(1).minimumRequestThreshold(1).halfOpenMaxCalls(halfOpenMaxCalls)
                .recoveryTimeout(Duration.ofSeconds(10)).build(), this.clock, (key, from, to) -> {
                });
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger maxInFlight = new AtomicInteger();
        AtomicLong admittedTrials = new AtomicLong();
        AtomicLong rejections = new AtomicLong();
        int rounds = 300;

        for (int round = 0; round < rounds; round++) {
            breaker.reset();
            breaker.recordFailure(breaker.acquirePermission());
            assertThat(breaker.getState()).isEqualTo(CircuitBreakerState.OPEN);
            // The clock does not move during a round, so no trial outlives the recovery timeout.
            this.clock.advance(Duration.ofSeconds(10));
            int seed = round;

            runConcurrently((thread) -> {
                SplittableRandom random = new SplittableRandom(seed * 31L + thread);
                for (int i = 0; i < 20; i++) {
                    Permit permit;
                    try {
                        permit = breaker.acquirePermission();
                    }
                    catch (CircuitBreakerOpenException rejected) {
                        rejections.incrementAndGet();
                        Thread.onSpinWait();
                        continue;
                    }
                    if (!permit.isTrial()) {
                        breaker.recordSuccess(permit);
                        continue;
                    }
                    admittedTrials.incrementAndGet();
                    int concurrent = inFlight.incrementAndGet();
                    maxInFlight.accumulateAndGet(concurrent, Math::max);
                    Thread.yield();
                    inFlight.decrementAndGet();
                    switch (random.nextInt(5)) {
                        case 0 -> breaker.recordSuccess(permit);
                        case 1 -> breaker.recordFailure(permit);
                        default -> breaker.releasePermission(permit);
                    }
                }
            });
        }

        assertThat(maxInFlight.get()).isLessThanOrEqualTo(halfOpenMaxCalls);
        assertThat(maxInFlight.get()).isGreaterThan(1);
        assertThat(admittedTrials.get()).isGreaterThanOrEqualTo(rounds);
        assertThat(rejections.get()).isPositive();
    }

    private static void runConcurrently(ThreadBody body) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            CyclicBarrier start = new CyclicBarrier(THREADS);
            List<Future<?>> futures = new ArrayList<>();
            for (int thread = 0; thread < THREADS; thread++) {
                int id = thread;
                futures.add(pool.submit(() -> {
                    start.await(30, TimeUnit.SECONDS);
                    body.run(id);
                    return null;
                }));
            }
            for (Future<?> future : futures) {
                future.get(60, TimeUnit.SECONDS);
            }
        }
        finally {
            pool.shutdownNow();
        }
    }

    @FunctionalInterface
    interface ThreadBody {

        void run(int thread) throws Exception;
    }
}
