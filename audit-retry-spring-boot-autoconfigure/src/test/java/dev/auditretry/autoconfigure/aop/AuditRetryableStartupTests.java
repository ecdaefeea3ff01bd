package dev.auditretry.autoconfigure.aop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.auditretry.annotation.AuditRetryable;
import dev.auditretry.autoconfigure.AuditRetryAutoConfiguration;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.reactivestreams.Publisher;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

@ExtendWith(OutputCaptureExtension.class)
class AuditRetryableStartupTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, AuditRetryAutoConfiguration.class));

    @Test
    void failsWhenFallbackMethodIsMissing() {
        this.contextRunner.withBean(MissingFallback.class).run((context) -> assertThat(context).getFailure()
                .rootCause()
                .isInstanceOf(AuditRetryableDeclarationException.class)
                .hasMessageContaining("Fallback method 'recover'")
                .hasMessageContaining(MissingFallback.class.getName() + ".read(String)")
                .hasMessageContaining("was not found")
                .hasMessageContaining("String recover(String) or String recover(String, Throwable failure)"));
    }

    @Test
    void failsWhenFallbackParametersDoNotFit() {
        this.contextRunner.withBean(WrongParameters.class).run((context) -> assertThat(context).getFailure()
                .rootCause()
                .isInstanceOf(AuditRetryableDeclarationException.class)
                .hasMessageContaining("No method named 'recover'")
                .hasMessageContaining("recover(Integer) takes Integer as parameter 1 but must accept String"));
    }

    @Test
    void failsWhenFallbackReturnTypeDoesNotFit() {
        this.contextRunner.withBean(WrongReturnType.class).run((context) -> assertThat(context).getFailure()
                .rootCause()
                .isInstanceOf(AuditRetryableDeclarationException.class)
                .hasMessageContaining("returns Integer, which is not assignable to String"));
    }

    @Test
    void failsWhenFallbackThrowsUndeclaredCheckedException() {
        this.contextRunner.withBean(UndeclaredChecked.class).run((context) -> assertThat(context).getFailure()
                .rootCause()
                .isInstanceOf(AuditRetryableDeclarationException.class)
                .hasMessageContaining("declares IOException, a checked exception that the annotated method does not"
                        + " declare"));
    }

    @Test
    void failsWhenFallbackIsAmbiguous() {
        this.contextRunner.withBean(AmbiguousFallback.class).run((context) -> assertThat(context).getFailure()
                .rootCause()
                .isInstanceOf(AuditRetryableDeclarationException.class)
                .hasMessageContaining("is ambiguous"));
    }

    @Test
    void failsForPlainFutureReturnType() {
        this.contextRunner.withBean(FutureClient.class).run((context) -> assertThat(context).getFailure()
                .rootCause()
                .isInstanceOf(AuditRetryableDeclarationException.class)
                .hasMessageContaining(FutureClient.class.getName() + ".read()")
                .hasMessageContaining("returns java.util.concurrent.Future, a Future whose completion the advice"
                        + " cannot observe without blocking a thread")
                .hasMessageContaining("Declare CompletableFuture or CompletionStage"));
    }

    @Test
    void failsForCompletableFutureSubclassReturnType() {
        this.contextRunner.withBean(CustomFutureClient.class).run((context) -> assertThat(context).getFailure()
                .rootCause()
                .isInstanceOf(AuditRetryableDeclarationException.class)
                .hasMessageContaining("returns " + CustomFuture.class.getName() + ", but the advice returns a"
                        + " CompletableFuture to callers, which is not a CustomFuture"));
    }

    @Test
    void failsForPublisherReturnType() {
        this.contextRunner.withBean(PublisherClient.class).run((context) -> assertThat(context).getFailure()
                .rootCause()
                .isInstanceOf(AuditRetryableDeclarationException.class)
                .hasMessageContaining("returns org.reactivestreams.Publisher, a reactive type that the advice does"
                        + " not support")
                .hasMessageContaining("Declare Mono or Flux"));
    }

    @Test
    void acceptsAsynchronousFallbacksOfEveryShape() {
        this.contextRunner.withBean(AsyncFallbacks.class).run((context) -> assertThat(context).hasNotFailed());
    }

    @Test
    void failsWhenAsyncFallbackIsMissing() {
        this.contextRunner.withBean(AsyncMissingFallback.class).run((context) -> assertThat(context).getFailure()
                .rootCause()
                .isInstanceOf(AuditRetryableDeclarationException.class)
                .hasMessageContaining("Declare a method CompletableFuture<String> recover(String) or"
                        + " CompletableFuture<String> recover(String, Throwable failure); instead of"
                        + " CompletableFuture<String> it may return a plain String"));
    }

    @Test
    void failsWhenAsyncFallbackValueDoesNotFit() {
        this.contextRunner.withBean(AsyncWrongValue.class).run((context) -> assertThat(context).getFailure()
                .rootCause()
                .isInstanceOf(AuditRetryableDeclarationException.class)
                .hasMessageContaining("recover(String) returns Integer, which is neither a CompletableFuture nor"
                        + " assignable to String, the element type of CompletableFuture"));
    }

    @Test
    void failsWhenAsyncFallbackElementDoesNotFit() {
        this.contextRunner.withBean(AsyncWrongElement.class).run((context) -> assertThat(context).getFailure()
                .rootCause()
                .isInstanceOf(AuditRetryableDeclarationException.class)
                .hasMessageContaining("recover(String) returns CompletableFuture<Integer>, whose element type is"
                        + " not assignable to String"));
    }

    @Test
    void failsWhenMonoFallbackReturnsFlux() {
        this.contextRunner.withBean(MonoWithFluxFallback.class).run((context) -> assertThat(context).getFailure()
                .rootCause()
                .isInstanceOf(AuditRetryableDeclarationException.class)
                .hasMessageContaining("recover() returns Flux, which cannot stand in for a Mono"));
    }

    @Test
    void failsForNegativeMaxAttempts() {
        this.contextRunner.withBean(NegativeAttempts.class).run((context) -> assertThat(context).getFailure()
                .rootCause()
                .isInstanceOf(AuditRetryableDeclarationException.class)
                .hasMessageContaining("has maxAttempts -1, but it must be at least 1"));
    }

    @Test
    void failsForUnresolvablePlaceholder() {
        this.contextRunner.withBean(UnresolvedEndpoint.class).run((context) -> assertThat(context).getFailure()
                .rootCause()
                .isInstanceOf(AuditRetryableDeclarationException.class)
                .hasMessageContaining("endpoint '${ledger.missing}/entries' with a placeholder that cannot be resolved"));
    }

    @Test
    void analyzesDeclarationFailure() {
        this.contextRunner.withBean(MissingFallback.class).run((context) -> {
            FailureAnalysis analysis = new AuditRetryableDeclarationFailureAnalyzer()
                    .analyze(context.getStartupFailure());

            assertThat(analysis.getDescription()).contains("Fallback method 'recover'").contains("was not found");
            assertThat(analysis.getAction()).startsWith("Declare a method String recover(String)");
        });
    }

    @Test
    void warnsOnceForMethodsProxiesCannotIntercept(CapturedOutput output) {
        this.contextRunner.withUserConfiguration(UnreachableConfiguration.class).run((context) -> {
            assertThat(context).hasNotFailed();

            String log = output.getOut();
            assertThat(count(log, Unreachable.class.getName() + ".hidden has no effect: a Spring proxy cannot"
                    + " intercept a private method")).isEqualTo(1);
            assertThat(count(log, Unreachable.class.getName() + ".sealed has no effect")).isEqualTo(1);
            assertThat(count(log, "final method. Calls through a class-based proxy run it on the proxy instance"))
                    .isEqualTo(1);
            assertThat(count(log, Unreachable.class.getName() + ".shared has no effect")).isEqualTo(1);
            assertThat(log).contains("WARN").contains("call RetryManager.execute in it directly");
            assertThat(log).doesNotContain(Unreachable.class.getName() + ".open has no effect");
        });
    }

    private static int count(String text, String part) {
        int count = 0;
        for (int index = text.indexOf(part); index >= 0; index = text.indexOf(part, index + 1)) {
            count++;
        }
        return count;
    }

    static class MissingFallback {

        @AuditRetryable(fallbackMethod = "recover")
        public String read(String id) {
            return id;
        }
    }

    static class WrongParameters {

        @AuditRetryable(fallbackMethod = "recover")
        public String read(String id) {
            return id;
        }

        String recover(Integer id) {
            return "recovered";
        }
    }

    static class WrongReturnType {

        @AuditRetryable(fallbackMethod = "recover")
        public String read(String id) {
            return id;
        }

        Integer recover(String id) {
            return 0;
        }
    }

    static class UndeclaredChecked {

        @AuditRetryable(fallbackMethod = "recover")
        public String read(String id) {
            return id;
        }

        String recover(String id) throws IOException {
            throw new IOException("not declared by read");
        }
    }

    static class AmbiguousFallback {

        @AuditRetryable(fallbackMethod = "recover")
        public String read(String id) {
            return id;
        }

        String recover(String id) {
            return id;
        }

        String recover(Object id) {
            return "object";
        }
    }

    static class FutureClient {

        @AuditRetryable
        public Future<String> read() {
            return CompletableFuture.completedFuture("value");
        }
    }

    static class CustomFuture<T> extends CompletableFuture<T> {
    }

    static class CustomFutureClient {

        @AuditRetryable
        public CustomFuture<String> read() {
            return new CustomFuture<>();
        }
    }

    static class PublisherClient {

        @AuditRetryable
        public Publisher<String> read() {
            return Mono.just("value");
        }
    }

    static class AsyncFallbacks {

        @AuditRetryable(fallbackMethod = "recover")
        public CompletableFuture<String> read(String id) {
            return CompletableFuture.completedFuture(id);
        }

        // A plain value, which may declare checked exceptions because they reach the caller through the future.
        String recover(String id, IOException failure) throws IOException {
            return id;
        }

        CompletionStage<String> recover(String id, RuntimeException failure) {
            return CompletableFuture.completedFuture(id);
        }

        CompletableFuture<String> recover(String id) {
            return CompletableFuture.completedFuture(id);
        }

        @AuditRetryable(fallbackMethod = "recoverAll")
        public CompletionStage<Void> write(String id) {
            return CompletableFuture.completedFuture(null);
        }

        void recoverAll(String id) {
        }

        @AuditRetryable(fallbackMethod = "recoverMono")
        public Mono<String> monoRead() {
            return Mono.just("value");
        }

        Mono<String> recoverMono(IllegalStateException failure) {
            return Mono.just("fallback");
        }

        String recoverMono() {
            return "fallback";
        }

        @AuditRetryable(fallbackMethod = "recoverFlux")
        public Flux<String> fluxRead() {
            return Flux.just("value");
        }

        Mono<String> recoverFlux(IllegalStateException failure) {
            return Mono.just("fallback");
        }

        Flux<String> recoverFlux() {
            return Flux.just("fallback");
        }
    }

    static class AsyncMissingFallback {

        @AuditRetryable(fallbackMethod = "recover")
        public CompletableFuture<String> read(String id) {
            return CompletableFuture.completedFuture(id);
        }
    }

    static class AsyncWrongValue {

        @AuditRetryable(fallbackMethod = "recover")
        public CompletableFuture<String> read(String id) {
            return CompletableFuture.completedFuture(id);
        }

        Integer recover(String id) {
            return 0;
        }
    }

    static class AsyncWrongElement {

        @AuditRetryable(fallbackMethod = "recover")
        public CompletableFuture<String> read(String id) {
            return CompletableFuture.completedFuture(id);
        }

        CompletableFuture<Integer> recover(String id) {
            return CompletableFuture.completedFuture(0);
        }
    }

    static class MonoWithFluxFallback {

        @AuditRetryable(fallbackMethod = "recover")
        public Mono<String> read() {
            return Mono.just("value");
        }

        Flux<String> recover() {
            return Flux.just("fallback");
        }
    }

    static class NegativeAttempts {

        @AuditRetryable(maxAttempts = -1)
        public String read() {
            return "value";
        }
    }

    static class UnresolvedEndpoint {

        @AuditRetryable(endpoint = "${ledger.missing}/entries")
        public String read() {
            return "value";
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class UnreachableConfiguration {

        @Bean
        Unreachable first() {
            return new Unreachable();
        }

        @Bean
        Unreachable second() {
            return new Unreachable();
        }
    }

    static class Unreachable {

        @AuditRetryable
        private String hidden() {
            return "hidden";
        }

        @AuditRetryable
        public final String sealed() {
            return hidden();
        }

        @AuditRetryable
        public static String shared() {
            return "shared";
        }

        @AuditRetryable
        public String open() {
            return "open";
        }
    }
}
