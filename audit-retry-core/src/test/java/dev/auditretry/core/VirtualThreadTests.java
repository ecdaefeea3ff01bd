package dev.auditretry.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.auditretry.core.backoff.Jitter;
import dev.auditretry.core.circuit.CircuitBreakerConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;

/**
 * Runs executeAll callers on virtual threads. The build runs this class a second time on a newer JDK with a
 * single carrier thread (see the virtual-threads profile of this module's pom).
 */
@EnabledForJreRange(min = JRE.JAVA_21)
class VirtualThreadTests {

    private static final int CALLERS = 200;

    @Test
    void callersWaitTogetherWithoutHoldingACarrier() {
        // Every wait blocks until all callers are waiting at once. With one carrier thread that can only happen
        // when a waiting virtual thread gives its carrier back, so a pinned wait would never finish.
        CountDownLatch allWaiting = new CountDownLatch(CALLERS);
        Sleeper barrierSleeper = (duration) -> {
            allWaiting.countDown();
            if (!allWaiting.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("not every caller reached its wait: a carrier thread was held");
            }
        };
        RetryManager manager = RetryManager.builder().sleeper(barrierSleeper)
                .retryConfig(RetryConfig.builder().maxAttempts(2).initialDelay(Duration.ofMillis(100)).jitter(Jitter.NONE).build())
                .circuitBreakerConfig(CircuitBreakerConfig.builder().enabled(false).build())
                .build();
        List<RetryContext> contexts = new ArrayList<>();
        List<RetryableCall<String, RuntimeException>> operations = new ArrayList<>();
        AtomicInteger virtualCallers = new AtomicInteger();
        for (int i = 0; i < CALLERS; i++) {
            AtomicInteger attempts = new AtomicInteger();
            contexts.add(RetryContext.of("/virtual/" + i));
            operations.add(() -> {
                if (attempts.incrementAndGet() == 1) {
                    if (Thread.currentThread().toString().startsWith("VirtualThread")) {
                        virtualCallers.incrementAndGet();
                    }
                    throw new HttpStatusException(503);
                }
                return "ok";
            });
        }

        List<RetryResult<String>> results = manager.executeAll(contexts, operations);

        assertThat(virtualCallers).hasValue(CALLERS);
        assertThat(results).allSatisfy((result) -> {
            assertThat(result.success()).isTrue();
            assertThat(result.attempts()).isEqualTo(2);
        });
    }
}
