package dev.auditretry.sample.downstream;

import java.net.InetAddress;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Starts the fault-injecting downstream on the loopback address; {@link DownstreamControlController} controls it.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(FaultServerProperties.class)
@ConditionalOnProperty(name = "sample.fault-server.enabled", havingValue = "true", matchIfMissing = true)
public class FaultServerConfiguration {

    @Bean(initMethod = "start", destroyMethod = "close")
    FaultInjectingServer faultInjectingServer(FaultServerProperties properties) {
        if (properties.port() < 0 || properties.port() > 65535) {
            throw new InvalidConfigurationPropertyValueException("sample.fault-server.port", properties.port(),
                    "It must be from 1 to 65535, or 0 for a free port chosen at startup.");
        }
        return new FaultInjectingServer(InetAddress.getLoopbackAddress(), properties.port());
    }
}
