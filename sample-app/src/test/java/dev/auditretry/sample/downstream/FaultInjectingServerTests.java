package dev.auditretry.sample.downstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.auditretry.core.classify.NetworkError;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Drives the fault-injecting downstream over real loopback sockets with the JDK HTTP client and raw sockets.
 */
class FaultInjectingServerTests {

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private FaultInjectingServer server;

    @BeforeEach
    void startServer() {
        this.server = new FaultInjectingServer(InetAddress.getLoopbackAddress(), 0);
        this.server.start();
    }

    @AfterEach
    void closeServer() {
        this.server.close();
    }

    @Test
    void returnsExistingEntry() throws Exception {
        HttpResponse<String> response = get("/ledger/42");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(
                "{\"id\":\"42\",\"account\":\"ACC-0042\",\"amountCents\":32598,\"currency\":\"EUR\"}");
        assertThat(response.headers().firstValue("Connection")).contains("close");
        assertThat(this.server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void returnsClientErrorsForBadIds() throws Exception {
        assertThat(get("/ledger/1001").statusCode()).isEqualTo(404);
        assertThat(get("/ledger/abc").statusCode()).isEqualTo(400);
        assertThat(get("/accounts").statusCode()).isEqualTo(404);
        assertThat(this.server.getRequestCount()).isEqualTo(3);
    }

    @Test
    void failsGivenTimesThenRecovers() throws Exception {
        this.server.apply(new FaultPlan(Fault.STATUS, 503, "2", Duration.ZERO, 2));

        HttpResponse<String> first = get("/ledger/7");
        HttpResponse<String> second = get("/ledger/7");
        HttpResponse<String> third = get("/ledger/7");

        assertThat(first.statusCode()).isEqualTo(503);
        assertThat(first.headers().firstValue("Retry-After")).contains("2");
        assertThat(second.statusCode()).isEqualTo(503);
        assertThat(third.statusCode()).isEqualTo(200);
        assertThat(this.server.getRequestCount()).isEqualTo(3);
        assertThat(this.server.getState().remainingFaults()).isZero();
    }

    @Test
    void failsEveryRequestWithoutTimes() throws Exception {
        this.server.apply(new FaultPlan(Fault.STATUS, 500, null, Duration.ZERO, null));

        for (int i = 0; i < 5; i++) {
            HttpResponse<String> response = get("/ledger/7");
            assertThat(response.statusCode()).isEqualTo(500);
            assertThat(response.headers().firstValue("Retry-After")).isEmpty();
        }
        assertThat(this.server.getRequestCount()).isEqualTo(5);
    }

    @Test
    void disconnectResetsConnectionForJdkClient() {
        this.server.apply(new FaultPlan(Fault.DISCONNECT, 503, null, Duration.ZERO, null));

        Throwable failure = catchThrowable(() -> get("/ledger/42"));

        assertThat(failure).isInstanceOf(IOException.class);
        assertThat(NetworkError.findInCauseChain(failure)).contains(NetworkError.ECONNRESET);
        assertThat(this.server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void disconnectSendsHalfBodyThenResets() throws Exception {
        this.server.apply(new FaultPlan(Fault.DISCONNECT, 503, null, Duration.ZERO, null));
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        Throwable readFailure;

        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), this.server.getPort())) {
            socket.setSoTimeout(5_000);
            socket.getOutputStream().write("GET /ledger/42 HTTP/1.1\r\nHost: test\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            readFailure = catchThrowable(() -> readUntilEnd(socket.getInputStream(), received));
        }

        String text = received.toString(StandardCharsets.ISO_8859_1);
        int bodyStart = text.indexOf("\r\n\r\n") + 4;
        // Linux drops bytes not yet read when a reset arrives, so the client may see the reset before the head.
        if (bodyStart >= 4) {
            assertThat(text).startsWith("HTTP/1.1 200 OK\r\n").contains("Content-Length: 69\r\n");
            assertThat(text.length() - bodyStart).isLessThan(69);
        }
        assertThat(readFailure).isInstanceOf(IOException.class).hasMessageContaining("Connection reset");
    }

    @Test
    void downRefusesThenReturnsOnSamePort() throws Exception {
        int port = this.server.getPort();
        get("/ledger/1");
        long servedBeforeOutage = this.server.getRequestCount();

        this.server.apply(new FaultPlan(Fault.DOWN, 503, null, Duration.ZERO, null));
        // A plain socket, because the JDK HTTP client may repeat a request on a connection it had open before.
        Throwable refused = catchThrowable(() -> new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), port)
                .close());

        assertThat(this.server.isListening()).isFalse();
        assertThat(NetworkError.findInCauseChain(refused)).contains(NetworkError.ECONNREFUSED);
        assertThat(this.server.getRequestCount()).isEqualTo(servedBeforeOutage);

        this.server.apply(FaultPlan.HEALTHY);

        assertThat(this.server.getPort()).isEqualTo(port);
        assertThat(get("/ledger/1").statusCode()).isEqualTo(200);
        assertThat(this.server.getRequestCount()).isGreaterThan(servedBeforeOutage);
    }

