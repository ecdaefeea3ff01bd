package dev.auditretry.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import com.sun.net.httpserver.HttpServer;
import dev.auditretry.annotation.AuditRetryable;
import dev.auditretry.core.HttpStatusException;
import dev.auditretry.core.RetryContext;
import dev.auditretry.core.RetryListener;
import dev.auditretry.core.RetryManager;
import dev.auditretry.core.classify.DefaultErrorClassifier;
import dev.auditretry.core.classify.HttpStatusExtractor;
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
import java.util.concurrent.CopyOnWriteArrayList;
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
import org.springframework.web.client.HttpClientErrorException;
import org.springframework.web.client.HttpServerErrorException;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientResponseException;

/**
 * Calls a real HTTP server on a random loopback port with Spring's real HTTP clients, through an
 * {@code @AuditRetryable} bean.
 */
class HttpClientErrorsTests {

    private final Queue<Integer> statuses = new ConcurrentLinkedQueue<>();

    private final AtomicInteger requests = new AtomicInteger();

    private HttpServer server;

    private String baseUrl;

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, AuditRetryAutoConfiguration.class))
            .withUserConfiguration(ClientConfiguration.class)
            .withPropertyValues("audit.retry.jitter=none");

    @BeforeEach
    void startServer() throws IOException {
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        this.server.createContext("/ledger", (exchange) -> {
            this.requests.incrementAndGet();
            Integer status = this.statuses.poll();
            int code = (status != null) ? status : 200;
            if (code == 503) {
                exchange.getResponseHeaders().add("Retry-After", "7");
            }
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
    void retriesRestClient503AndCarriesRetryAfter() {
        this.statuses.addAll(List.of(503, 503));

        this.contextRunner.withBean(LedgerClient.class, () -> new LedgerClient(this.baseUrl)).run((context) -> {
            String body = context.getBean(LedgerClient.class).readWithRestClient();
            List<Throwable> retried = context.getBean(RetryEvents.class).causes;

            assertThat(body).isEqualTo("entries");
            assertThat(this.requests).hasValue(3);
            assertThat(retried).hasSize(2).allMatch(HttpServerErrorException.ServiceUnavailable.class::isInstance);
            HttpStatusException status = classifier(context.getBean(RestClientStatusExtractor.class))
                    .findHttpStatus(retried.get(0)).orElseThrow();
            assertThat(status.getStatus()).isEqualTo(503);
            assertThat(status.getRetryAfter()).contains("7");
            assertThat(status.getBody()).contains("unavailable");
            assertThat(status.getCause()).isSameAs(retried.get(0));
        });
    }

    @Test
    void doesNotRetryRestClient404() {
        this.statuses.add(404);

        this.contextRunner.withBean(LedgerClient.class, () -> new LedgerClient(this.baseUrl)).run((context) -> {
            assertThatExceptionOfType(HttpClientErrorException.NotFound.class)
                    .isThrownBy(() -> context.getBean(LedgerClient.class).readWithRestClient());

            assertThat(this.requests).hasValue(1);
        });
    }

    @Test
    void rethrowsLastRestClientException() {
        this.statuses.addAll(List.of(503, 503, 503));

        this.contextRunner.withBean(LedgerClient.class, () -> new LedgerClient(this.baseUrl)).run((context) -> {
            assertThatExceptionOfType(HttpServerErrorException.ServiceUnavailable.class)
                    .isThrownBy(() -> context.getBean(LedgerClient.class).readWithRestClient());

            assertThat(this.requests).hasValue(3);
            assertThat(context.getBean(RetryManager.class).getCircuitBreakerStats(
                    RetryContext.circuitKey("/ledger", "GET"))).hasValueSatisfying(
                            (stats) -> assertThat(stats.failureCount()).isEqualTo(3));
        });
    }

    @Test
    void retriesWebClient503AndCarriesRetryAfter() {
        this.statuses.add(503);

        this.contextRunner.withBean(LedgerClient.class, () -> new LedgerClient(this.baseUrl)).run((context) -> {
            String body = context.getBean(LedgerClient.class).readWithWebClient();
            List<Throwable> retried = context.getBean(RetryEvents.class).causes;

            assertThat(body).isEqualTo("entries");
            assertThat(this.requests).hasValue(2);
            assertThat(retried).singleElement().isInstanceOf(WebClientResponseException.ServiceUnavailable.class);
            HttpStatusException status = new WebClientStatusExtractor().extract(retried.get(0)).orElseThrow();
            assertThat(status.getStatus()).isEqualTo(503);
            assertThat(status.getRetryAfter()).contains("7");
        });
    }

    private static DefaultErrorClassifier classifier(HttpStatusExtractor extractor) {
        return new DefaultErrorClassifier(List.of(extractor));
    }

    @Configuration(proxyBeanMethods = false)
    static class ClientConfiguration {

        @Bean
        @AuditRetryClock
        MutableClock auditRetryClock() {
            return new MutableClock(Instant.parse("2025-01-01T00:00:00Z"));
        }

        @Bean
        RecordingSleeper recordingSleeper(MutableClock clock) {
            return new RecordingSleeper(clock);
        }

        @Bean
        RetryEvents retryEvents() {
            return new RetryEvents();
        }
    }

    static class RetryEvents implements RetryListener {

        final List<Throwable> causes = new CopyOnWriteArrayList<>();

        @Override
        public void onRetryScheduled(RetryContext context, int failedAttempt, Duration delay, Throwable cause) {
            this.causes.add(cause);
        }
    }

    static class LedgerClient {

        private final RestClient restClient;

        private final WebClient webClient;

        LedgerClient(String baseUrl) {
            this.restClient = RestClient.builder().baseUrl(baseUrl).build();
            this.webClient = WebClient.builder().baseUrl(baseUrl).clientConnector(new JdkClientHttpConnector())
                    .build();
        }

        @AuditRetryable(endpoint = "/ledger")
        public String readWithRestClient() {
            return this.restClient.get().uri("/ledger").retrieve().body(String.class);
        }

        @AuditRetryable(endpoint = "/ledger", method = "GET")
        public String readWithWebClient() {
            return this.webClient.get().uri("/ledger").retrieve().bodyToMono(String.class)
                    .block(Duration.ofSeconds(10));
        }
    }
}
