package io.referrals.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.referrals.core.event.AdvocateEnrolled;
import io.referrals.core.event.AdvocateRegistered;
import io.referrals.core.event.CodeIssued;
import io.referrals.core.event.EventStreams;
import io.referrals.core.event.ReferralEvent;
import io.referrals.core.event.ReferralListener;
import io.referrals.core.event.ReferralRefused;
import io.referrals.core.event.ReferralSubmitted;
import io.referrals.core.event.StageChanged;
import io.referrals.core.extension.Extension;
import io.referrals.core.hook.ReferralHook;
import io.referrals.core.hook.UnitOfWork;
import io.referrals.core.model.Advocate;
import io.referrals.core.model.Program;
import io.referrals.core.model.ProgramStatus;
import io.referrals.core.model.Prospect;
import io.referrals.core.model.Referral;
import io.referrals.core.model.Stage;
import io.referrals.core.model.TimelineEntry;
import io.referrals.core.model.TransitionCause;
import io.referrals.core.storage.OutboxEntry;
import io.referrals.core.storage.OutboxStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Events and listeners")
class EventsTest {

    /** A hook that fails every capture and transition while it is armed. */
    private static final class FailingHook implements ReferralHook {
        final AtomicBoolean armed = new AtomicBoolean();

        @Override
        public void afterCapture(UnitOfWork work, Program program, Advocate advocate, Referral referral) {
            if (armed.get()) {
                throw new IllegalStateException("hook refused the capture");
            }
        }

        @Override
        public void afterTransition(UnitOfWork work, Program program, Advocate advocate, Referral referral,
                TimelineEntry entry) {
            if (armed.get()) {
                throw new IllegalStateException("hook refused the transition");
            }
        }
    }

    @Test
    @DisplayName("a listener sees an event only once its change is committed and readable")
    void afterCommit() {
        List<String> seen = new CopyOnWriteArrayList<>();
        TestWorld[] holder = new TestWorld[1];
        TestWorld w = new TestWorld(b -> b.listener(new ReferralListener() {
            @Override
            public void onReferralSubmitted(ReferralSubmitted event) {
                // read through the engine from inside the listener: the referral must already be committed
                seen.add(holder[0].engine.referral(event.referral().referralId()).map(r -> "stored").orElse("missing"));
            }
        }));
        holder[0] = w;
        Program p = w.activeProgram();
        Advocate a = w.enrolledAdvocate(p);

        w.captured(a, p);

        assertThat(seen).containsExactly("stored");
    }

    @Test
    @DisplayName("a hook that throws rolls the capture back and no listener sees anything")
    void hookRollsBackCapture() {
        FailingHook hook = new FailingHook();
        TestWorld w = new TestWorld(b -> b.install(Extension.of(hook)));
        Program p = w.activeProgram();
        Advocate a = w.enrolledAdvocate(p);
        List<OutboxEntry> advocateEvents = w.stream(a);
        w.listener.clear();
        hook.armed.set(true);

        IllegalStateException e = catchThrowableOfType(IllegalStateException.class,
                () -> w.engine.capture(TestWorld.request(a, p).idempotencyKey("k").build()));

        assertThat(e).hasMessage("hook refused the capture");
        assertThat(w.listener.events()).isEmpty();
        assertThat(w.referrals()).isEmpty();
        assertThat(w.stream(a)).isEqualTo(advocateEvents);

        hook.armed.set(false);
        CaptureResult.Accepted ok = (CaptureResult.Accepted) w.engine.capture(TestWorld.request(a, p)
                .idempotencyKey("k").build());
        assertThat(ok.replayed()).as("the rolled-back capture left no idempotency record").isFalse();
        assertThat(TestWorld.sequences(w.stream(ok.referral().id()))).containsExactly(1L);
    }

