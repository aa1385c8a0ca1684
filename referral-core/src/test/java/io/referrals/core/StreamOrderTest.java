package io.referrals.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.referrals.core.eligibility.EligibilityPolicy;
import io.referrals.core.eligibility.OwnershipPolicy;
import io.referrals.core.event.EventStreams;
import io.referrals.core.event.ReferralEvent;
import io.referrals.core.event.ReferralFlagged;
import io.referrals.core.event.ReferralListener;
import io.referrals.core.event.ReferralSummary;
import io.referrals.core.event.StageChanged;
import io.referrals.core.hook.UnitOfWork;
import io.referrals.core.model.Advocate;
import io.referrals.core.model.AdvocateKind;
import io.referrals.core.model.Channel;
import io.referrals.core.model.ConsentBasis;
import io.referrals.core.model.Program;
import io.referrals.core.model.ProgramId;
import io.referrals.core.model.ProgramKind;
import io.referrals.core.model.ProgramStatus;
import io.referrals.core.model.Prospect;
import io.referrals.core.model.Referral;
import io.referrals.core.model.ReviewStatus;
import io.referrals.core.model.Stage;
import io.referrals.core.model.TransitionCause;
import io.referrals.core.storage.CounterKey;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Events of one stream reach in-process listeners in sequence order, whatever unit of work emits them")
class StreamOrderTest {
    private static final int THREADS = 8;
    private static final int REFERRALS = 40;
    private static final ProgramId PROGRAM = ProgramId.of("customers");
    private static final List<Stage> PATH = List.of(Stage.CONTACTED, Stage.MEETING_HELD, Stage.QUALIFIED);

    private final ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    private final SequenceCheck order = new SequenceCheck();
    private final ReferralEngine engine = ReferralEngine.builder().clock(new MutableClock(TestWorld.T0))
            .listener(order).matchKeySecret("stream-order-test-secret".getBytes(StandardCharsets.UTF_8))
            .defaultEligibilityPolicy(EligibilityPolicy.builder().ownership(OwnershipPolicy.partnerOverCustomer())
                    .build())
            .build();
    private final Program program = engine.defineProgram(Program.builder(PROGRAM, "Customer referrals",
            ProgramKind.CUSTOMER).status(ProgramStatus.ACTIVE).build());

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    private Advocate advocate(String id, String email, AdvocateKind kind) {
        Advocate a = engine.registerAdvocate(AdvocateRegistration.of(id, "Advocate " + id, email, kind));
        engine.enrol(a.id(), PROGRAM);
        return a;
    }

    private static Prospect prospect(int i) {
        return Prospect.builder().fullName("Pat " + i).email("pat" + i + "@initech" + i + ".com")
                .company("Initech " + i).build();
    }

    private CaptureResult capture(Advocate a, Prospect p) {
        return engine.capture(CaptureRequest.builder().advocate(a.id()).program(PROGRAM).prospect(p)
                .channel(Channel.REFERRAL_FORM).consent(ConsentBasis.ADVOCATE_INTRODUCTION).build());
    }

    private void move(Referral r) {
        for (Stage s : PATH) {
            engine.transition(TransitionRequest.of(r.id(), s, TransitionCause.crm("salesforce")));
        }
    }

