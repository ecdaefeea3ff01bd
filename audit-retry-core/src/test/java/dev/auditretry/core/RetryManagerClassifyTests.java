package dev.auditretry.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.auditretry.core.classify.ErrorCategory;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

class RetryManagerClassifyTests {

    private final RetryContext ledger = RetryContext.of("/ledger/entries", "POST");

    @Test
    void classifiesByEndpointOverride() {
        RetryManager manager = RetryManager.builder()
                .endpointOverride("/ledger/entries:POST",
                        EndpointOverride.ofRetry((global) -> global.toBuilder().retryableStatusCodes(418).build()))
                .build();

        assertThat(manager.classify(new HttpStatusException(418), this.ledger, CallOptions.NONE))
                .isEqualTo(ErrorCategory.TRANSIENT);
        assertThat(manager.classify(new HttpStatusException(503), this.ledger, CallOptions.NONE))
                .isEqualTo(ErrorCategory.PERMANENT);
        assertThat(manager.classify(new HttpStatusException(503), RetryContext.of("/other"), CallOptions.NONE))
                .isEqualTo(ErrorCategory.TRANSIENT);
    }

    @Test
    void classifiesByCallOptions() {
        RetryManager manager = RetryManager.createDefault();
        CallOptions options = new CallOptions(0, List.of(IOException.class), List.of(IllegalStateException.class));

        assertThat(manager.classify(new IOException("disk"), this.ledger, options)).isEqualTo(ErrorCategory.TRANSIENT);
        assertThat(manager.classify(new IllegalStateException(new HttpStatusException(503)), this.ledger, options))
                .isEqualTo(ErrorCategory.PERMANENT);
        assertThat(manager.classify(new IOException("disk"), this.ledger, CallOptions.NONE))
                .isEqualTo(ErrorCategory.PERMANENT);
    }

    @Test
    void classifyingCreatesNoCircuit() {
        RetryManager manager = RetryManager.createDefault();

        manager.classify(new HttpStatusException(503), this.ledger, CallOptions.NONE);

        assertThat(manager.getCircuitKeys()).isEmpty();
    }
}
