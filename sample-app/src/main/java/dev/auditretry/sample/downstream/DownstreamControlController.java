package dev.auditretry.sample.downstream;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The control API of the fault-injecting downstream: sets its plan and reads or resets its request counter.
 * <p>
 * {@code POST /downstream/control} replaces the whole plan with the fields given, so one request describes one
 * scenario, and fields left out take their defaults. The fields are {@code fault} (none, status, disconnect or
 * down), {@code status} (400 to 599, default 503), {@code retryAfter} (a Retry-After value), {@code latency}
 * (such as {@code 300ms}, default 0) and {@code times} (how many requests get the fault and the latency, all of
 * them when left out).
 */
@RestController
@ConditionalOnProperty(name = "sample.fault-server.enabled", havingValue = "true", matchIfMissing = true)
@RequestMapping(path = "/downstream", produces = MediaType.APPLICATION_JSON_VALUE)
public class DownstreamControlController {

    private static final Set<String> PLAN_FIELDS = Set.of("fault", "status", "retryAfter", "latency", "times");

    private final FaultInjectingServer server;

    public DownstreamControlController(FaultInjectingServer server) {
        this.server = server;
    }

    @GetMapping("/control")
    public ControlView getControl() {
        return ControlView.of(this.server.getState());
    }

    @PostMapping(path = "/control", consumes = MediaType.APPLICATION_JSON_VALUE)
    public ControlView setControl(@RequestBody Map<String, Object> request) {
        FaultPlan plan = toPlan(request);
        return ControlView.of(this.server.apply(plan));
    }

    @GetMapping("/requests")
    public Map<String, Long> getRequests() {
        return Map.of("requests", this.server.getRequestCount());
    }

    @DeleteMapping("/requests")
    public Map<String, Long> resetRequests() {
        long before = this.server.resetRequestCount();
        return Map.of("requests", 0L, "before", before);
    }

    @ExceptionHandler(IllegalArgumentException.class)
    ProblemDetail handleInvalidPlan(IllegalArgumentException ex) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, ex.getMessage());
        problem.setTitle("Invalid downstream plan");
        return problem;
    }

    @ExceptionHandler(UncheckedIOException.class)
    ProblemDetail handleListenFailure(UncheckedIOException ex) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, ex.getMessage());
        problem.setTitle("Downstream could not listen again");
        return problem;
    }

    static FaultPlan toPlan(Map<String, Object> request) {
        Set<String> unknown = new TreeSet<>(request.keySet());
        unknown.removeAll(PLAN_FIELDS);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown fields " + unknown + "; use " + new TreeSet<>(PLAN_FIELDS));
        }

        Fault fault = Fault.fromName(stringField(request, "fault", Fault.NONE.jsonName()));
        int status = intField(request, "status", FaultPlan.DEFAULT_STATUS);
        String retryAfter = stringField(request, "retryAfter", null);
        Duration latency = durationField(request, "latency");
        Integer times = request.containsKey("times") ? intField(request, "times", 0) : null;

        return new FaultPlan(fault, status, retryAfter, latency, times);
    }

    private static String stringField(Map<String, Object> request, String name, String defaultValue) {
        Object value = request.get(name);
        if (value == null) {
            return defaultValue;
        }
        if (value instanceof String text) {
            return text;
        }
        if (value instanceof Number number) {
            return number.toString();
        }
        throw new IllegalArgumentException(name + " must be a string but was " + value);
    }

    private static int intField(Map<String, Object> request, String name, int defaultValue) {
        Object value = request.get(name);
        if (value == null) {
            return defaultValue;
        }
        if (value instanceof Integer number) {
            return number;
        }
        throw new IllegalArgumentException(name + " must be a whole number but was " + value);
    }

    private static Duration durationField(Map<String, Object> request, String name) {
        String value = stringField(request, name, null);
        if (value == null) {
            return Duration.ZERO;
        }
        try {
            return DurationStyle.detectAndParse(value);
        }
        catch (IllegalArgumentException ex) {
            throw new IllegalArgumentException(name + " must be a duration such as 300ms or 2s but was '" + value
                    + "'", ex);
        }
    }

    /**
     * The state of the downstream as the control API returns it, with the latency in milliseconds.
     */
    public record ControlView(String fault, int status, String retryAfter, String latency, Integer times,
            Integer remainingFaults, boolean listening, int port, long requests) {

        static ControlView of(FaultInjectingServer.DownstreamState state) {
            FaultPlan plan = state.plan();
            return new ControlView(plan.fault().jsonName(), plan.status(), plan.retryAfter(),
                    plan.latency().toMillis() + "ms", plan.times(), state.remainingFaults(), state.listening(),
                    state.port(), state.requests());
        }
    }
}
