package dev.auditretry.sample.downstream;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the fault-injecting downstream under {@code sample.fault-server}.
 *
 * @param enabled whether the application starts the fault-injecting downstream and its control API under
 *        /downstream; turn it off when sample.downstream.base-url points at another service
 * @param port the loopback port it listens on, or 0 for a free port chosen at startup
 */
@ConfigurationProperties("sample.fault-server")
public record FaultServerProperties(@DefaultValue("true") boolean enabled, @DefaultValue("8081") int port) {
}
