package dev.auditretry.sample.downstream;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A ledger service over HTTP/1.1 that fails on demand. It responds with chosen error statuses and Retry-After
 * headers, adds latency, resets the connection in the middle of a body, or stops listening, for a number of
 * requests or for all of them.
 * <p>
 * It works on plain sockets rather than on a servlet container, because two of its faults need control that a
 * container does not give: a connection reset after part of a body was sent, and a port that nobody listens on
 * until the downstream comes back on the same port. Every response closes its connection, so each request is a new
 * connection and the request counter counts what clients really sent.
 * <p>
 * The service itself holds ledger entries 1 to {@value #LAST_ENTRY_ID} under {@code GET /ledger/{id}}; a larger
 * number is 404 Not Found and anything but a number is 400 Bad Request.
 * <p>
 * Thread-safe: the plan and the counter are atomic, and each connection is served on a thread of a bounded pool.
 */
public final class FaultInjectingServer implements Closeable {

    /** The highest ledger entry id that exists. */
    public static final int LAST_ENTRY_ID = 1000;

    private static final Logger logger = LoggerFactory.getLogger(FaultInjectingServer.class);

    private static final Pattern ENTRY_PATH = Pattern.compile("/ledger/([^/]+)");

    private static final Pattern NUMBER = Pattern.compile("[0-9]{1,9}");

    /** Connections served at once; a connection beyond it is closed unread and not counted as a request. */
    static final int MAX_CONNECTION_THREADS = 256;

    private static final int SOCKET_READ_TIMEOUT_MILLIS = 10_000;

    private static final long ACCEPTOR_EXIT_TIMEOUT_MILLIS = 5_000;

    private static final int MAX_DISCARDED_BODY_BYTES = 1024 * 1024;

    private static final long ACCEPT_FAILURE_PAUSE_MILLIS = 100;

    private final InetAddress bindAddress;

    private final AtomicReference<ActivePlan> activePlan =
            new AtomicReference<>(new ActivePlan(FaultPlan.HEALTHY, null));

    private final AtomicLong requestCount = new AtomicLong();

    private final ThreadPoolExecutor connectionPool;

    // Guards binding and closing the listener and replacing the plan. None of them waits for a client, so holding
    // the lock is brief.
    private final ReentrantLock listenerLock = new ReentrantLock();

    private volatile ServerSocket listener;

    private volatile Thread acceptor;

    private volatile int port;

    private volatile boolean closed;

    /**
     * Creates a server that is not listening yet; {@link #start()} binds it.
     * @param bindAddress the address to listen on, normally the loopback address
     * @param port the port to listen on, or 0 for a free port chosen at start. The server keeps the port when it
     *        stops listening, and comes back on it
     */
    public FaultInjectingServer(InetAddress bindAddress, int port) {
        this.bindAddress = Objects.requireNonNull(bindAddress, "bindAddress must not be null");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be from 0 to 65535 but was " + port);
        }
        this.port = port;
        AtomicInteger threadNumber = new AtomicInteger();
        this.connectionPool = new ThreadPoolExecutor(0, MAX_CONNECTION_THREADS, 30, TimeUnit.SECONDS,
                new SynchronousQueue<>(), (task) -> {
                    Thread thread = new Thread(task, "fault-server-" + threadNumber.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
    }

    /**
     * Starts listening.
     * @throws UncheckedIOException when the port cannot be bound, for example because it is in use
     */
    public void start() {
        startListening();
    }

    /**
     * Replaces the plan. A plan with fault {@code down} closes the listening socket, so that new connections are
     * refused; any other plan makes the server listen again on the same port.
     * @param plan the new plan
     * @return the state after the change
     * @throws UncheckedIOException when the server cannot listen on its port again, for example because another
     *         process took it meanwhile; the previous plan then stays in place
     */
    public DownstreamState apply(FaultPlan plan) {
        Objects.requireNonNull(plan, "plan must not be null");
        // The lock keeps the plan and the listener consistent when plans are applied concurrently. A plan that
        // needs the listener back takes effect only once the port is bound again.
        this.listenerLock.lock();
        try {
            if (plan.fault() == Fault.DOWN) {
                this.activePlan.set(new ActivePlan(plan, plan.times()));
                stopListening();
            }
            else {
                startListening();
                this.activePlan.set(new ActivePlan(plan, plan.times()));
            }
        }
        finally {
            this.listenerLock.unlock();
        }
        logger.info("Downstream plan is now {}", plan);
        return getState();
    }

    public DownstreamState getState() {
        ActivePlan current = this.activePlan.get();
        return new DownstreamState(current.plan(), current.remainingFaults(), isListening(), this.port,
                this.requestCount.get());
    }

    /** Returns how many requests arrived since the start or the last reset, including those that got a fault. */
    public long getRequestCount() {
        return this.requestCount.get();
    }

    /**
     * Sets the request counter to zero.
     * @return the count before the reset
     */
    public long resetRequestCount() {
        return this.requestCount.getAndSet(0);
    }

    public boolean isListening() {
        ServerSocket current = this.listener;
        return current != null && !current.isClosed();
    }

    /** Returns the port, the one chosen by the system once started when 0 was given. */
    public int getPort() {
        return this.port;
    }

    /** Stops listening and interrupts the connections being served. */
    @Override
    public void close() {
        this.closed = true;
        stopListening();
        this.connectionPool.shutdownNow();
    }

    private void startListening() {
        this.listenerLock.lock();
        try {
            if (this.closed) {
                throw new IllegalStateException("the fault-injecting downstream is closed");
            }
            if (isListening()) {
                return;
            }
            ServerSocket bound = bind();
            this.port = bound.getLocalPort();
            this.listener = bound;
            Thread acceptor = new Thread(() -> acceptConnections(bound), "fault-server-acceptor");
            acceptor.setDaemon(true);
            acceptor.start();
            this.acceptor = acceptor;
            logger.info("Fault-injecting downstream listening on http://{}:{}", this.bindAddress.getHostAddress(),
                    this.port);
        }
        finally {
            this.listenerLock.unlock();
        }
    }

    private ServerSocket bind() {
        try {
            ServerSocket socket = new ServerSocket();
            socket.setReuseAddress(true);
            try {
                socket.bind(new InetSocketAddress(this.bindAddress, this.port), 50);
            }
            catch (IOException ex) {
                socket.close();
                throw ex;
            }
            return socket;
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Could not listen on " + this.bindAddress.getHostAddress() + ":"
                    + this.port + "; choose another port with sample.fault-server.port", ex);
        }
    }

    private void stopListening() {
        this.listenerLock.lock();
        try {
            ServerSocket current = this.listener;
            if (current != null && !current.isClosed()) {
                current.close();
                awaitAcceptorExit();
                logger.info("Fault-injecting downstream stopped listening on port {}", this.port);
            }
        }
        catch (IOException ex) {
            logger.warn("Could not close the listening socket on port {}", this.port, ex);
        }
        finally {
            this.listenerLock.unlock();
        }
    }

    // The JDK finishes closing a listening socket only once the thread blocked in accept() has left it, and until
    // then the port may still complete connections. Waiting for that thread makes "down" refuse at once.
    private void awaitAcceptorExit() {
        Thread current = this.acceptor;
        if (current == null || current == Thread.currentThread()) {
            return;
        }
        try {
            current.join(ACCEPTOR_EXIT_TIMEOUT_MILLIS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    private void acceptConnections(ServerSocket socket) {
        while (!socket.isClosed()) {
            Socket connection;
            try {
                connection = socket.accept();
            }
            catch (IOException ex) {
                if (socket.isClosed()) {
                    return;
                }
                logger.warn("Accepting a connection on port {} failed: {}", this.port, ex.toString());
                if (!pauseAfterAcceptFailure()) {
                    return;
                }
                continue;
            }
            try {
                this.connectionPool.execute(() -> serve(connection));
            }
            catch (RejectedExecutionException ex) {
                logger.warn("Closed a connection because {} connections are being served already",
                        MAX_CONNECTION_THREADS);
                closeQuietly(connection);
            }
        }
    }

    // A failure such as too many open files repeats at once, so a short pause keeps the loop from spinning and
    // the log from flooding.
    private static boolean pauseAfterAcceptFailure() {
        try {
            Thread.sleep(ACCEPT_FAILURE_PAUSE_MILLIS);
            return true;
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void serve(Socket connection) {
        try (connection) {
            connection.setSoTimeout(SOCKET_READ_TIMEOUT_MILLIS);
            InputStream in = new BufferedInputStream(connection.getInputStream());
            OutputStream out = connection.getOutputStream();

            RequestHead head;
            try {
                head = RequestHead.read(in);
            }
            catch (RequestHead.MalformedRequestException ex) {
                this.requestCount.incrementAndGet();
                write(out, RawResponse.error(400, "Bad Request", "malformed request: " + ex.getMessage()));
                return;
            }
            if (head == null) {
                return;
            }
            this.requestCount.incrementAndGet();
            if (!discardBody(in, head)) {
                write(out, RawResponse.error(413, "Content Too Large", "request bodies are limited to "
                        + MAX_DISCARDED_BODY_BYTES + " bytes and must not be chunked"));
                return;
            }

            FaultPlan plan = takePlan();
            waitFor(plan.latency());
            respond(connection, out, head, plan);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        catch (IOException ex) {
            logger.debug("Serving a connection on port {} failed: {}", this.port, ex.toString());
        }
    }

    private void respond(Socket connection, OutputStream out, RequestHead head, FaultPlan plan) throws IOException {
        switch (plan.fault()) {
            case STATUS -> write(out, RawResponse.injectedStatus(plan.status(), plan.retryAfter()));
            case DISCONNECT -> disconnectMidBody(connection, out, route(head));
            case DOWN -> reset(connection);
            case NONE -> write(out, route(head));
        }
    }

    /**
     * Takes one request's share of the active plan. A counted plan that has used up its requests returns
     * {@link FaultPlan#HEALTHY}, so that later requests get neither the fault nor the latency.
     */
    private FaultPlan takePlan() {
        while (true) {
            ActivePlan current = this.activePlan.get();
            if (current.remainingFaults() == null) {
                return current.plan();
            }
            if (current.remainingFaults() == 0) {
                return FaultPlan.HEALTHY;
            }
            ActivePlan next = new ActivePlan(current.plan(), current.remainingFaults() - 1);
            if (this.activePlan.compareAndSet(current, next)) {
                return current.plan();
            }
        }
    }

    private static RawResponse route(RequestHead head) {
        if (!head.method().equals("GET")) {
            return RawResponse.error(405, "Method Not Allowed", "only GET is supported").withHeader("Allow", "GET");
        }
        var matcher = ENTRY_PATH.matcher(head.path());
        if (!matcher.matches()) {
            return RawResponse.error(404, "Not Found", "no resource at this path; use /ledger/{id}");
        }
        String id = matcher.group(1);
        if (!NUMBER.matcher(id).matches()) {
            return RawResponse.error(400, "Bad Request", "the ledger entry id must be a number of up to 9 digits");
        }
        int number = Integer.parseInt(id);
        if (number < 1 || number > LAST_ENTRY_ID) {
            return RawResponse.error(404, "Not Found", "no ledger entry with id " + number);
        }
        return RawResponse.json(200, "OK", entryJson(number));
    }

    private static String entryJson(int id) {
        long amountCents = (id * 7919L) % 100_000;
        return "{\"id\":\"" + id + "\",\"account\":\"ACC-" + String.format("%04d", id) + "\",\"amountCents\":"
                + amountCents + ",\"currency\":\"EUR\"}";
    }

    private static void write(OutputStream out, RawResponse response) throws IOException {
        out.write(response.head(response.body().length).getBytes(StandardCharsets.ISO_8859_1));
        out.write(response.body());
        out.flush();
    }

    /**
     * Sends the head with the full Content-Length and the first half of the body, then resets the connection. A
     * client that reads the body gets a connection reset or an early end of the stream.
     */
    private static void disconnectMidBody(Socket connection, OutputStream out, RawResponse response)
            throws IOException {
        byte[] body = response.body();
        int sentBytes = body.length / 2;
        out.write(response.head(body.length).getBytes(StandardCharsets.ISO_8859_1));
        out.write(body, 0, sentBytes);
        out.flush();
        reset(connection);
    }

    // A zero linger time makes close() send a TCP RST instead of an orderly FIN.
    private static void reset(Socket connection) throws IOException {
        connection.setSoLinger(true, 0);
        connection.close();
    }

    private static boolean discardBody(InputStream in, RequestHead head) throws IOException {
        if (head.chunked() || head.contentLength() > MAX_DISCARDED_BODY_BYTES) {
            return false;
        }
        long remaining = head.contentLength();
        while (remaining > 0) {
            long skipped = in.skip(remaining);
            if (skipped <= 0) {
                if (in.read() < 0) {
                    throw new IOException("the connection ended inside the request body");
                }
                skipped = 1;
            }
            remaining -= skipped;
        }
        return true;
    }

    private static void waitFor(Duration latency) throws InterruptedException {
        if (!latency.isZero()) {
            Thread.sleep(latency.toMillis());
        }
    }

    private static void closeQuietly(Socket connection) {
        try {
            connection.close();
        }
        catch (IOException ex) {
            logger.debug("Closing a rejected connection failed: {}", ex.toString());
        }
    }

    /**
     * The plan with the faults it has left.
     * @param remainingFaults faults left before normal responses, or null when every request gets the fault
     */
    private record ActivePlan(FaultPlan plan, Integer remainingFaults) {
    }

    /**
     * The fault-injecting downstream at one moment.
     *
     * @param plan the active plan
     * @param remainingFaults requests that still get the fault, or null when every request does
     * @param listening whether the downstream accepts connections
     * @param port the port it listens on, or listens on again when it comes back
     * @param requests requests received since the start or the last reset of the counter
     */
    public record DownstreamState(FaultPlan plan, Integer remainingFaults, boolean listening, int port,
            long requests) {
    }
}
