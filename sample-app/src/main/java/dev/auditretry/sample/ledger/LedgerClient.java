package dev.auditretry.sample.ledger;

import dev.auditretry.sample.downstream.FaultInjectingServer;
import java.net.URI;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;

/**
 * Reads ledger entries from the downstream with one HTTP request per call, and leaves retrying to its callers.
 * <p>
 * It keeps RestClient's own error handling: an error status throws a
 * {@link org.springframework.web.client.RestClientResponseException}, which the audit-retry starter classifies
 * by its status code, and a network failure throws a {@link org.springframework.web.client.ResourceAccessException}
 * with the JDK's I/O exception as its cause.
 */
@Component
public class LedgerClient {

    private final RestClient restClient;

    private final URI baseUrl;

    public LedgerClient(RestClient.Builder builder, DownstreamProperties properties,
            ObjectProvider<FaultInjectingServer> faultServer) {
        this.baseUrl = resolveBaseUrl(properties, faultServer);
        this.restClient = builder.baseUrl(this.baseUrl.toString()).build();
    }

    /**
     * Fetches one entry with a single request.
     * @param id the entry id, sent as one path segment
     * @return the entry
     * @throws org.springframework.web.client.RestClientResponseException when the downstream responds with an
     *         error status
     * @throws org.springframework.web.client.ResourceAccessException when the request fails on the network
     */
    public LedgerEntry fetch(String id) {
        return this.restClient.get().uri("/ledger/{id}", id).retrieve().body(LedgerEntry.class);
    }

    public URI getBaseUrl() {
        return this.baseUrl;
    }

    private static URI resolveBaseUrl(DownstreamProperties properties,
            ObjectProvider<FaultInjectingServer> faultServer) {
        URI configured = properties.baseUrl();
        if (configured == null) {
            FaultInjectingServer server = faultServer.getIfAvailable();
            if (server == null) {
                throw new InvalidConfigurationPropertyValueException("sample.downstream.base-url", null,
                        "It is required when sample.fault-server.enabled is false. Set it to the URL of the"
                                + " ledger service, such as http://127.0.0.1:8081.");
            }
            return URI.create("http://127.0.0.1:" + server.getPort());
        }

        boolean httpScheme = "http".equals(configured.getScheme()) || "https".equals(configured.getScheme());
        if (!httpScheme || configured.getHost() == null) {
            throw new InvalidConfigurationPropertyValueException("sample.downstream.base-url", configured,
                    "It must be an absolute http or https URL with a host, such as http://127.0.0.1:8081.");
        }
        return configured;
    }
}
