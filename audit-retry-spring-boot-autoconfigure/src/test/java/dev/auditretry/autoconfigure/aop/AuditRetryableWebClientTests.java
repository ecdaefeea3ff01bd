package dev.auditretry.autoconfigure.aop;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.auditretry.annotation.AuditRetryable;
import dev.auditretry.autoconfigure.AuditRetryAutoConfiguration;
import dev.auditretry.autoconfigure.AuditRetryClock;
import dev.auditretry.autoconfigure.MutableClock;
import dev.auditretry.autoconfigure.RecordingDelayScheduler;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.reactive.JdkClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientResponseException;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * Calls a real HTTP server on a random loopback port through WebClient from an {@code @AuditRetryable} method that
 * returns a Mono.
 */
class AuditRetryableWebClientTests {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final Queue<Integer> statuses = new ConcurrentLinkedQueue<>();

    private final AtomicInteger requests = new AtomicInteger();

    private HttpServer server;

    private String baseUrl;

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, AuditRetryAutoConfiguration.class))
            .withUserConfiguration(ClientConfiguration.class)
            .withPropertyValues("audit.retry.jitter=none", "audit.retry.initial-delay=100ms");

    @BeforeEach
    void startServer() throws IOException {
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        this.server.createContext("/ledger", (exchange) -> {
            this.requests.incrementAndGet();
            Integer status = this.statuses.poll();
            int code = (status != null) ? status : 200;
            byte[] body = ((code == 200) ? "entries" : "unavailable").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(code, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        this.server.start();
        this.baseUrl = "http://127.0.0.1:" + this.server.getAddress().getPort();
    }

    @AfterEach
    void stopServer() {
        this.server.stop(0);
    }

    @Test
    void retriesMonoOfWebClientAfter503() {
        this.statuses.addAll(List.of(503, 503));

        this.contextRunner.withBean(LedgerClient.class, () -> new LedgerClient(this.baseUrl)).run((context) -> {
            LedgerClient client = context.getBean(LedgerClient.class);

            StepVerifier.create(client.entries()).expectNext("entries").expectComplete().verify(TIMEOUT);

            assertThat(this.requests).hasValue(3);
            assertThat(client.invocations()).hasValue(3);
            assertThat(context.getBean(RecordingDelayScheduler.class).delays())
                    .containsExactly(Duration.ofMillis(100), Duration.ofMillis(200));
        });
    }

    @Test
    void exhaustionGivesLastWebClientException() {
        this.statuses.addAll(List.of(503, 503, 503));

        this.contextRunner.withBean(LedgerClient.class, () -> new LedgerClient(this.baseUrl)).run((context) -> {
            StepVerifier.create(context.getBean(LedgerClient.class).entries())
                    .expectError(WebClientResponseException.ServiceUnavailable.class)
                    .verify(TIMEOUT);

            assertThat(this.requests).hasValue(3);
        });
    }

    @Test
    void unsubscribedMonoSendsNoRequest() {
        this.contextRunner.withBean(LedgerClient.class, () -> new LedgerClient(this.baseUrl)).run((context) -> {
            LedgerClient client = context.getBean(LedgerClient.class);

            Mono<String> entries = client.entries();

            assertThat(entries).isNotNull();
            assertThat(client.invocations()).hasValue(0);
            assertThat(this.requests).hasValue(0);
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class ClientConfiguration {

        @Bean
        @AuditRetryClock
        MutableClock auditRetryClock() {
            return new MutableClock(Instant.parse("2025-01-01T00:00:00Z"));
        }

        @Bean
        RecordingDelayScheduler recordingDelayScheduler(MutableClock clock) {
            return new RecordingDelayScheduler(clock);
        }
    }

    static class LedgerClient {

        private final WebClient webClient;

        private final AtomicInteger invocations = new AtomicInteger();

        LedgerClient(String baseUrl) {
            this.webClient = WebClient.builder().baseUrl(baseUrl).clientConnector(new JdkClientHttpConnector())
                    .build();
        }

        AtomicInteger invocations() {
            return this.invocations;
        }

        // Counts its invocations before building the Mono, as code that logs or records metrics there would.
        @AuditRetryable(endpoint = "/ledger")
        public Mono<String> entries() {
            this.invocations.incrementAndGet();
            return this.webClient.get().uri("/ledger").retrieve().bodyToMono(String.class);
        }
    }
}
