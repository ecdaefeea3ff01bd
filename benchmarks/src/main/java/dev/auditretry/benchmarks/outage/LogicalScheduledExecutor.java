package dev.auditretry.benchmarks.outage;

import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A {@link ScheduledExecutorService} that runs tasks on the {@link EventLoop} at logical times, so that
 * Resilience4j's asynchronous retry waits in logical time. Only one-shot scheduling of a {@link Runnable}, which
 * is all that {@code Retry.decorateCompletionStage} uses, is supported.
 */
final class LogicalScheduledExecutor extends AbstractExecutorService implements ScheduledExecutorService {

    private final EventLoop loop;

    LogicalScheduledExecutor(EventLoop loop) {
        this.loop = loop;
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        long delayMillis = unit.toMillis(delay);
        LogicalTask task = new LogicalTask(this.loop.elapsedMillis() + delayMillis);
        this.loop.scheduleAfter(delayMillis, () -> {
            if (!task.cancelled) {
                task.done = true;
                command.run();
            }
        });
        return task;
    }

    @Override
    public void execute(Runnable command) {
        this.loop.scheduleAfter(0, command);
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        throw new UnsupportedOperationException("only schedule(Runnable, long, TimeUnit) runs in logical time");
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
        throw new UnsupportedOperationException("only schedule(Runnable, long, TimeUnit) runs in logical time");
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay,
            TimeUnit unit) {
        throw new UnsupportedOperationException("only schedule(Runnable, long, TimeUnit) runs in logical time");
    }

    @Override
    public void shutdown() {
    }

    @Override
    public List<Runnable> shutdownNow() {
        return List.of();
    }

    @Override
    public boolean isShutdown() {
        return false;
    }

    @Override
    public boolean isTerminated() {
        return false;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
        return false;
    }

    /** A one-shot task due at a logical time. */
    private final class LogicalTask implements ScheduledFuture<Object> {

        private final long dueElapsedMillis;

        private boolean cancelled;

        private boolean done;

        LogicalTask(long dueElapsedMillis) {
            this.dueElapsedMillis = dueElapsedMillis;
        }

        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(this.dueElapsedMillis - LogicalScheduledExecutor.this.loop.elapsedMillis(),
                    TimeUnit.MILLISECONDS);
        }

        @Override
        public int compareTo(Delayed other) {
            return Long.compare(getDelay(TimeUnit.MILLISECONDS), other.getDelay(TimeUnit.MILLISECONDS));
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            if (this.done || this.cancelled) {
                return false;
            }
            this.cancelled = true;
            return true;
        }

        @Override
        public boolean isCancelled() {
            return this.cancelled;
        }

        @Override
        public boolean isDone() {
            return this.done || this.cancelled;
        }

        @Override
        public Object get() {
            throw new UnsupportedOperationException("waiting would block the only thread of the simulation");
        }

        @Override
        public Object get(long timeout, TimeUnit unit) {
            throw new UnsupportedOperationException("waiting would block the only thread of the simulation");
        }
    }
}
