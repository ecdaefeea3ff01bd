package dev.auditretry.autoconfigure.aop;

import dev.auditretry.core.DelayScheduler;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Waits on {@link Schedulers#parallel()}, looked up for every wait, so that a virtual-time scheduler installed by
 * {@code StepVerifier.withVirtualTime} drives the waits of calls it subscribes to. The next attempt starts on the
 * thread that ends the wait.
 */
final class ReactorDelayScheduler implements DelayScheduler {

    @Override
    public CompletionStage<Void> delay(Duration delay) {
        return Mono.delay(delay, Schedulers.parallel()).then().toFuture();
    }
}