    @Test
    @DisplayName("a hook that throws rolls the transition back: stage, timeline and events unchanged")
    void hookRollsBackTransition() {
        FailingHook hook = new FailingHook();
        TestWorld w = new TestWorld(b -> b.install(Extension.of(hook)));
        Program p = w.activeProgram();
        Advocate a = w.enrolledAdvocate(p);
        Referral r = w.captured(a, p);
        List<OutboxEntry> before = w.stream(r.id());
        w.listener.clear();
        hook.armed.set(true);

        assertThat(catchThrowableOfType(IllegalStateException.class, () -> w.engine.transition(
                TransitionRequest.of(r.id(), Stage.CONTACTED, TransitionCause.rep("rep"))))).isNotNull();

        assertThat(w.listener.events()).isEmpty();
        assertThat(w.engine.referral(r.id())).contains(r);
        assertThat(w.engine.timeline(r.id())).isEmpty();
        assertThat(w.stream(r.id())).isEqualTo(before);

        hook.armed.set(false);
        TransitionResult.Moved moved = (TransitionResult.Moved) w.engine.transition(
                TransitionRequest.of(r.id(), Stage.CONTACTED, TransitionCause.rep("rep")));
        assertThat(moved.entry().sequence()).isEqualTo(1);
        assertThat(TestWorld.sequences(w.stream(r.id()))).containsExactly(1L, 2L);
    }

    @Test
    @DisplayName("a failing listener is contained: the caller succeeds and later listeners are still called")
    void failingListenerContained() {
        AtomicInteger failures = new AtomicInteger();
        ReferralListener failing = new RecordingListener() {
            @Override
            void received(ReferralEvent event) {
                failures.incrementAndGet();
                throw new IllegalStateException("listener bug");
            }
        };
        RecordingListener after = new RecordingListener();
        TestWorld w = new TestWorld(b -> b.listener(failing).listener(after));
        Program p = w.activeProgram();
        Advocate a = w.enrolledAdvocate(p);

        Referral r = w.captured(a, p);
        TransitionResult moved = w.engine.transition(TransitionRequest.of(r.id(), Stage.CONTACTED,
                TransitionCause.rep("rep")));

        assertThat(moved).isInstanceOf(TransitionResult.Moved.class);
        assertThat(w.engine.referral(r.id()).orElseThrow().stage()).isEqualTo(Stage.CONTACTED);
        assertThat(failures.get()).isEqualTo(4);
        assertThat(after.events()).hasSize(4);
        assertThat(w.listener.events()).hasSize(4);
        assertThat(after.events()).extracting(e -> e.getClass().getSimpleName()).containsExactly(
                "AdvocateRegistered", "AdvocateEnrolled", "ReferralSubmitted", "StageChanged");
    }

    @Test
    @DisplayName("a listener that changes the referral it was told about does not reorder what later listeners see")
    void reentrantListenerKeepsOrder() {
        TestWorld[] holder = new TestWorld[1];
        ReferralListener autoContact = new ReferralListener() {
            @Override
            public void onReferralSubmitted(ReferralSubmitted event) {
                holder[0].engine.transition(TransitionRequest.of(event.referral().referralId(), Stage.CONTACTED,
                        TransitionCause.rule("auto-contact")));
            }
        };
        RecordingListener later = new RecordingListener();
        TestWorld w = new TestWorld(b -> b.listener(autoContact).listener(later));
        holder[0] = w;
        Program p = w.activeProgram();
        Advocate a = w.enrolledAdvocate(p);
        later.clear();
        w.listener.clear();

        Referral r = w.captured(a, p);

        assertThat(w.engine.referral(r.id()).orElseThrow().stage()).isEqualTo(Stage.CONTACTED);
        assertThat(later.events()).extracting(e -> e.metadata().sequence()).containsExactly(1L, 2L);
        assertThat(w.listener.events()).extracting(e -> e.metadata().sequence()).containsExactly(1L, 2L);
    }

