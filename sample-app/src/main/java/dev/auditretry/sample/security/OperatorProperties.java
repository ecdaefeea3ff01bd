package dev.auditretry.sample.security;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The operator account under {@code sample.operator}, the only account that may change state through actuator
 * endpoints, such as resetting a circuit.
 *
 * @param username the operator's user name for HTTP basic authentication
 * @param password the operator's password, at least {@value SecurityConfiguration#MIN_PASSWORD_LENGTH}
 *        characters; when empty there is no operator and every actuator write operation is rejected.
 *        application.yml reads it from the environment variable SAMPLE_OPERATOR_PASSWORD.
 */
@ConfigurationProperties("sample.operator")
public record OperatorProperties(@DefaultValue("operator") String username, String password) {

    @Override
    public String toString() {
        return "OperatorProperties[username=" + this.username + ", password=(hidden)]";
    }
}
