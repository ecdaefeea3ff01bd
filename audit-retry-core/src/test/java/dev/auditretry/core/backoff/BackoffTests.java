package dev.auditretry.core.backoff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class BackoffTests {

    private static final Duration INITIAL = Duration.ofMillis(100);

    private static final Duration MAX = Duration.ofSeconds(5);

    @Test
    void growsExponentiallyWithoutJitter() {
        Backoff backoff = new Backoff(INITIAL, MAX, 2.0, Jitter.NONE);

        assertThat(backoff.delayAfter(1, null, new SplittableRandom(1))).isEqualTo(Duration.ofMillis(100));
        assertThat(backoff.delayAfter(2, null, new SplittableRandom(1))).isEqualTo(Duration.ofMillis(200));
        assertThat(backoff.delayAfter(3, null, new SplittableRandom(1))).isEqualTo(Duration.ofMillis(400));
        assertThat(backoff.delayAfter(6, null, new SplittableRandom(1))).isEqualTo(Duration.ofMillis(3200));
        assertThat(backoff.delayAfter(7, null, new SplittableRandom(1))).isEqualTo(MAX);
    }

    @Test
    void saturatesAtMaxDelayForHugeAttemptNumbers() {
        Backoff backoff = new Backoff(INITIAL, Duration.ofSeconds(30), 10.0, Jitter.NONE);

        assertThat(backoff.delayAfter(10_000, null, new SplittableRandom(1))).isEqualTo(Duration.ofSeconds(30));
        assertThat(backoff.delayAfter(Integer.MAX_VALUE, null, new SplittableRandom(1)))
                .isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void saturatesWithoutOverflowForAVeryLongMaxDelay() {
        Duration centuries = Duration.ofDays(365L * 1000);
        Backoff backoff = new Backoff(Duration.ofSeconds(1), centuries, 10.0, Jitter.NONE);

        assertThat(backoff.delayAfter(10_000, null, new SplittableRandom(1))).isEqualTo(centuries);
    }

    @Test
    void zeroInitialDelayStaysZeroForEveryAttempt() {
        Backoff backoff = new Backoff(Duration.ZERO, MAX, 10.0, Jitter.NONE);

        assertThat(backoff.delayAfter(1, null, new SplittableRandom(1))).isZero();
        assertThat(backoff.delayAfter(10_000, null, new SplittableRandom(1))).isZero();
    }

    @Test
    void multiplierOfOneKeepsTheDelayConstant() {
        Backoff backoff = new Backoff(INITIAL, MAX, 1.0, Jitter.NONE);

        assertThat(backoff.delayAfter(1, null, new SplittableRandom(1))).isEqualTo(INITIAL);
        assertThat(backoff.delayAfter(50, null, new SplittableRandom(1))).isEqualTo(INITIAL);
    }

    @Test
    void fullJitterStaysBetweenZeroAndTheBase() {
        Backoff backoff = new Backoff(INITIAL, MAX, 2.0, Jitter.FULL);
        RandomGenerator random = new SplittableRandom(42);

        for (int attempt = 1; attempt <= 12; attempt++) {
            Duration base = backoff.baseDelayAfter(attempt);
            for (int draw = 0; draw < 500; draw++) {
                Duration delay = backoff.delayAfter(attempt, null, random);
                assertThat(delay).isBetween(Duration.ZERO, base);
            }
        }
    }

    @Test
    void fullJitterUsesTheDrawnFraction() {
        Backoff backoff = new Backoff(INITIAL, MAX, 2.0, Jitter.FULL);

        Duration delay = backoff.delayAfter(3, null, fixedDraw(0.25));

        assertThat(delay).isEqualTo(Duration.ofMillis(100));
    }

    @Test
    void equalJitterStaysInUpperHalf() {
        Backoff backoff = new Backoff(INITIAL, MAX, 2.0, Jitter.EQUAL);
        RandomGenerator random = new SplittableRandom(7);

        for (int attempt = 1; attempt <= 12; attempt++) {
            Duration base = backoff.baseDelayAfter(attempt);
            for (int draw = 0; draw < 500; draw++) {
                Duration delay = backoff.delayAfter(attempt, null, random);
                assertThat(delay).isBetween(base.dividedBy(2), base);
            }
        }
    }

    @Test
    void equalJitterUsesTheDrawnFraction() {
        Backoff backoff = new Backoff(INITIAL, MAX, 2.0, Jitter.EQUAL);

        assertThat(backoff.delayAfter(3, null, fixedDraw(0.0))).isEqualTo(Duration.ofMillis(400));
        assertThat(backoff.delayAfter(3, null, fixedDraw(0.5))).isEqualTo(Duration.ofMillis(300));
    }

    @Test
    void decorrelatedJitterStaysInRange() {
        Backoff backoff = new Backoff(INITIAL, MAX, 2.0, Jitter.DECORRELATED);
        RandomGenerator random = new SplittableRandom(3);

        Duration previous = null;
        for (int attempt = 1; attempt <= 40; attempt++) {
            Duration delay = backoff.delayAfter(attempt, previous, random);
            Duration upper = (previous == null) ? INITIAL.multipliedBy(3) : previous.multipliedBy(3);
            assertThat(delay).isBetween(INITIAL, upper.compareTo(MAX) > 0 ? MAX : upper);
            previous = delay;
        }
    }

    @Test
    void decorrelatedJitterUsesTheDrawnFraction() {
        Backoff backoff = new Backoff(INITIAL, MAX, 2.0, Jitter.DECORRELATED);

        Duration delay = backoff.delayAfter(2, Duration.ofMillis(200), fixedDraw(0.5));

        assertThat(delay).isEqualTo(Duration.ofMillis(350));
    }

    @Test
    void decorrelatedJitterIsCappedAtMaxDelay() {
        Backoff backoff = new Backoff(INITIAL, MAX, 2.0, Jitter.DECORRELATED);

        Duration delay = backoff.delayAfter(9, MAX, fixedDraw(0.999999));

        assertThat(delay).isLessThanOrEqualTo(MAX).isGreaterThan(Duration.ofMillis(4900));
    }

    @ParameterizedTest
    @EnumSource(Jitter.class)
    void neverNegativeNorAboveMaxDelay(Jitter jitter) {
        Backoff backoff = new Backoff(Duration.ofMillis(1), Duration.ofMillis(250), 3.0, jitter);
        RandomGenerator random = new SplittableRandom(99);

        Duration previous = null;
        for (int attempt = 1; attempt <= 2_000; attempt++) {
            Duration delay = backoff.delayAfter(attempt, previous, random);
            assertThat(delay).isBetween(Duration.ZERO, Duration.ofMillis(250));
            previous = delay;
        }
        assertThat(backoff.delayAfter(1, null, fixedDraw(0.999999999))).isLessThanOrEqualTo(Duration.ofMillis(250));
    }

    @Test
    void rejectsAttemptBelowOne() {
        Backoff backoff = new Backoff(INITIAL, MAX, 2.0, Jitter.NONE);

        assertThatIllegalArgumentException().isThrownBy(() -> backoff.delayAfter(0, null, new SplittableRandom(1)))
                .withMessage("failedAttempt must be at least 1 but was 0");
    }

    @Test
    void rejectsInvalidSettings() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new Backoff(Duration.ofMillis(-1), MAX, 2.0, Jitter.NONE))
                .withMessageContaining("initialDelay must not be negative");
        assertThatIllegalArgumentException().isThrownBy(() -> new Backoff(MAX, INITIAL, 2.0, Jitter.NONE))
                .withMessageContaining("must not be shorter than initialDelay");
        assertThatIllegalArgumentException().isThrownBy(() -> new Backoff(INITIAL, MAX, 0.5, Jitter.NONE))
                .withMessageContaining("multiplier must be a finite number of at least 1 but was 0.5");
        assertThatIllegalArgumentException().isThrownBy(() -> new Backoff(INITIAL, MAX, Double.NaN, Jitter.NONE))
                .withMessageContaining("but was NaN");
    }

    private static RandomGenerator fixedDraw(double fraction) {
        return new RandomGenerator() {
            @Override
            public long nextLong() {
                throw new UnsupportedOperationException("only nextDouble is drawn");
            }

            @Override
            public double nextDouble() {
                return fraction;
            }
        };
    }
}
