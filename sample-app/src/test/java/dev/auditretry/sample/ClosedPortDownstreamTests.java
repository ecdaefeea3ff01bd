package dev.auditretry.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpMethod;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * With sample.downstream.base-url pointing at a loopback port where nothing listens and no fault-injecting
 * downstream, every attempt is refused by the operating system and retried as ECONNREFUSED.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "sample.fault-server.enabled=false")
@Import(TestTimeConfiguration.class)
class ClosedPortDownstreamTests {

    @Autowired
    private TestRestTemplate http;

    @Autowired
    private AdvancingSleeper sleeper;

    @DynamicPropertySource
    static void pointAtClosedPort(DynamicPropertyRegistry registry) throws IOException {
        int closedPort;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = probe.getLocalPort();
        }
        registry.add("sample.downstream.base-url", () -> "http://127.0.0.1:" + closedPort);
    }

    @Test
    void closedPortIsRetriedAsConnectionRefused() {
        ResponseEntity<Map<String, Object>> response = this.http.exchange("/api/ledger-programmatic/1",
                HttpMethod.GET, null, SampleIntegrationTest.JSON_OBJECT);

        assertThat(response.getStatusCode().value()).isEqualTo(502);
        assertThat(response.getBody()).containsEntry("networkError", "ECONNREFUSED");
        assertThat(response.getBody()).containsEntry("attempts", 3);
        assertThat(this.sleeper.getWaits()).hasSize(2);
    }

    @Test
    void controlApiIsAbsentWithoutFaultServer() {
        ResponseEntity<String> response = this.http.getForEntity("/downstream/control", String.class);

        assertThat(response.getStatusCode().value()).isEqualTo(404);
    }
}
