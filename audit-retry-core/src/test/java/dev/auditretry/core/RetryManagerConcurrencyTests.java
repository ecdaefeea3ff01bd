package dev.auditretry.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.auditretry.core.backoff.Jitter;
import dev.auditretry.core.circuit.CircuitBreakerConfig;
import dev.auditretry.core.circuit.CircuitBreakerOpenException;
import dev.auditretry.core.circuit.CircuitBreakerStats;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RetryManagerConcurrencyTests {

    private static final int THREADS = 8;

    private static final int ENDPOINTS = 5;

    @Test
    void losesNoCountWhileSettingsChangeUnderLoad() throws Exception {
        MutableClock clock = new MutableClock();
        // Waits do not advance the clock here, so every outcome stays inside the window.
        Sleeper noWait = (duration) -> {
        };
        RetryManager manager = RetryManager.builder().clock(clock).sleeper(noWait)
                .retryConfig(RetryConfig.builder().maxAttempts(3).initialDelay(Duration.ZERO).jitter(Jitter.NONE).build())
                .circuitBreakerConfig(CircuitBreakerConfig.builder().failureThreshold(Integer.MAX_VALUE).build())
                .build();
        AtomicLong[] attempts = new AtomicLong[ENDPOINTS];
        AtomicLong[] failedAttempts = new AtomicLong[ENDPOINTS];
        for (int i = 0; i < ENDPOINTS; i++) {
            attempts[i] = new AtomicLong();
            failedAttempts[i] = new AtomicLong();
        }
        AtomicLong unexpected = new AtomicLong();
        AtomicBoolean running = new AtomicBoolean(true);

        Thread updater = new Thread(() -> {
            int round = 0;
            while (running.get()) {
                int maxAttempts = 2 + (round++ % 3);
                manager.updateConfig(manager.getConfig().toBuilder().maxAttempts(maxAttempts).build());
                manager.updateCircuitBreakerConfig(manager.getCircuitBreakerConfig().toBuilder()
                        .halfOpenMaxCalls(1 + round % 2).build());
                manager.getCircuitBreakerStats();
            }
        }, "settings-updater");
        updater.start();

        runConcurrently((thread) -> {
            SplittableRandom random = new SplittableRandom(thread);
            for (int i = 0; i < 20_000; i++) {
                int endpoint = random.nextInt(ENDPOINTS);
                RetryContext context = RetryContext.of("/stress/" + endpoint);
                try {
                    manager.execute(context, () -> {
                        attempts[endpoint].incrementAndGet();
                        if (random.nextInt(3) == 0) {
                            failedAttempts[endpoint].incrementAndGet();
                            throw new HttpStatusException(503);
                        }
                        return "ok";
                    });
                }
                catch (HttpStatusException | RetryExhaustedException expected) {
                    // Retries of this call ran out.
                }
                catch (RuntimeException other) {
                    unexpected.incrementAndGet();
                }
            }
        });
        running.set(false);
        updater.join(30_000);

        assertThat(unexpected).hasValue(0);
        Map<String, CircuitBreakerStats> stats = manager.getCircuitBreakerStats();
        assertThat(stats).hasSize(ENDPOINTS);
        for (int endpoint = 0; endpoint < ENDPOINTS; endpoint++) {
            CircuitBreakerStats circuit = stats.get("/stress/" + endpoint + ":GET");
            assertThat(circuit.totalRequests()).isEqualTo(attempts[endpoint].get());
            assertThat(circuit.failureCount()).isEqualTo(failedAttempts[endpoint].get());
            assertThat(circuit.successCount() + circuit.failureCount()).isEqualTo(circuit.totalRequests());
        }
    }

    @Test
    void openCircuitAdmitsOneTrialAmongManyRacingCallers() throws Exception {
        MutableClock clock = new MutableClock();
        RetryManager manager = RetryManager.builder().clock(clock).sleeper((duration) -> {
        })
                .retryConfig(RetryConfig.builder().maxAttempts(1).build())
                .circuitBreakerConfig(CircuitBreakerConfig.builder().failureThreshold(1).minimumRequestThreshold(1)
                        .recoveryTimeout(Duration.ofSeconds(5)).build())
                .build();
        RetryContext context = RetryContext.of("/race");
        AtomicLong backendCalls = new AtomicLong();
        AtomicLong rejected = new AtomicLong();

        for (int round = 0; round < 200; round++) {
            try {
                manager.execute(context, () -> {
                    throw new HttpStatusException(503);
                });
            }
            catch (HttpStatusException | CircuitBreakerOpenException expected) {
                // Opens the circuit, or finds it open already.
            }
            clock.advance(Duration.ofSeconds(5));
            backendCalls.set(0);

            runConcurrently((thread) -> {
                try {
                    manager.execute(context, () -> {
                        backendCalls.incrementAndGet();
                        Thread.yield();
                        throw new HttpStatusException(503);
                    });
                }
                catch (CircuitBreakerOpenException expected) {
                    rejected.incrementAndGet();
                }
                catch (HttpStatusException expected) {
                    // The trial failed and reopened the circuit.
                }
            });

            assertThat(backendCalls).hasValue(1);
        }
        assertThat(rejected.get()).isEqualTo(200L * (THREADS - 1));
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
                future.get(120, TimeUnit.SECONDS);
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
