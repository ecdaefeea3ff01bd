package dev.auditretry.autoconfigure.aop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.auditretry.annotation.AuditRetryable;
import dev.auditretry.autoconfigure.AuditRetryAutoConfiguration;
import dev.auditretry.autoconfigure.AuditRetryClock;
import dev.auditretry.autoconfigure.ManualDelayScheduler;
import dev.auditretry.autoconfigure.MutableClock;
import dev.auditretry.core.DelayScheduler;
import dev.auditretry.core.HttpStatusException;
import dev.auditretry.core.RetryContext;
import dev.auditretry.core.RetryManager;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.core.publisher.Mono;

class ReactorRetryableConfigurationTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, AuditRetryAutoConfiguration.class))
            .withPropertyValues("audit.retry.jitter=none", "audit.retry.initial-delay=100ms");

    @Test
    void waitsOnReactorSchedulerByDefault() {
        this.contextRunner.run((context) -> {
            assertThat(context).hasSingleBean(ReactorRetryableConfiguration.class);
            assertThat(context).getBean(DelayScheduler.class).isInstanceOf(ReactorDelayScheduler.class);
            assertThat(context).hasSingleBean(MonoReturnType.class);
            assertThat(context).hasSingleBean(FluxReturnType.class);
        });
    }

    @Test
    void managerUsesDelaySchedulerOfApplication() {
        this.contextRunner.withUserConfiguration(ManualSchedulerConfiguration.class).run((context) -> {
            ManualDelayScheduler scheduler = context.getBean(ManualDelayScheduler.class);
            RetryManager manager = context.getBean(RetryManager.class);
            AtomicInteger calls = new AtomicInteger();

            CompletableFuture<String> result = manager.executeAsync(RetryContext.of("/direct"), () -> {
                if (calls.incrementAndGet() == 1) {
                    return CompletableFuture.failedFuture(new HttpStatusException(503));
                }
                return CompletableFuture.completedFuture("done");
            });

            assertThat(context).hasSingleBean(DelayScheduler.class);
            assertThat(scheduler.delays()).containsExactly(Duration.ofMillis(100));
            scheduler.releaseNext();
            assertThat(result).isCompletedWithValue("done");
        });
    }

    // CGLIB cannot define a subclass of this nested class through the filtered class loader, so the bean gets a
    // proxy of its public interface instead.
    @Test
    void withoutReactorCompletableFutureMethodsStillWork() {
        this.contextRunner.withClassLoader(new FilteredClassLoader(Mono.class))
                .withPropertyValues("spring.aop.proxy-target-class=false")
                .withUserConfiguration(ManualSchedulerConfiguration.class)
                .withBean(FutureReader.class, FutureClient::new)
                .run((context) -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context).doesNotHaveBean(ReactorRetryableConfiguration.class);
                    assertThat(context).doesNotHaveBean(MonoReturnType.class);
                    assertThat(context).doesNotHaveBean(FluxReturnType.class);
                    FutureReader client = context.getBean(FutureReader.class);

                    CompletableFuture<String> result = client.read();
                    context.getBean(ManualDelayScheduler.class).releaseNext();

                    assertThat(result).isCompletedWithValue("read");
                    assertThat(client.calls()).hasValue(2);
                });
    }

    @Test
    void withoutReactorNoDelaySchedulerBeanExists() {
        this.contextRunner.withClassLoader(new FilteredClassLoader(Mono.class))
                .run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(DelayScheduler.class));
    }

    @Test
    void withoutReactorMonoMethodFailsStartup() {
        this.contextRunner.withClassLoader(new FilteredClassLoader(Mono.class))
                .withBean(MonoClient.class)
                .run((context) -> assertThat(context).getFailure()
                        .rootCause()
                        .isInstanceOf(AuditRetryableDeclarationException.class)
                        .hasMessageContaining(MonoClient.class.getName() + ".read()")
                        .hasMessageContaining("returns reactor.core.publisher.Mono, a reactive type that the advice"
                                + " does not support")
                        .hasMessageContaining("only with reactor-core on the classpath"));
    }

    @Configuration(proxyBeanMethods = false)
    static class ManualSchedulerConfiguration {

        @Bean
        @AuditRetryClock
        MutableClock auditRetryClock() {
            return new MutableClock(Instant.parse("2025-01-01T00:00:00Z"));
        }

        @Bean
        ManualDelayScheduler manualDelayScheduler(MutableClock clock) {
            return new ManualDelayScheduler(clock);
        }
    }

    public interface FutureReader {

        CompletableFuture<String> read();

        AtomicInteger calls();
    }

    static class FutureClient implements FutureReader {

        private final AtomicInteger calls = new AtomicInteger();

        @Override
        public AtomicInteger calls() {
            return this.calls;
        }

        @Override
        @AuditRetryable(endpoint = "/futures")
        public CompletableFuture<String> read() {
            if (this.calls.incrementAndGet() == 1) {
                return CompletableFuture.failedFuture(new HttpStatusException(503));
            }
            return CompletableFuture.completedFuture("read");
        }
    }

    static class MonoClient {

        @AuditRetryable
        public Mono<String> read() {
            return Mono.just("value");
        }
    }
}
