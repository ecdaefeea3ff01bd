package dev.auditretry.annotation;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.lang.reflect.Method;
import org.junit.jupiter.api.Test;

class AuditRetryableTests {

    @Test
    void defaultsNameNoEndpointAndUseGet() throws NoSuchMethodException {
        AuditRetryable annotation = Ledger.class.getMethod("read").getAnnotation(AuditRetryable.class);

        assertThat(annotation.endpoint()).isEmpty();
        assertThat(annotation.method()).isEqualTo("GET");
        assertThat(annotation.fallbackMethod()).isEmpty();
        assertThat(annotation.fallbackOnNonRetryable()).isFalse();
        assertThat(annotation.maxAttempts()).isZero();
        assertThat(annotation.retryFor()).isEmpty();
        assertThat(annotation.noRetryFor()).isEmpty();
    }

    @Test
    void attributesAreVisibleAtRunTime() throws NoSuchMethodException {
        Method post = Ledger.class.getMethod("post", String.class);

        AuditRetryable annotation = post.getAnnotation(AuditRetryable.class);

        assertThat(annotation.endpoint()).isEqualTo("/ledger/entries");
        assertThat(annotation.method()).isEqualTo("POST");
        assertThat(annotation.fallbackMethod()).isEqualTo("postLater");
        assertThat(annotation.maxAttempts()).isEqualTo(5);
        assertThat(annotation.retryFor()).containsExactly(IOException.class);
        assertThat(annotation.noRetryFor()).containsExactly(IllegalArgumentException.class);
    }

    @Test
    void annotatesClassesAndOtherAnnotations() {
        Target target = AuditRetryable.class.getAnnotation(Target.class);
        Retention retention = AuditRetryable.class.getAnnotation(Retention.class);

        assertThat(target.value()).containsExactlyInAnyOrder(ElementType.METHOD, ElementType.TYPE,
                ElementType.ANNOTATION_TYPE);
        assertThat(retention.value()).isEqualTo(RetentionPolicy.RUNTIME);
        assertThat(LedgerCall.class.getAnnotation(AuditRetryable.class).endpoint()).isEqualTo("/ledger");
        assertThat(Audited.class.getAnnotation(AuditRetryable.class)).isNotNull();
    }

    @Retention(RetentionPolicy.RUNTIME)
    @AuditRetryable(endpoint = "/ledger")
    @interface LedgerCall {
    }

    @AuditRetryable
    static class Audited {
    }

    static class Ledger {

        @AuditRetryable
        public String read() {
            return "entry";
        }

        @AuditRetryable(endpoint = "/ledger/entries", method = "POST", fallbackMethod = "postLater", maxAttempts = 5,
                retryFor = IOException.class, noRetryFor = IllegalArgumentException.class)
        public String post(String entry) {
            return entry;
        }

        String postLater(String entry, Throwable failure) {
            return entry;
        }
    }
}
