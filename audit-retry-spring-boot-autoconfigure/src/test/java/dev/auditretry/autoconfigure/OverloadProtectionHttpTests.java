package dev.auditretry.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import dev.auditretry.annotation.AuditRetryable;
import dev.auditretry.core.RetryContext;
import dev.auditretry.core.RetryManager;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.HttpServerErrorException;
import org.springframework.web.client.RestClient;

/**
 * Calls a real embedded server on 127.0.0.1 through a real RestClient from {@code @AuditRetryable} methods, with
 * the starter's own status extractors, classifier and advice. Waits go to a recording sleeper on a test clock, so
 * nothing sleeps.
 */
@SpringBootTest(classes = OverloadProtectionHttpTests.TestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = { "server.address=127.0.0.1", "audit.retry.initial-delay=100ms", "audit.retry.max-delay=500ms",
                "audit.retry.jitter=none", "audit.retry.max-attempts=3" })
class OverloadProtectionHttpTests {

    @Autowired
    private LedgerClient ledger;

    @Autowired
    private LedgerServer server;

    @Autowired
    private RecordingSleeper sleeper;

    @Autowired
    private RetryManager retryManager;

    @Autowired
    private MeterRegistry meterRegistry;

    @BeforeEach
    void reset() {
        this.server.reset();
        this.sleeper.clear();
        this.retryManager.resetAllCircuitBreakers();
    }

    @Test
    void honoursRetryAfterAboveMaxDelay() {
        String balance = this.ledger.balance();

        assertThat(balance).isEqualTo("balance 42");
        assertThat(this.server.balanceRequests()).hasValue(2);
        assertThat(this.sleeper.waits()).containsExactly(Duration.ofSeconds(2));
        assertThat(this.retryManager.getEffectiveConfig(RetryContext.of("/ledger/balance")).maxDelay())
                .isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void attemptsPostOnceOnServerError() {
        assertThatExceptionOfType(HttpServerErrorException.class).isThrownBy(() -> this.ledger.post())
                .satisfies((failure) -> assertThat(failure.getStatusCode().value()).isEqualTo(500));

        assertThat(this.server.entryRequests()).hasValue(1);
        assertThat(this.sleeper.waits()).isEmpty();
        assertThat(this.meterRegistry.get("audit.retry.retries.stopped").tag("endpoint", "/ledger/entries:POST")
                .tag("reason", "not_idempotent").counter().count()).isEqualTo(1.0);
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class TestApplication {

        @Bean
        @AuditRetryClock
        MutableClock auditRetryClock() {
            return new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        }

        @Bean
        RecordingSleeper recordingSleeper(MutableClock clock) {
            return new RecordingSleeper(clock);
        }

        @Bean
        LedgerServer ledgerServer() {
            return new LedgerServer();
        }

        @Bean
        LedgerClient ledgerClient(Environment environment) {
            return new LedgerClient(environment);
        }
    }

    /**
     * The remote service. The first balance request gets 503 with Retry-After: 2 and later ones get 200. Every
     * entry POST gets 500.
     */
    @RestController
    static class LedgerServer {

        private final AtomicInteger balanceRequests = new AtomicInteger();

        private final AtomicInteger entryRequests = new AtomicInteger();

        @GetMapping("/ledger/balance")
        ResponseEntity<String> balance() {
            if (this.balanceRequests.incrementAndGet() == 1) {
                return ResponseEntity.status(503).header(HttpHeaders.RETRY_AFTER, "2").body("busy");
            }
            return ResponseEntity.ok("balance 42");
        }

        @PostMapping("/ledger/entries")
        ResponseEntity<String> postEntry() {
            this.entryRequests.incrementAndGet();
            return ResponseEntity.status(500).body("failed after writing");
        }

        void reset() {
            this.balanceRequests.set(0);
            this.entryRequests.set(0);
        }

        AtomicInteger balanceRequests() {
            return this.balanceRequests;
        }

        AtomicInteger entryRequests() {
            return this.entryRequests;
        }
    }

    static class LedgerClient {

        private final Environment environment;

        LedgerClient(Environment environment) {
            this.environment = environment;
        }

        @AuditRetryable(endpoint = "/ledger/balance")
        public String balance() {
            return client().get().uri("/ledger/balance").retrieve().body(String.class);
        }

        @AuditRetryable(endpoint = "/ledger/entries", method = "POST")
        public String post() {
            return client().post().uri("/ledger/entries").body("entry").retrieve().body(String.class);
        }

        // The port is known only once the server has started, after this bean was created.
        private RestClient client() {
            String port = this.environment.getRequiredProperty("local.server.port");
            return RestClient.builder().baseUrl("http://127.0.0.1:" + port).build();
        }
    }
}
