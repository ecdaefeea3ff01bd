package dev.auditretry.core;

import dev.auditretry.core.circuit.CircuitBreakerOpenException;
import java.lang.reflect.Method;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.FutureTask;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs the calls of {@link RetryManager#executeAll}: on virtual threads where the JDK has them, otherwise on a
 * bounded pool of daemon threads, or on the executor that the builder was given.
 */
final class BatchExecutor {

    /** Threads of the Java 17 pool; calls beyond this wait in its queue. */
    static final int POOL_THREADS = 32;

    private static final Method NEW_VIRTUAL_THREAD_EXECUTOR = findVirtualThreadExecutorFactory();

    private final Executor configuredExecutor;

    private final AtomicReference<ThreadPoolExecutor> pool = new AtomicReference<>();

    BatchExecutor(Executor configuredExecutor) {
        this.configuredExecutor = configuredExecutor;
    }

    /** Returns whether calls run on virtual threads, which needs Java 21 or later and no configured executor. */
    boolean usesVirtualThreads() {
        return this.configuredExecutor == null && NEW_VIRTUAL_THREAD_EXECUTOR != null;
    }

    <T> List<RetryResult<T>> runAll(List<Task<T>> tasks, Clock clock) {
        ExecutorService virtualThreads = usesVirtualThreads() ? newVirtualThreadExecutor() : null;
        Executor executor = (virtualThreads != null) ? virtualThreads
                : (this.configuredExecutor != null) ? this.configuredExecutor : pool();
        try {
            List<FutureTask<RetryResult<T>>> futures = new ArrayList<>(tasks.size());
            for (Task<T> task : tasks) {
                FutureTask<RetryResult<T>> future = new FutureTask<>(() -> task.run(clock));
                futures.add(future);
                executor.execute(future);
            }
            return collect(tasks, futures, clock);
        }
        finally {
            if (virtualThreads != null) {
                virtualThreads.shutdown();
            }
        }
    }

    private static <T> List<RetryResult<T>> collect(List<Task<T>> tasks, List<FutureTask<RetryResult<T>>> futures,
            Clock clock) {
        List<RetryResult<T>> results = new ArrayList<>(futures.size());
        boolean interrupted = false;
        for (int i = 0; i < futures.size(); i++) {
            FutureTask<RetryResult<T>> future = futures.get(i);
            if (interrupted) {
                future.cancel(true);
            }
            try {
                results.add(future.get());
            }
            catch (InterruptedException ex) {
                interrupted = true;
                future.cancel(true);
                results.add(tasks.get(i).cancelled(clock));
            }
            catch (CancellationException ex) {
                results.add(tasks.get(i).cancelled(clock));
            }
            catch (ExecutionException ex) {
                // Task.run catches every throwable, so this is only reached if the executor itself failed.
                results.add(tasks.get(i).failed(ex.getCause(), clock));
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return results;
    }

    private ThreadPoolExecutor pool() {
        ThreadPoolExecutor current = this.pool.get();
        if (current != null) {
            return current;
        }
        ThreadPoolExecutor created = new ThreadPoolExecutor(POOL_THREADS, POOL_THREADS, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), new DaemonThreadFactory());
        created.allowCoreThreadTimeOut(true);
        if (this.pool.compareAndSet(null, created)) {
            return created;
        }
        created.shutdown();
        return this.pool.get();
    }

    private static ExecutorService newVirtualThreadExecutor() {
        try {
            return (ExecutorService) NEW_VIRTUAL_THREAD_EXECUTOR.invoke(null);
        }
        catch (ReflectiveOperationException ex) {
            throw new IllegalStateException("Could not create a virtual thread executor", ex);
        }
    }

    private static Method findVirtualThreadExecutorFactory() {
        try {
            return java.util.concurrent.Executors.class.getMethod("newVirtualThreadPerTaskExecutor");
        }
        catch (NoSuchMethodException ex) {
            return null;
        }
    }

    /**
     * One call of a batch, with the attempt count it reached.
     */
    static final class Task<T> {

        private final RetryManager manager;

        private final RetryContext context;

        private final RetryableCall<? extends T, ?> operation;

        private final RetryLoop.AttemptCounter counter = new RetryLoop.AttemptCounter();

        private volatile long startMillis;

        Task(RetryManager manager, RetryContext context, RetryableCall<? extends T, ?> operation) {
            this.manager = manager;
            this.context = context;
            this.operation = operation;
        }

        RetryResult<T> run(Clock clock) {
            this.startMillis = clock.millis();
            try {
                T value = this.manager.executeCounted(this.context, this.operation, this.counter);
                return new RetryResult<>(true, value, null, this.counter.attempts, elapsed(clock), false);
            }
            catch (Throwable failure) {
                return failed(failure, clock);
            }
        }

        RetryResult<T> failed(Throwable failure, Clock clock) {
            return new RetryResult<>(false, null, failure, this.counter.attempts, elapsed(clock),
                    failure instanceof CircuitBreakerOpenException);
        }

        RetryResult<T> cancelled(Clock clock) {
            return failed(new CancellationException("executeAll was interrupted before the call to '"
                    + this.context.getCircuitKey() + "' finished"), clock);
        }

        private Duration elapsed(Clock clock) {
            long start = this.startMillis;
            return (start == 0) ? Duration.ZERO : Duration.ofMillis(Math.max(0, clock.millis() - start));
        }
    }

    private static final class DaemonThreadFactory implements ThreadFactory {

        private final AtomicInteger count = new AtomicInteger();

        @Override
        public Thread newThread(Runnable runnable) {
            Thread thread = new Thread(runnable, "audit-retry-batch-" + this.count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        }
    }
}
