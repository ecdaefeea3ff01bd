package dev.auditretry.sample.downstream;

import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FaultPlanTests {

    @Test
    void rejectsStatusOutsideErrorRange() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new FaultPlan(Fault.STATUS, 200, null, Duration.ZERO, null))
                .withMessage("status must be an error status from 400 to 599 but was 200;"
                        + " use fault 'none' for normal responses");
    }

    @Test
    void rejectsRetryAfterWithLineBreak() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new FaultPlan(Fault.STATUS, 503, "1\r\nX-Injected: yes", Duration.ZERO, null))
                .withMessageStartingWith("retryAfter must be delta seconds");
    }

    @Test
    void rejectsLatencyAboveMaximum() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new FaultPlan(Fault.NONE, 503, null, Duration.ofMinutes(5), null))
                .withMessage("latency must be from 0 to 60s but was PT5M");
    }

    @Test
    void rejectsTimesBelowOne() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new FaultPlan(Fault.STATUS, 503, null, Duration.ZERO, 0))
                .withMessageStartingWith("times must be at least 1 but was 0");
    }

    @Test
    void rejectsTimesForDown() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new FaultPlan(Fault.DOWN, 503, null, Duration.ZERO, 2))
                .withMessageStartingWith("times does not apply to fault 'down'");
    }

    @Test
    void controlRequestRejectsUnknownField() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> DownstreamControlController.toPlan(Map.of("fault", "status", "time", 2)))
                .withMessage("unknown fields [time]; use [fault, latency, retryAfter, status, times]");
    }

    @Test
    void controlRequestRejectsUnknownFault() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> DownstreamControlController.toPlan(Map.of("fault", "explode")))
                .withMessage("unknown fault 'explode'; use one of none, status, disconnect, down");
    }

    @Test
    void controlRequestRejectsUnreadableLatency() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> DownstreamControlController.toPlan(Map.of("latency", "soon")))
                .withMessage("latency must be a duration such as 300ms or 2s but was 'soon'");
    }
}
