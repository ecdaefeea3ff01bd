package dev.auditretry.sample.security;

import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.actuate.autoconfigure.security.servlet.EndpointRequest;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.util.matcher.AndRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * Leaves every read open and lets only the operator, with HTTP basic authentication, call actuator operations
 * that change state, such as {@code POST} and {@code DELETE} on {@code /actuator/circuitbreakers}.
 * <p>
 * The API is meant for curl and other programs rather than browsers, so there are no sessions and no CSRF tokens.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(OperatorProperties.class)
public class SecurityConfiguration {

    /** The shortest operator password accepted. */
    public static final int MIN_PASSWORD_LENGTH = 12;

    /** The role that actuator write operations require. */
    public static final String OPERATOR_ROLE = "OPERATOR";

    private static final Logger logger = LoggerFactory.getLogger(SecurityConfiguration.class);

    @Bean
    SecurityFilterChain securityFilterChain(HttpSecurity http) throws Exception {
        RequestMatcher actuatorWrite = new AndRequestMatcher(EndpointRequest.toAnyEndpoint(),
                SecurityConfiguration::isWrite);
        // NOTE: CSRF protection is off because the API has no sessions and expects non-browser clients. A browser
        // that has cached the operator's basic credentials could still be led into sending a write operation.
        http.authorizeHttpRequests((requests) -> requests
                        .requestMatchers(actuatorWrite).hasRole(OPERATOR_ROLE)
                        .anyRequest().permitAll())
                .httpBasic(Customizer.withDefaults())
                .csrf(AbstractHttpConfigurer::disable)
                .sessionManagement((sessions) -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS));
        return http.build();
    }

    @Bean
    PasswordEncoder passwordEncoder() {
        return PasswordEncoderFactories.createDelegatingPasswordEncoder();
    }

    /**
     * Creates the operator account, or no account when no password is set, so that Spring Boot never generates
     * a password of its own.
     */
    @Bean
    UserDetailsService operatorAccounts(OperatorProperties properties, PasswordEncoder passwordEncoder) {
        String username = properties.username();
        if (username == null || username.isBlank()) {
            throw new InvalidConfigurationPropertyValueException("sample.operator.username", username,
                    "It must not be blank. Leave it out to use 'operator'.");
        }
        String password = properties.password();
        if (password == null || password.isEmpty()) {
            logger.warn("No operator password is set, so actuator write operations such as circuit resets are"
                    + " rejected; set the environment variable SAMPLE_OPERATOR_PASSWORD to enable them");
            return new InMemoryUserDetailsManager();
        }
        if (password.length() < MIN_PASSWORD_LENGTH) {
            throw new WeakOperatorPasswordException(password.length(), MIN_PASSWORD_LENGTH);
        }

        logger.info("Operator '{}' may call actuator write operations with HTTP basic authentication", username);
        return new InMemoryUserDetailsManager(User.withUsername(username)
                .password(passwordEncoder.encode(password))
                .roles(OPERATOR_ROLE)
                .build());
    }

    private static boolean isWrite(HttpServletRequest request) {
        String method = request.getMethod();
        return !HttpMethod.GET.matches(method) && !HttpMethod.HEAD.matches(method)
                && !HttpMethod.OPTIONS.matches(method);
    }
}