    @Test
    void latencyMakesClientTimeOut() {
        this.server.apply(new FaultPlan(Fault.NONE, 503, null, Duration.ofSeconds(30), null));
        HttpRequest request = HttpRequest.newBuilder(uri("/ledger/1")).timeout(Duration.ofMillis(100)).build();

        Throwable failure = catchThrowable(() -> this.client.send(request, HttpResponse.BodyHandlers.ofString()));

        assertThat(NetworkError.findInCauseChain(failure)).contains(NetworkError.ETIMEDOUT);
    }

    @Test
    void countedLatencyEndsAfterGivenTimes() throws Exception {
        this.server.apply(new FaultPlan(Fault.NONE, 503, null, Duration.ofSeconds(30), 1));
        HttpRequest slow = HttpRequest.newBuilder(uri("/ledger/1")).timeout(Duration.ofMillis(100)).build();

        Throwable failure = catchThrowable(() -> this.client.send(slow, HttpResponse.BodyHandlers.ofString()));
        HttpResponse<String> next = get("/ledger/1");

        assertThat(NetworkError.findInCauseChain(failure)).contains(NetworkError.ETIMEDOUT);
        assertThat(next.statusCode()).isEqualTo(200);
        assertThat(this.server.getState().remainingFaults()).isZero();
    }

    @Test
    void malformedRequestGetsBadRequest() throws Exception {
        ByteArrayOutputStream received = new ByteArrayOutputStream();

        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), this.server.getPort())) {
            socket.setSoTimeout(5_000);
            socket.getOutputStream().write("NONSENSE\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            readUntilEnd(socket.getInputStream(), received);
        }

        assertThat(received.toString(StandardCharsets.ISO_8859_1)).startsWith("HTTP/1.1 400 Bad Request\r\n");
        assertThat(this.server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void resetRequestCountReturnsPreviousCount() throws Exception {
        get("/ledger/1");
        get("/ledger/2");

        long before = this.server.resetRequestCount();

        assertThat(before).isEqualTo(2);
        assertThat(this.server.getRequestCount()).isZero();
    }

    @Test
    void countedFaultsAreExactUnderConcurrentRequests() throws Exception {
        int threads = 8;
        int requestsPerThread = 25;
        int faults = 50;
        this.server.apply(new FaultPlan(Fault.STATUS, 503, null, Duration.ZERO, faults));
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<List<Integer>>> results = new ArrayList<>();

        try {
            for (int t = 0; t < threads; t++) {
                Callable<List<Integer>> worker = () -> {
                    start.await();
                    List<Integer> statuses = new ArrayList<>();
                    for (int i = 0; i < requestsPerThread; i++) {
                        statuses.add(get("/ledger/3").statusCode());
                    }
                    return statuses;
                };
                results.add(pool.submit(worker));
            }
            start.countDown();
            List<Integer> statuses = new ArrayList<>();
            for (Future<List<Integer>> result : results) {
                statuses.addAll(result.get());
            }

            assertThat(statuses).hasSize(threads * requestsPerThread);
            assertThat(statuses).filteredOn((status) -> status == 503).hasSize(faults);
            assertThat(statuses).filteredOn((status) -> status == 200).hasSize(threads * requestsPerThread - faults);
            assertThat(this.server.getRequestCount()).isEqualTo(threads * requestsPerThread);
            assertThat(this.server.getState().remainingFaults()).isZero();
        }
        finally {
            pool.shutdownNow();
        }
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10)).build();
        return this.client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + this.server.getPort() + path);
    }

    private static void readUntilEnd(InputStream in, ByteArrayOutputStream received) throws IOException {
        byte[] buffer = new byte[1024];
        int read;
        while ((read = in.read(buffer)) >= 0) {
            received.write(buffer, 0, read);
        }
    }
}
