package io.referrals.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.referrals.core.error.ConflictException;
import io.referrals.core.error.IdempotencyConflictException;
import io.referrals.core.event.AdvocateEnrolled;
import io.referrals.core.event.AdvocateRegistered;
import io.referrals.core.event.CodeIssued;
import io.referrals.core.event.ReferralSubmitted;
import io.referrals.core.model.Advocate;
import io.referrals.core.model.AdvocateKind;
import io.referrals.core.model.Enrolment;
import io.referrals.core.model.Program;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Concurrent callers")
class ConcurrencyTest {
    private static final int THREADS = 16;
    private static final int CALLS = 64;

    private final ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    private final TestWorld w = new TestWorld();

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    /** Runs {@code calls} copies of {@code task} at once; returns each outcome: a value or the exception thrown. */
    private <T> List<Object> race(int calls, Callable<T> task) throws InterruptedException {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<T>> futures = new ArrayList<>();
        for (int i = 0; i < calls; i++) {
            futures.add(pool.submit(() -> {
                start.await();
                return task.call();
            }));
        }
        start.countDown();
        List<Object> outcomes = new ArrayList<>();
        for (Future<T> f : futures) {
            try {
                outcomes.add(f.get(30, TimeUnit.SECONDS));
            } catch (ExecutionException e) {
                outcomes.add(e.getCause());
            } catch (java.util.concurrent.TimeoutException e) {
                throw new AssertionError("a racing call did not finish", e);
            }
        }
        return outcomes;
    }

    @Test
    @DisplayName("registering one external id from many threads makes one advocate; the others get a conflict")
    void registerRace() throws Exception {
        List<Object> outcomes = race(CALLS, () -> w.engine.registerAdvocate(
                AdvocateRegistration.of("crm-1", "Jane", "jane@acme.example", AdvocateKind.CUSTOMER)));

        assertThat(outcomes).filteredOn(Advocate.class::isInstance).hasSize(1);
        assertThat(outcomes).filteredOn(o -> !(o instanceof Advocate)).allMatch(ConflictException.class::isInstance);
        assertThat(w.listener.events(AdvocateRegistered.class)).hasSize(1);
    }

    @Test
    @DisplayName("enrolling one advocate from many threads makes one enrolment and one event")
    void enrolRace() throws Exception {
        Program p = w.activeProgram();
        Advocate a = w.advocate("jane", "Jane");

        List<Object> outcomes = race(CALLS, () -> w.engine.enrol(a.id(), p.id()));

        assertThat(outcomes).allMatch(Enrolment.class::isInstance);
        assertThat(new HashSet<>(outcomes)).hasSize(1);
        assertThat(w.engine.enrolments(a.id())).hasSize(1);
        assertThat(w.listener.events(AdvocateEnrolled.class)).hasSize(1);
    }

    @Test
    @DisplayName("issuing one vanity code from many threads issues it once")
    void vanityRace() throws Exception {
        Program p = w.activeProgram();
        Advocate a = w.enrolledAdvocate(p);

        List<Object> outcomes = race(CALLS, () -> w.engine.issueVanityCode(a.id(), p.id(), "JANE-ACME"));

        assertThat(outcomes).filteredOn(io.referrals.core.model.ReferralCode.class::isInstance).hasSize(1);
        assertThat(outcomes).filteredOn(o -> !(o instanceof io.referrals.core.model.ReferralCode))
                .allMatch(ConflictException.class::isInstance);
        assertThat(w.engine.codes(a.id())).hasSize(1);
        assertThat(w.listener.events(CodeIssued.class)).hasSize(1);
    }

    @Test
    @DisplayName("one idempotency key raced with different payloads makes one referral; the rest are conflicts")
    void idempotencyRaceWithDifferentPayloads() throws Exception {
        Program p = w.activeProgram();
        Advocate a = w.enrolledAdvocate(p);
        java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();

        List<Object> outcomes = race(CALLS, () -> w.engine.capture(TestWorld.request(a, p)
                .note("note " + n.incrementAndGet()).idempotencyKey("same-key").build()));

        assertThat(outcomes).filteredOn(CaptureResult.Accepted.class::isInstance).hasSize(1);
        assertThat(outcomes).filteredOn(o -> !(o instanceof CaptureResult.Accepted))
                .allMatch(IdempotencyConflictException.class::isInstance);
        assertThat(w.referrals()).hasSize(1);
        assertThat(w.listener.events(ReferralSubmitted.class)).hasSize(1);
    }

    @Test
    @DisplayName("many threads capturing distinct referrals lose none")
    void manyCaptures() throws Exception {
        Program p = w.activeProgram();
        Advocate a = w.enrolledAdvocate(p);
        java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();

        List<Object> outcomes = race(CALLS * 2, () -> w.engine.capture(TestWorld.request(a, p)
                .idempotencyKey("k-" + n.incrementAndGet()).build()));

        Set<Object> ids = new HashSet<>();
        outcomes.forEach(o -> ids.add(((CaptureResult) o).acceptedReferral().id()));
        assertThat(ids).hasSize(CALLS * 2);
        assertThat(w.referrals()).hasSize(CALLS * 2);
    }
}
