package dev.auditretry.autoconfigure.aop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.auditretry.annotation.AuditRetryable;
import dev.auditretry.autoconfigure.AuditRetryAutoConfiguration;
import dev.auditretry.autoconfigure.AuditRetryClock;
import dev.auditretry.autoconfigure.MutableClock;
import dev.auditretry.autoconfigure.RecordingSleeper;
import dev.auditretry.core.HttpStatusException;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.autoconfigure.jdbc.JdbcTemplateAutoConfiguration;
import org.springframework.boot.autoconfigure.transaction.TransactionAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.annotation.Transactional;

/**
 * Runs {@code @AuditRetryable} together with {@code @Transactional} on an in-memory H2 database, with Spring Boot's
 * own data source, transaction manager and transaction advice.
 */
class AuditRetryableTransactionTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, DataSourceAutoConfiguration.class,
                    JdbcTemplateAutoConfiguration.class, DataSourceTransactionManagerAutoConfiguration.class,
                    TransactionAutoConfiguration.class, AuditRetryAutoConfiguration.class))
            .withUserConfiguration(LedgerConfiguration.class)
            .withPropertyValues("spring.datasource.generate-unique-name=true", "audit.retry.jitter=none");

    @Test
    void everyAttemptGetsFreshTransactionByDefault() {
        this.contextRunner.run((context) -> {
            LedgerWriter writer = context.getBean(LedgerWriter.class);

            writer.write("entry-1");

            assertThat(writer.attempts()).isEqualTo(2);
            assertThat(rows(context.getBean(JdbcTemplate.class))).isEqualTo(1);
        });
    }

    @Test
    void retryInsideTransactionKeepsFailedAttemptsWrite() {
        // The retry advice runs inside the transaction advice here, so the failed attempt's row is committed too.
        this.contextRunner.withPropertyValues("audit.retry.aspect-order=2147483647")
                .withUserConfiguration(OuterTransactionConfiguration.class)
                .run((context) -> {
                    LedgerWriter writer = context.getBean(LedgerWriter.class);

                    writer.write("entry-1");

                    assertThat(writer.attempts()).isEqualTo(2);
                    assertThat(rows(context.getBean(JdbcTemplate.class))).isEqualTo(2);
                });
    }

    private static Integer rows(JdbcTemplate jdbc) {
        return jdbc.queryForObject("select count(*) from ledger_entry", Integer.class);
    }

    @Configuration(proxyBeanMethods = false)
    static class LedgerConfiguration {

        @Bean
        LedgerWriter ledgerWriter(JdbcTemplate jdbc) {
            jdbc.execute("create table ledger_entry (id identity primary key, entry varchar(64) not null)");
            return new LedgerWriter(jdbc);
        }

        @Bean
        @AuditRetryClock
        MutableClock auditRetryClock() {
            return new MutableClock(Instant.parse("2025-01-01T00:00:00Z"));
        }

        @Bean
        RecordingSleeper recordingSleeper(MutableClock clock) {
            return new RecordingSleeper(clock);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @org.springframework.transaction.annotation.EnableTransactionManagement(order = 0)
    static class OuterTransactionConfiguration {
    }

    static class LedgerWriter {

        private final JdbcTemplate jdbc;

        private final AtomicInteger attempts = new AtomicInteger();

        LedgerWriter(JdbcTemplate jdbc) {
            this.jdbc = jdbc;
        }

        @AuditRetryable(endpoint = "/ledger/entries", method = "POST")
        @Transactional
        public void write(String entry) {
            this.jdbc.update("insert into ledger_entry (entry) values (?)", entry);
            if (this.attempts.incrementAndGet() == 1) {
                throw new HttpStatusException(503);
            }
        }

        int attempts() {
            return this.attempts.get();
        }
    }
}