    @Test
    @DisplayName("with an executor, the events of each referral arrive in sequence order")
    void executorKeepsOrderPerReferral() throws Exception {
        int referrals = 40;
        List<Stage> path = List.of(Stage.CONTACTED, Stage.MEETING_HELD, Stage.QUALIFIED, Stage.OPPORTUNITY,
                Stage.WON);
        int perReferral = 1 + path.size();
        CountDownLatch delivered = new CountDownLatch(referrals * perReferral);
        Map<String, List<Long>> arrivals = new ConcurrentHashMap<>();
        java.util.Set<String> deliveryThreads = ConcurrentHashMap.newKeySet();
        ReferralListener ordered = new ReferralListener() {
            private void record(ReferralEvent e) {
                // a little uneven work per event makes reordering likely if lanes were not serial
                if (e.metadata().sequence() % 3 == 0) {
                    Thread.yield();
                }
                arrivals.computeIfAbsent(e.metadata().stream(), k -> new CopyOnWriteArrayList<>())
                        .add(e.metadata().sequence());
                deliveryThreads.add(Thread.currentThread().getName());
                delivered.countDown();
            }

            @Override
            public void onReferralSubmitted(ReferralSubmitted event) {
                record(event);
            }

            @Override
            public void onStageChanged(StageChanged event) {
                record(event);
            }
        };
        AtomicInteger threadNo = new AtomicInteger();
        ExecutorService events = Executors.newFixedThreadPool(6,
                task -> new Thread(task, "events-" + threadNo.incrementAndGet()));
        ExecutorService callers = Executors.newFixedThreadPool(8);
        try {
            TestWorld w = new TestWorld(b -> b.eventExecutor(events).listener(ordered));
            Program p = w.activeProgram();
            Advocate a = w.enrolledAdvocate(p);
            List<Future<?>> work = new ArrayList<>();
            for (int i = 0; i < referrals; i++) {
                work.add(callers.submit(() -> {
                    Referral r = w.captured(a, p);
                    for (Stage s : path) {
                        w.engine.transition(TransitionRequest.of(r.id(), s, TransitionCause.crm("sf")));
                    }
                    return r;
                }));
            }
            for (Future<?> f : work) {
                f.get(60, TimeUnit.SECONDS);
            }

            assertThat(delivered.await(30, TimeUnit.SECONDS)).as("all events delivered").isTrue();
            assertThat(arrivals).hasSize(referrals);
            List<Long> expected = LongStream.rangeClosed(1, perReferral).boxed().toList();
            arrivals.forEach((stream, seqs) -> assertThat(seqs).as(stream).isEqualTo(expected));
            assertThat(deliveryThreads).as("delivery ran on the executor").allMatch(n -> n.startsWith("events-"));
        } finally {
            callers.shutdownNow();
            events.shutdownNow();
        }
    }

    @Test
    @DisplayName("an executor that refuses work does not lose events: they are delivered on the caller's thread")
    void rejectingExecutor() {
        ExecutorService stopped = Executors.newSingleThreadExecutor();
        stopped.shutdown();
        TestWorld w = new TestWorld(b -> b.eventExecutor(stopped));
        Program p = w.activeProgram();
        Advocate a = w.enrolledAdvocate(p);

        Referral r = w.captured(a, p);

        assertThat(w.listener.events()).extracting(e -> e.getClass().getSimpleName())
                .containsExactly("AdvocateRegistered", "AdvocateEnrolled", "ReferralSubmitted");
        assertThat(w.listener.events(ReferralSubmitted.class).get(0).referral().referralId()).isEqualTo(r.id());
    }

    @Test
    @DisplayName("each stream's sequence numbers run from 1 without gaps, in stored and delivered events alike")
    void gaplessSequences() {
        TestWorld w = new TestWorld();
        Program p = w.activeProgram();
        Advocate a = w.enrolledAdvocate(p);
        w.engine.issueVanityCode(a.id(), p.id(), "JANE-ACME");
        Referral r1 = w.captured(a, p);
        Referral r2 = w.captured(a, p);
        w.engine.transition(TransitionRequest.of(r1.id(), Stage.CONTACTED, TransitionCause.rep("x")));
        w.engine.transition(TransitionRequest.of(r1.id(), Stage.LOST, TransitionCause.rep("x")));
        w.engine.transition(TransitionRequest.of(r2.id(), Stage.REJECTED, TransitionCause.rep("x")));
        w.engine.changeProgramStatus(p.id(), ProgramStatus.PAUSED);
        w.engine.capture(TestWorld.request(a, p).build());
        w.engine.revokeCode("JANE-ACME");

        assertThat(TestWorld.sequences(w.stream(a))).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(w.stream(a)).extracting(e -> e.event().getClass().getSimpleName()).containsExactly(
                "AdvocateRegistered", "AdvocateEnrolled", "CodeIssued", "ReferralRefused", "CodeRevoked");
        assertThat(TestWorld.sequences(w.stream(r1.id()))).containsExactly(1L, 2L, 3L);
        assertThat(TestWorld.sequences(w.stream(r2.id()))).containsExactly(1L, 2L);
        assertThat(w.stream(r1.id())).allSatisfy(e -> assertThat(e.status()).isEqualTo(OutboxStatus.DELIVERED));

        Map<String, List<Long>> delivered = new java.util.HashMap<>();
        for (ReferralEvent e : w.listener.events()) {
            delivered.computeIfAbsent(e.metadata().stream(), k -> new ArrayList<>()).add(e.metadata().sequence());
        }
        assertThat(delivered).containsEntry(EventStreams.of(a.id()), List.of(1L, 2L, 3L, 4L, 5L))
                .containsEntry(EventStreams.of(r1.id()), List.of(1L, 2L, 3L))
                .containsEntry(EventStreams.of(r2.id()), List.of(1L, 2L));
        assertThat(w.listener.events()).extracting(e -> e.metadata().occurredAt()).containsOnly(TestWorld.T0);
    }

