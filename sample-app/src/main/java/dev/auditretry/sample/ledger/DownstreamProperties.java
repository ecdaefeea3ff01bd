package dev.auditretry.sample.ledger;

import java.net.URI;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the ledger service that the sample calls, under {@code sample.downstream}.
 *
 * @param baseUrl base URL of the ledger service, such as http://127.0.0.1:8081; when unset, the fault-injecting
 *        downstream that this application starts (sample.fault-server) on the port it listens on
 */
@ConfigurationProperties("sample.downstream")
public record DownstreamProperties(URI baseUrl) {
}
