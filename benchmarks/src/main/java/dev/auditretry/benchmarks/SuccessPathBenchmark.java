package dev.auditretry.benchmarks;

import dev.auditretry.benchmarks.ComparableSettings.CircuitRule;
import dev.auditretry.core.RetryBudgetConfig;
import dev.auditretry.core.RetryContext;
import dev.auditretry.core.RetryManager;
import dev.auditretry.core.RetryableCall;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryRegistry;
import java.time.Clock;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Measures what a successful call costs on top of the call itself: time per call and, with {@code -prof gc},
 * bytes allocated per call, for audit-retry and for Resilience4j 2.4.0 configured alike (see
 * {@link ComparableSettings}). Every operation returns a field of a state object and every result goes to a
 * {@link Blackhole}, so the JIT can neither fold the call into a constant nor drop it.
 * <p>
 * Run the threads count with {@code -t 1} and {@code -t 2}; with 2 threads the single-key benchmarks share one
 * circuit, and the 1,000-key benchmarks spread over 1,000.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = { "-Xms512m", "-Xmx512m" })
public class SuccessPathBenchmark {

    /** Distinct circuits in the benchmarks that look one up per call. */
    static final int KEY_COUNT = 1_000;

    // Steps through the keys in an order that is neither sequential nor repeating within 1,000 calls.
    private static final int KEY_STRIDE = 389;

    /** The operation being protected: it returns a response that the caller already holds. */
    @State(Scope.Benchmark)
    public static class Backend {

        // Not final, so the JIT reads it on every call instead of folding it into a constant.
        public String response = "200 OK";

        Supplier<String> supplier;

        RetryableCall<String, RuntimeException> call;

        CompletableFuture<String> completedResponse;

        Supplier<CompletionStage<String>> completedSupplier;

        @Setup
        public void setUp() {
            this.supplier = () -> this.response;
            this.call = () -> this.response;
            this.completedResponse = CompletableFuture.completedFuture(this.response);
            this.completedSupplier = () -> this.completedResponse;
        }
    }

    /** A per-thread position among the keys, advanced by a constant stride without division. */
    @State(Scope.Thread)
    public static class KeyCursor {

        int index;

        @Setup
        public void setUp() {
            this.index = ThreadLocalRandom.current().nextInt(KEY_COUNT);
        }

        int next() {
            int next = this.index + KEY_STRIDE;
            if (next >= KEY_COUNT) {
                next -= KEY_COUNT;
            }
            this.index = next;
            return next;
        }
    }

    /** audit-retry's manager with every circuit created up front. */
    @State(Scope.Benchmark)
    public static class Ours {

        @Param({ "FAILURE_COUNT", "FAILURE_RATE" })
        public CircuitRule circuitRule;

        RetryManager manager;

        RetryContext context;

        RetryContext[] contexts;

        @Setup
        public void setUp(Backend backend) {
            this.manager = RetryManager.create(ComparableSettings.ourRetryConfig(RetryBudgetConfig.DEFAULT),
                    ComparableSettings.ourCircuitBreakerConfig(this.circuitRule));
            this.context = RetryContext.of("/ledger/entries");
            this.contexts = new RetryContext[KEY_COUNT];
            for (int i = 0; i < KEY_COUNT; i++) {
                this.contexts[i] = RetryContext.of("/ledger/entries/" + i);
            }
            this.manager.execute(this.context, backend.call);
            for (RetryContext each : this.contexts) {
                this.manager.execute(each, backend.call);
            }
        }
    }

    /** Resilience4j's retry and circuit, one pair decorated up front and 1,000 pairs in registries. */
    @State(Scope.Benchmark)
    public static class Resilience4j {

        Supplier<String> decorated;

        Supplier<CompletionStage<String>> decoratedCompletionStage;

        RetryRegistry retryRegistry;

        CircuitBreakerRegistry circuitBreakerRegistry;

        String[] names;

        ScheduledExecutorService scheduler;

