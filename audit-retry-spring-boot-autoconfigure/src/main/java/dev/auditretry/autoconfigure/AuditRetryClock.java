package dev.auditretry.autoconfigure;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.beans.factory.annotation.Qualifier;

/**
 * Qualifies the {@link java.time.Clock} bean that the auto-configured {@code RetryManager} uses for circuit timers
 * and monitoring windows. Without such a bean it uses the system clock in UTC.
 * <p>
 * A qualifier is needed because applications often declare a {@code Clock} bean for their own rules, and in tests
 * a fixed one: circuits on a fixed clock would never recover, so an unqualified clock is never picked up.
 *
 * <pre>
 * &#64;Bean
 * &#64;AuditRetryClock
 * Clock auditRetryClock() {
 *     return Clock.systemUTC();
 * }
 * </pre>
 */
@Target({ ElementType.METHOD, ElementType.FIELD, ElementType.PARAMETER, ElementType.TYPE })
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Qualifier
public @interface AuditRetryClock {
}
