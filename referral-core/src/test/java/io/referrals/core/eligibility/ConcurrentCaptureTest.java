package io.referrals.core.eligibility;

import static io.referrals.core.eligibility.Fixture.prospect;
import static org.assertj.core.api.Assertions.assertThat;

import io.referrals.core.CaptureResult;
import io.referrals.core.model.Advocate;
import io.referrals.core.model.Reason;
import io.referrals.core.model.ReviewStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Eligibility under concurrent captures")
class ConcurrentCaptureTest {
    private static final int THREADS = 16;

    private static List<CaptureResult> race(int n, java.util.function.IntFunction<CaptureResult> capture)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<CaptureResult>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int k = i;
                Callable<CaptureResult> c = () -> {
                    start.await();
                    return capture.apply(k);
                };
                futures.add(pool.submit(c));
            }
            start.countDown();
            List<CaptureResult> results = new ArrayList<>();
            for (Future<CaptureResult> f : futures) {
                results.add(f.get(30, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    private static boolean clean(CaptureResult r) {
        return r instanceof CaptureResult.Accepted a && a.referral().review() == ReviewStatus.CLEAR;
    }

    @Test
    void a_velocity_limit_admits_exactly_its_capacity_when_many_threads_capture_at_once() throws Exception {
        Fixture f = new Fixture(b -> b.defaultEligibilityPolicy(EligibilityPolicy.builder()
                .advocateLimits(VelocityLimit.perHour(20)).build()));
        Advocate a = f.customer("a", "a@alpha.com");
        List<CaptureResult> results = race(80, i -> f.capture(a, prospect("P", "p" + i + "@initech.com", "I", "")));
        assertThat(results.stream().filter(ConcurrentCaptureTest::clean)).hasSize(20);
        assertThat(results.stream().filter(r -> r instanceof CaptureResult.Rejected x
                && x.reasons().stream().map(Reason::code).toList().equals(List.of(
                        EligibilityReasons.VELOCITY_ADVOCATE)))).hasSize(60);
    }

    @Test
    void one_prospect_referred_by_many_advocates_at_once_has_exactly_one_owner() throws Exception {
        Fixture f = new Fixture();
        List<Advocate> advocates = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
            advocates.add(f.customer("a" + i, "a" + i + "@alpha" + i + ".com"));
        }
        List<CaptureResult> results = race(32, i -> f.capture(advocates.get(i),
                prospect("Pat", "pat@initech.com", "Initech", "initech.com")));
        assertThat(results.stream().filter(ConcurrentCaptureTest::clean)).hasSize(1);
        assertThat(results.stream().filter(r -> r instanceof CaptureResult.Rejected)).hasSize(31);
    }
}