    /** Runs the tasks at once on the pool and waits (boundedly) for each; rethrows the first failure. */
    private void runAtOnce(List<Callable<?>> tasks) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> futures = new ArrayList<>();
        for (Callable<?> task : tasks) {
            futures.add(pool.submit(() -> {
                start.await();
                return task.call();
            }));
        }
        start.countDown();
        for (Future<?> f : futures) {
            f.get(60, TimeUnit.SECONDS);
        }
    }

    /** Every stored event of the stream was delivered, in order: the stored sequences are 1..n, n delivered. */
    private void assertDeliveredAsStored(String stream) {
        List<Long> stored = TestWorld.sequences(engine.events(stream));
        assertThat(stored).as(stream).isEqualTo(LongStream.rangeClosed(1, stored.size()).boxed().toList());
        assertThat(order.last(stream)).as(stream).isEqualTo(stored.size());
    }

    @Test
    @DisplayName("a capture that flags another advocate's referral (ownership passes to a partner) while that "
            + "referral moves through its stages")
    void captureFlaggingAnotherReferral() throws Exception {
        Advocate customer = advocate("c", "c@alpha.com", AdvocateKind.CUSTOMER);
        Advocate partner = advocate("p", "p@reseller.com", AdvocateKind.PARTNER);
        List<Referral> earlier = new ArrayList<>();
        for (int i = 0; i < REFERRALS; i++) {
            earlier.add(capture(customer, prospect(i)).acceptedReferral());
        }

        List<Callable<?>> tasks = new ArrayList<>();
        for (int i = 0; i < REFERRALS; i++) {
            Referral r = earlier.get(i);
            Prospect p = prospect(i);
            tasks.add(() -> capture(partner, p));
            tasks.add(() -> {
                move(r);
                return null;
            });
        }
        runAtOnce(tasks);

        assertThat(order.violations()).isEmpty();
        assertThat(order.count(ReferralFlagged.class)).isEqualTo(REFERRALS);
        assertThat(order.count(StageChanged.class)).isEqualTo(REFERRALS * PATH.size());
        for (Referral r : earlier) {
            assertThat(engine.referral(r.id()).orElseThrow().review()).isEqualTo(ReviewStatus.FLAGGED);
            assertDeliveredAsStored(EventStreams.of(r.id()));
        }
    }

    @Test
    @DisplayName("an extension's unit of work that names no stream, or another one, and emits on a referral's stream "
            + "while the referral moves; units of work that take two streams in opposite orders do not deadlock")
    void unitsOfWorkEmittingOnStreamsTheyDidNotName() throws Exception {
        Advocate customer = advocate("c", "c@alpha.com", AdvocateKind.CUSTOMER);
        List<Referral> referrals = new ArrayList<>();
        for (int i = 0; i < REFERRALS; i++) {
            referrals.add(capture(customer, prospect(i)).acceptedReferral());
        }
        String advocateStream = EventStreams.of(customer.id());

        List<Callable<?>> tasks = new ArrayList<>();
        for (int i = 0; i < REFERRALS; i++) {
            Referral r = referrals.get(i);
            String mine = EventStreams.of(r.id());
            // named first: the advocate's stream, then this referral's; or this referral's, then the advocate's
            String named = i % 3 == 0 ? null : i % 3 == 1 ? advocateStream : mine;
            tasks.add(() -> engine.transactions().inStreams(named == null ? List.of() : List.of(named), w -> {
                Referral now = w.store().referrals().get(r.id()).orElseThrow();
                w.emit(mine, m -> new ReferralFlagged(m, ReferralSummary.of(now, program, customer), List.of()));
                w.emit(advocateStream, m -> new ReferralFlagged(m, ReferralSummary.of(now, program, customer),
                        List.of()));
                return null;
            }));
            tasks.add(() -> {
                move(r);
                return null;
            });
        }
        runAtOnce(tasks);

        assertThat(order.violations()).isEmpty();
        assertThat(order.count(ReferralFlagged.class)).isEqualTo(2 * REFERRALS);
        assertDeliveredAsStored(advocateStream);
        for (Referral r : referrals) {
            assertDeliveredAsStored(EventStreams.of(r.id()));
        }
    }

    @Test
    @DisplayName("a unit of work that meets a stream another one holds is rolled back and runs again once that one "
            + "has delivered its events, and its events follow")
    void aUnitOfWorkMeetingABusyStreamRunsAgainAfterIt() throws Exception {
        Advocate customer = advocate("c", "c@alpha.com", AdvocateKind.CUSTOMER);
        Referral r = capture(customer, prospect(1)).acceptedReferral();
        String stream = EventStreams.of(r.id());
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch firstRunFailed = new CountDownLatch(1);
        List<Long> delivered = new CopyOnWriteArrayList<>();
        ReferralEngine blocking = ReferralEngine.builder().store(engine.store()).clock(engine.clock())
                .listener(new ReferralListener() {
                    @Override
                    public void onEvent(ReferralEvent e) {
                        delivered.add(e.metadata().sequence());
                        if (delivered.size() == 1) {
                            // the first unit of work still holds the stream while its event is delivered
                            holding.countDown();
                            await(firstRunFailed);
                        }
                    }
                }).build();
        CounterKey runs = CounterKey.of("test", "runs");
        AtomicInteger attempts = new AtomicInteger();

        Future<?> holder = pool.submit(() -> blocking.transactions().inStream(stream, w -> flag(w, r, customer,
                stream)));
        await(holding);
        Future<?> other = pool.submit(() -> blocking.transactions().inTransaction(w -> {
            attempts.incrementAndGet();
            w.store().counters().tryConsume(runs, 1, Long.MAX_VALUE);
            try {
                return flag(w, r, customer, stream);
            } finally {
                firstRunFailed.countDown();
            }
        }));
        holder.get(30, TimeUnit.SECONDS);
        other.get(30, TimeUnit.SECONDS);

        assertThat(attempts).hasValue(2);
        long counted = engine.transactions().inStore(tx -> tx.counters().value(runs));
        assertThat(counted).as("the first run rolled back").isEqualTo(1);
        assertThat(delivered).containsExactly(2L, 3L);
    }

    private Object flag(UnitOfWork w, Referral r, Advocate a, String stream) {
        Referral now = w.store().referrals().get(r.id()).orElseThrow();
        return w.emit(stream, m -> new ReferralFlagged(m, ReferralSummary.of(now, program, a), List.of()));
    }

    private static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(30, TimeUnit.SECONDS)).as("the other unit of work got there").isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