        @Setup
        public void setUp(Backend backend) {
            io.github.resilience4j.retry.RetryConfig retryConfig =
                    ComparableSettings.resilience4jRetryConfig(new Random(1));
            io.github.resilience4j.circuitbreaker.CircuitBreakerConfig circuitBreakerConfig =
                    ComparableSettings.resilience4jCircuitBreakerConfig(Clock.systemUTC());
            Retry retry = Retry.of("/ledger/entries", retryConfig);
            CircuitBreaker circuitBreaker = CircuitBreaker.of("/ledger/entries", circuitBreakerConfig);
            this.decorated = Retry.decorateSupplier(retry, CircuitBreaker.decorateSupplier(circuitBreaker,
                    backend.supplier));

            // Only a stage that fails is retried through the scheduler; a completed one never reaches it.
            this.scheduler = Executors.newSingleThreadScheduledExecutor();
            this.decoratedCompletionStage = Retry.decorateCompletionStage(retry, this.scheduler,
                    CircuitBreaker.decorateCompletionStage(circuitBreaker, backend.completedSupplier));

            this.retryRegistry = RetryRegistry.of(retryConfig);
            this.circuitBreakerRegistry = CircuitBreakerRegistry.of(circuitBreakerConfig);
            this.names = new String[KEY_COUNT];
            for (int i = 0; i < KEY_COUNT; i++) {
                this.names[i] = "/ledger/entries/" + i;
                this.retryRegistry.retry(this.names[i]);
                this.circuitBreakerRegistry.circuitBreaker(this.names[i]);
            }
        }

        @TearDown
        public void tearDown() {
            this.scheduler.shutdownNow();
        }
    }

    /** A non-web Spring Boot context with the auto-configuration and one {@code @AuditRetryable} bean. */
    @State(Scope.Benchmark)
    public static class Aspect {

        ConfigurableApplicationContext context;

        AuditedClient client;

        @Setup(Level.Trial)
        public void setUp() {
            this.context = AspectApplication.start();
            this.client = this.context.getBean(AuditedClient.class);
            this.client.fetch();
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            this.context.close();
        }
    }

    @Benchmark
    public void baseline(Backend backend, Blackhole blackhole) {
        blackhole.consume(backend.supplier.get());
    }

    @Benchmark
    public void oursExecuteOneKey(Ours ours, Backend backend, Blackhole blackhole) {
        blackhole.consume(ours.manager.execute(ours.context, backend.call));
    }

    @Benchmark
    public void oursExecute1000Keys(Ours ours, Backend backend, KeyCursor cursor, Blackhole blackhole) {
        blackhole.consume(ours.manager.execute(ours.contexts[cursor.next()], backend.call));
    }

    // NOTE: Resilience4j's Spring annotations have no counterpart here, so this result has no like-for-like ratio.
    @Benchmark
    public void oursAspect(Aspect aspect, Blackhole blackhole) {
        blackhole.consume(aspect.client.fetch());
    }

    @Benchmark
    public void oursExecuteAsync(Ours ours, Backend backend, Blackhole blackhole) {
        blackhole.consume(ours.manager.executeAsync(ours.context, backend.completedSupplier).join());
    }

    @Benchmark
    public void resilience4jDecoratedOneKey(Resilience4j resilience4j, Blackhole blackhole) {
        blackhole.consume(resilience4j.decorated.get());
    }

    @Benchmark
    public void resilience4jRegistry1000Names(Resilience4j resilience4j, Backend backend, KeyCursor cursor,
            Blackhole blackhole) {
        String name = resilience4j.names[cursor.next()];
        Retry retry = resilience4j.retryRegistry.retry(name);
        CircuitBreaker circuitBreaker = resilience4j.circuitBreakerRegistry.circuitBreaker(name);
        blackhole.consume(Retry.decorateSupplier(retry, CircuitBreaker.decorateSupplier(circuitBreaker,
                backend.supplier)).get());
    }

    @Benchmark
    public void resilience4jCompletionStage(Resilience4j resilience4j, Blackhole blackhole) {
        blackhole.consume(resilience4j.decoratedCompletionStage.get().toCompletableFuture().join());
    }
}
