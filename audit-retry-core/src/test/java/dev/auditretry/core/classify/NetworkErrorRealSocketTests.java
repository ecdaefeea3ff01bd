package dev.auditretry.core.classify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.auditretry.core.RetryConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Produces network failures for real, with the JDK HTTP client against sockets on 127.0.0.1, and checks that
 * the classifier names them as the client library reports them.
 */
class NetworkErrorRealSocketTests {

    private final DefaultErrorClassifier classifier = new DefaultErrorClassifier();

    private final RetryConfig everyNetworkError = RetryConfig.builder()
            .retryableErrors("ECONNRESET", "ECONNREFUSED", "ETIMEDOUT", "ENOTFOUND", "EPIPE").build();

    private HttpClient client;

    private ServerSocket server;

    private Thread serverThread;

    @BeforeEach
    void createClient() {
        this.client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterEach
    void closeServer() throws Exception {
        if (this.server != null) {
            this.server.close();
        }
        if (this.serverThread != null) {
            this.serverThread.join(5_000);
        }
    }

    @Test
    void connectionRefusedWhenNothingListens() throws Exception {
        int freePort;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            freePort = probe.getLocalPort();
        }

        Throwable failure = send(freePort, Duration.ofSeconds(5));

        assertThat(NetworkError.findInCauseChain(failure)).contains(NetworkError.ECONNREFUSED);
        assertThat(this.classifier.classify(failure, this.everyNetworkError)).isEqualTo(ErrorCategory.TRANSIENT);
    }

    @Test
    void connectionResetWhenTheServerClosesMidResponse() throws Exception {
        startServer((socket) -> {
            readRequestHead(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            out.write("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\npartial".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            socket.setSoLinger(true, 0);
            socket.close();
        });

        Throwable failure = send(this.server.getLocalPort(), Duration.ofSeconds(5));

        assertThat(NetworkError.findInCauseChain(failure)).contains(NetworkError.ECONNRESET);
    }

    @Test
    void connectionResetWhenTheServerClosesBeforeAnswering() throws Exception {
        startServer((socket) -> {
            readRequestHead(socket.getInputStream());
            socket.close();
        });

        Throwable failure = send(this.server.getLocalPort(), Duration.ofSeconds(5));

        assertThat(NetworkError.findInCauseChain(failure)).contains(NetworkError.ECONNRESET);
    }

    @Test
    void timeoutWhenTheServerNeverAnswers() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        startServer((socket) -> {
            readRequestHead(socket.getInputStream());
            try {
                release.await(10, TimeUnit.SECONDS);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        });

        Throwable failure = send(this.server.getLocalPort(), Duration.ofMillis(200));
        release.countDown();

        assertThat(NetworkError.findInCauseChain(failure)).contains(NetworkError.ETIMEDOUT);
    }

    private Throwable send(int port, Duration timeout) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/ledger"))
                .timeout(timeout).GET().build();
        Throwable failure = catchThrowable(() -> this.client.send(request, HttpResponse.BodyHandlers.ofString()));
        assertThat(failure).isNotNull();
        return failure;
    }

    private void startServer(SocketHandler handler) throws IOException {
        this.server = new ServerSocket();
        this.server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        // Serves every connection the same way, because the JDK client retries an idempotent request once
        // on a new connection when the first one closes.
        this.serverThread = new Thread(() -> {
            while (!this.server.isClosed()) {
                try (Socket socket = this.server.accept()) {
                    handler.handle(socket);
                }
                catch (IOException ex) {
                    // The test closed the server socket, or the client went away.
                }
            }
        }, "test-server");
        this.serverThread.start();
    }

    private static void readRequestHead(InputStream in) throws IOException {
        int matched = 0;
        byte[] end = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        int next;
        while (matched < end.length && (next = in.read()) != -1) {
            matched = (next == end[matched]) ? matched + 1 : (next == end[0] ? 1 : 0);
        }
    }

    @FunctionalInterface
    interface SocketHandler {

        void handle(Socket socket) throws IOException;
    }
}
