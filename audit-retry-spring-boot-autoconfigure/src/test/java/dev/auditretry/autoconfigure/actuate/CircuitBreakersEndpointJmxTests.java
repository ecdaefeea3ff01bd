package dev.auditretry.autoconfigure.actuate;

import static dev.auditretry.autoconfigure.actuate.CircuitBreakersTestApplication.BALANCE;
import static dev.auditretry.autoconfigure.actuate.CircuitBreakersTestApplication.ENTRIES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import dev.auditretry.core.RetryContext;
import dev.auditretry.core.RetryManager;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.ReflectionException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

// Same properties as CircuitBreakersEndpointWebTests, so both classes share one application context.
@SpringBootTest(classes = CircuitBreakersTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = { "server.address=127.0.0.1", "spring.jmx.enabled=true",
                "management.endpoints.web.exposure.include=circuitbreakers,health",
                "management.endpoints.jmx.exposure.include=circuitbreakers",
                "management.endpoint.health.show-details=always",
                "audit.retry.health.affecting-circuits=/ledger/entries:POST" })
class CircuitBreakersEndpointJmxTests {

    private static final String OBJECT_TYPE = Object.class.getName();

    @Autowired
    private MBeanServer mBeanServer;

    @Autowired
    private RetryManager retryManager;

    private ObjectName objectName;

    @BeforeEach
    void findMBean() throws Exception {
        CircuitBreakersTestApplication.removeAllCircuits(this.retryManager);
        this.objectName = new ObjectName("org.springframework.boot:type=Endpoint,name=Circuitbreakers");
    }

    @Test
    void listsCircuits() throws Exception {
        CircuitBreakersTestApplication.succeed(this.retryManager, BALANCE);
        CircuitBreakersTestApplication.openCircuit(this.retryManager, ENTRIES);

        Map<?, ?> result = (Map<?, ?>) invoke("circuitBreakers");

        List<?> circuits = (List<?>) result.get("circuitBreakers");
        assertThat(circuits).hasSize(2);
        Map<?, ?> entries = (Map<?, ?>) circuits.get(1);
        assertThat(entries.get("key")).isEqualTo("/ledger/entries:POST");
        assertThat(entries.get("state")).isEqualTo("OPEN");
        assertThat(entries.get("failureCount")).isEqualTo(2L);
        assertThat(entries.containsKey("nextRetryTime")).isTrue();
        assertThat(((Map<?, ?>) circuits.get(0)).containsKey("nextRetryTime")).isFalse();
    }

    @Test
    void readsCircuitByExactKey() throws Exception {
        CircuitBreakersTestApplication.openCircuit(this.retryManager, ENTRIES);

        Map<?, ?> circuit = (Map<?, ?>) invoke("circuitBreaker", "/ledger/entries:POST");

        assertThat(circuit.get("key")).isEqualTo("/ledger/entries:POST");
        assertThat(circuit.get("state")).isEqualTo("OPEN");
    }

    @Test
    void readsCircuitByKeySegments() throws Exception {
        CircuitBreakersTestApplication.openCircuit(this.retryManager, ENTRIES);

        Map<?, ?> circuit = (Map<?, ?>) invoke("circuitBreaker", (Object) new String[] { "ledger", "entries:POST" });

        assertThat(circuit.get("key")).isEqualTo("/ledger/entries:POST");
    }

    @Test
    void splitsStringKeyAtCommas() throws Exception {
        RetryContext archive = RetryContext.of("/ledger/entries,archive", "POST");
        CircuitBreakersTestApplication.succeed(this.retryManager, archive);

        Object fromString = invoke("circuitBreaker", "/ledger/entries,archive:POST");
        Map<?, ?> fromArray = (Map<?, ?>) invoke("circuitBreaker",
                (Object) new String[] { "/ledger/entries,archive:POST" });

        assertThat(fromString).isNull();
        assertThat(fromArray.get("key")).isEqualTo("/ledger/entries,archive:POST");
    }

    @Test
    void returnsNullForUnknownKey() throws Exception {
        assertThat(invoke("circuitBreaker", "/ledger/missing:GET")).isNull();
        assertThat(this.retryManager.getCircuitKeys()).isEmpty();
    }

    @Test
    void rejectsBlankKey() {
        assertThatExceptionOfType(ReflectionException.class).isThrownBy(() -> invoke("circuitBreaker", " "))
                .withMessageContaining("blank");
    }

    @Test
    void resetsOneCircuit() throws Exception {
        CircuitBreakersTestApplication.openCircuit(this.retryManager, ENTRIES);

        Map<?, ?> circuit = (Map<?, ?>) invoke("resetCircuitBreaker", "/ledger/entries:POST");

        assertThat(circuit.get("state")).isEqualTo("CLOSED");
        assertThat(circuit.get("totalRequests")).isEqualTo(0L);
        assertThat(this.retryManager.getCircuitBreakerStats("/ledger/entries:POST").orElseThrow().state().name())
                .isEqualTo("CLOSED");
    }

    @Test
    void resetsAllCircuits() throws Exception {
        CircuitBreakersTestApplication.openCircuit(this.retryManager, ENTRIES);
        CircuitBreakersTestApplication.openCircuit(this.retryManager, BALANCE);

        Map<?, ?> result = (Map<?, ?>) invoke("resetCircuitBreakers");

        assertThat(result.get("resetCount")).isEqualTo(2);
        assertThat(this.retryManager.getCircuitBreakerStats().values())
                .allSatisfy((stats) -> assertThat(stats.state().name()).isEqualTo("CLOSED"));
    }

    private Object invoke(String operation, Object... arguments) throws Exception {
        String[] signature = new String[arguments.length];
        Arrays.fill(signature, OBJECT_TYPE);
        return this.mBeanServer.invoke(this.objectName, operation, arguments, signature);
    }
}
