package dev.auditretry.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.sun.net.httpserver.HttpServer;
import dev.auditretry.core.backoff.Jitter;
import dev.auditretry.core.circuit.CircuitBreakerConfig;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Retries real HTTP calls with the JDK client against a server on 127.0.0.1.
 */
class RetryManagerHttpTests {

    private final MutableClock clock = new MutableClock();

    private final RecordingSleeper sleeper = new RecordingSleeper(this.clock);

    private final HttpClient client = HttpClient.newHttpClient();

    private final AtomicInteger requests = new AtomicInteger();

    private HttpServer server;

    private volatile int failuresBeforeSuccess;

    private volatile String retryAfter;

    @BeforeEach
    void startServer() throws IOException {
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        this.server.createContext("/ledger", (exchange) -> {
            int request = this.requests.incrementAndGet();
            boolean fail = request <= this.failuresBeforeSuccess;
            byte[] body = (fail ? "unavailable" : "entry-42").getBytes(StandardCharsets.UTF_8);
            if (fail && this.retryAfter != null) {
                exchange.getResponseHeaders().add("Retry-After", this.retryAfter);
            }
            exchange.sendResponseHeaders(fail ? 503 : 200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        this.server.start();
    }

    @AfterEach
    void stopServer() {
        this.server.stop(0);
    }

    @Test
    void retriesServiceUnavailableUntilTheServerAnswers() throws Exception {
        this.failuresBeforeSuccess = 2;
        RetryManager manager = manager(RetryConfig.builder().initialDelay(Duration.ofMillis(200)).jitter(Jitter.NONE).build());

        String body = manager.execute(RetryContext.of("/ledger"), this::getLedger);

        assertThat(body).isEqualTo("entry-42");
        assertThat(this.requests).hasValue(3);
        assertThat(this.sleeper.waits()).containsExactly(Duration.ofMillis(200), Duration.ofMillis(400));
    }

    @Test
    void waitsAtLeastRetryAfter() throws Exception {
        this.failuresBeforeSuccess = 2;
        this.retryAfter = "3";
        RetryManager manager = manager(RetryConfig.builder().initialDelay(Duration.ofMillis(200)).jitter(Jitter.NONE).build());

        String body = manager.execute(RetryContext.of("/ledger"), this::getLedger);

        assertThat(body).isEqualTo("entry-42");
        assertThat(this.sleeper.waits()).containsExactly(Duration.ofSeconds(3), Duration.ofSeconds(3));
    }

    @Test
    void retriesConnectionRefusedWhenConfigured() throws Exception {
        int closedPort;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = probe.getLocalPort();
        }
        RetryManager manager = manager(RetryConfig.builder().retryableErrors("ECONNREFUSED").jitter(Jitter.NONE).build());
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + closedPort + "/ledger")).build();

        RetryExhaustedException exhausted = catchThrowableOfType(() -> manager.execute(RetryContext.of("/ledger"),
                () -> this.client.send(request, HttpResponse.BodyHandlers.ofString())), RetryExhaustedException.class);

        assertThat(exhausted.getAttempts()).isEqualTo(3);
        assertThat(exhausted).hasCauseInstanceOf(ConnectException.class);
    }

    private RetryManager manager(RetryConfig retryConfig) {
        return RetryManager.builder().clock(this.clock).sleeper(this.sleeper).retryConfig(retryConfig)
                .circuitBreakerConfig(CircuitBreakerConfig.defaults()).build();
    }

    private String getLedger() throws IOException, InterruptedException {
        URI uri = URI.create("http://127.0.0.1:" + this.server.getAddress().getPort() + "/ledger");
        HttpResponse<String> response = this.client.send(HttpRequest.newBuilder(uri).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() >= 400) {
            throw new HttpStatusException(response.statusCode(), null, response.body(), null,
                    response.headers().firstValue("Retry-After").orElse(null));
        }
        return response.body();
    }
}