    @Test
    @DisplayName("events carry what an advocate notification needs, and none of the prospect's email, name or phone")
    void notificationContentWithoutPersonalData() {
        TestWorld w = new TestWorld();
        Program p = w.activeProgram("customers", "Customer Referrals");
        Advocate a = w.engine.registerAdvocate(AdvocateRegistration.of("jane-1", "Jane Doe", "jane@acme.example",
                io.referrals.core.model.AdvocateKind.CUSTOMER));
        w.engine.enrol(a.id(), p.id());
        Prospect prospect = Prospect.builder().fullName("Peter Gibbons").email("peter.gibbons@initech.com")
                .company("Initech").companyDomain("initech.com").jobTitle("Director").phone("+1 555 867 5309")
                .attributes(Map.of("mobile", "+44 7700 900123")).build();
        Referral r = w.engine.capture(TestWorld.request(a, p).prospect(prospect)
                .build()).acceptedReferral();
        w.engine.transition(new TransitionRequest(r.id(), Stage.MEETING_HELD, TransitionCause.rep("rep-1"),
                "Demo held", "opp-1"));
        w.engine.changeProgramStatus(p.id(), ProgramStatus.PAUSED);
        w.engine.capture(TestWorld.request(a, p).prospect(prospect).build());

        ReferralSubmitted submitted = w.listener.events(ReferralSubmitted.class).get(0);
        assertThat(submitted.referral().advocate().displayName()).isEqualTo("Jane Doe");
        assertThat(submitted.referral().advocate().email()).isEqualTo("jane@acme.example");
        assertThat(submitted.referral().programName()).isEqualTo("Customer Referrals");
        assertThat(submitted.referral().prospectCompany()).isEqualTo("Initech");
        assertThat(submitted.referral().stage()).isEqualTo(Stage.SUBMITTED);

        StageChanged changed = w.listener.events(StageChanged.class).get(0);
        assertThat(changed.referral().advocate().displayName()).isEqualTo("Jane Doe");
        assertThat(changed.referral().programName()).isEqualTo("Customer Referrals");
        assertThat(changed.referral().prospectCompany()).isEqualTo("Initech");
        assertThat(changed.referral().stage()).isEqualTo(Stage.MEETING_HELD);
        assertThat(changed.referral().terminal()).isFalse();
        assertThat(changed.transition().from()).isEqualTo(Stage.SUBMITTED);
        assertThat(changed.transition().reason()).isEqualTo("Demo held");

        assertThat(w.listener.events(ReferralRefused.class)).singleElement()
                .satisfies(e -> assertThat(e.advocate().displayName()).isEqualTo("Jane Doe"));
        assertThat(w.listener.events(AdvocateEnrolled.class)).singleElement()
                .satisfies(e -> assertThat(e.programName()).isEqualTo("Customer Referrals"));
        assertThat(w.listener.events(AdvocateRegistered.class)).hasSize(1);
        assertThat(w.listener.events(CodeIssued.class)).isEmpty();

        List<ReferralEvent> all = new ArrayList<>(w.listener.events());
        w.stream(r.id()).forEach(e -> all.add(e.event()));
        w.stream(a).forEach(e -> all.add(e.event()));
        assertThat(all).isNotEmpty().allSatisfy(e -> assertThat(e.toString())
                .doesNotContain("peter.gibbons", "Peter", "Gibbons", "555 867 5309", "7700 900123",
                        "initech.com"));
    }
}
