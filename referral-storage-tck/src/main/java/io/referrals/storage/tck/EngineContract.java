package io.referrals.storage.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.referrals.core.AdvocateRegistration;
import io.referrals.core.CaptureRequest;
import io.referrals.core.CaptureResult;
import io.referrals.core.ReferralEngine;
import io.referrals.core.TransitionRequest;
import io.referrals.core.TransitionResult;
import io.referrals.core.eligibility.Signals;
import io.referrals.core.error.ConflictException;
import io.referrals.core.error.IllegalTransitionException;
import io.referrals.core.error.ReopenNotAllowedException;
import io.referrals.core.error.StorageException;
import io.referrals.core.event.EventStreams;
import io.referrals.core.event.ReferralEvent;
import io.referrals.core.event.ReferralReopened;
import io.referrals.core.event.StageChanged;
import io.referrals.core.model.Advocate;
import io.referrals.core.model.AdvocateId;
import io.referrals.core.model.AdvocateKind;
import io.referrals.core.model.Channel;
import io.referrals.core.model.ConsentBasis;
import io.referrals.core.model.Outcome;
import io.referrals.core.model.Program;
import io.referrals.core.model.ProgramId;
import io.referrals.core.model.ProgramKind;
import io.referrals.core.model.ProgramStatus;
import io.referrals.core.model.Referral;
import io.referrals.core.model.ReferralId;
import io.referrals.core.model.ReviewStatus;
import io.referrals.core.model.Stage;
import io.referrals.core.model.StagePipeline;
import io.referrals.core.model.TimelineEntry;
import io.referrals.core.model.TransitionCause;
import io.referrals.core.storage.OutboxEntry;
import io.referrals.core.storage.ReferralQuery;
import io.referrals.core.storage.ReferralStore;
import io.referrals.core.storage.StoreTransaction;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Engine-level checks: several {@link ReferralEngine}s, built with the kit's {@link MutableClock}, sharing the store
 * under test (and {@link #sameDataStore()}), as hosts run them. Part of {@link ReferralStoreContract}.
 */
public abstract class EngineContract extends ConcurrencyContract {

    EngineContract() {
    }

    @Nested
    @DisplayName("Engines sharing the store")
    class Engines {
        private ProgramId programId;
        private AdvocateId advocateId;

        @BeforeEach
        void seed() {
            ReferralEngine e = engine(store);
            Program p = e.defineProgram(Program.builder(ProgramId.of("prog-1"), "Partners", ProgramKind.PARTNER)
                    .status(ProgramStatus.ACTIVE).build());
            Program loop = e.defineProgram(Program.builder(ProgramId.of("prog-loop"), "Loop", ProgramKind.CUSTOMER)
                    .status(ProgramStatus.ACTIVE).pipeline(Fixtures.loopingPipeline()).build());
            Advocate a = e.registerAdvocate(AdvocateRegistration.of("ext-1", "Jane", "jane@acme.example",
                    AdvocateKind.PARTNER));
            e.enrol(a.id(), p.id());
            e.enrol(a.id(), loop.id());
            programId = p.id();
            advocateId = a.id();
        }

        private CaptureRequest request(ProgramId program, String key) {
            return CaptureRequest.builder().advocate(advocateId).program(program)
                    .prospect(Fixtures.prospect("Initech")).channel(Channel.REFERRAL_FORM)
                    .consent(ConsentBasis.PROSPECT_CONSENT).idempotencyKey(key).build();
        }

        @Test
        @DisplayName("an engine's capture and stage changes are stored with a gapless timeline and event stream")
        void engineRoundTrip() {
            ReferralEngine e = engine(store);
            Referral r = e.capture(request(programId, "k-1")).acceptedReferral();
            clock.advance(Duration.ofMinutes(5));
            e.transition(TransitionRequest.of(r.id(), Stage.CONTACTED, TransitionCause.rep("rep-1")));
            clock.advance(Duration.ofMinutes(5));
            e.transition(TransitionRequest.of(r.id(), Stage.WON, TransitionCause.crm("salesforce")));
            Referral stored = tx(t -> t.referrals().get(r.id())).orElseThrow();
            assertThat(stored.stage()).isEqualTo(Stage.WON);
            assertThat(stored.outcome()).contains(Outcome.WON);
            assertThat(tx((StoreTransaction t) -> t.timelines().of(r.id()))).extracting(TimelineEntry::sequence)
                    .containsExactly(1, 2);
            assertThat(tx((StoreTransaction t) -> t.events().ofStream(EventStreams.of(r.id()))))
                    .extracting(x -> x.event().metadata().sequence())
                    .containsExactly(1L, 2L, 3L);
            assertThat(tx((StoreTransaction t) -> t.referrals().byIdempotencyKey("k-1"))).contains(stored);
        }

        @Test
        @DisplayName("a capture flagged for review and denied since replays, on any engine, as the accepted capture it "
                + "was")
        void replayAfterReview() {
            Signals shared = Signals.ip("198.51.100.23");
            CaptureRequest request = CaptureRequest.builder().advocate(advocateId).program(programId)
                    .prospect(Fixtures.prospect("Initech")).channel(Channel.REFERRAL_FORM)
                    .consent(ConsentBasis.PROSPECT_CONSENT).signals(shared).advocateSignals(shared)
                    .idempotencyKey("k-flagged").build();
            CaptureResult first = engine(store).capture(request);
            Referral recorded = first.acceptedReferral();
            assertThat(recorded.review()).isEqualTo(ReviewStatus.FLAGGED);
            clock.advance(Duration.ofHours(1));
            Referral denied = engine(store).denyReferral(recorded.id(), "ops-1", "not a real introduction");

            CaptureResult again = engine(sameDataStore()).capture(request);

            assertThat(again).isEqualTo(new CaptureResult.Accepted(recorded, true));
            assertThat(tx((StoreTransaction t) -> t.referrals().get(recorded.id()))).contains(denied);
        }

        @Test
        @DisplayName("a lost referral reopened as its pipeline declares is stored open again, with a REOPENED "
                + "timeline entry and StageChanged then ReferralReopened; an undeclared reopening writes nothing")
        void reopening() {
            ReferralEngine e = engine(store);
            Program reopenable = e.defineProgram(Program.builder(ProgramId.of("prog-reopen"), "Reopen",
                    ProgramKind.CUSTOMER).status(ProgramStatus.ACTIVE).pipeline(Fixtures.reopenablePipeline())
                    .build());
            e.enrol(advocateId, reopenable.id());
            Referral r = e.capture(request(reopenable.id(), "")).acceptedReferral();
            e.transition(TransitionRequest.of(r.id(), Stage.of("working"), TransitionCause.rep("rep-1")));
            e.transition(TransitionRequest.of(r.id(), Stage.of("dropped"), TransitionCause.crm("salesforce")));
            assertThatThrownBy(() -> e.transition(TransitionRequest.of(r.id(), Stage.of("fresh"),
                    TransitionCause.rep("rep-1")))).isInstanceOf(ReopenNotAllowedException.class);
            clock.advance(Duration.ofDays(60));

            TransitionResult back = engine(sameDataStore()).transition(new TransitionRequest(r.id(),
                    Stage.of("waiting"), TransitionCause.rep("rep-2"), "Budget found", "006A"));

            assertThat(back).isInstanceOf(TransitionResult.Moved.class);
            Referral stored = tx(t -> t.referrals().get(r.id())).orElseThrow();
            assertThat(stored.stage()).isEqualTo(Stage.of("waiting"));
            assertThat(stored.outcome()).isEmpty();
            assertThat(stored.timelineLength()).isEqualTo(3);
            List<TimelineEntry> timeline = tx(t -> t.timelines().of(r.id()));
            assertThat(timeline).extracting(TimelineEntry::kind).containsExactly(TimelineEntry.Kind.MOVED,
                    TimelineEntry.Kind.MOVED, TimelineEntry.Kind.REOPENED);
            TimelineEntry reopened = timeline.get(2);
            assertThat(reopened).isEqualTo(((TransitionResult.Moved) back).entry());
            assertThat(reopened.from()).isEqualTo(Stage.of("dropped"));
            assertThat(reopened.cause()).isEqualTo(TransitionCause.rep("rep-2"));
            assertThat(reopened.reason()).isEqualTo("Budget found");
            List<ReferralEvent> events = tx(t -> t.events().ofStream(EventStreams.of(r.id()))).stream()
                    .map(OutboxEntry::event).toList();
            assertThat(events).extracting(x -> x.metadata().sequence()).containsExactly(1L, 2L, 3L, 4L, 5L);
            assertThat(events.get(3)).isInstanceOfSatisfying(StageChanged.class,
                    x -> assertThat(x.transition()).isEqualTo(reopened));
            assertThat(events.get(4)).isInstanceOfSatisfying(ReferralReopened.class,
                    x -> assertThat(x.transition()).isEqualTo(reopened));
        }

        @Test
        @DisplayName("engines capturing with one idempotency key at once store one referral and all get its id")
        void concurrentIdempotentCaptures() {
            ReferralStore other = sameDataStore();
            List<ReferralEngine> engines = List.of(engine(store), engine(other), engine(store), engine(other));
            List<CaptureResult> results = race(threads(), i -> engines.get(i % engines.size())
                    .capture(request(programId, "same-key")));
            assertThat(results).allSatisfy(r -> assertThat(r).isInstanceOf(CaptureResult.Accepted.class));
            Set<ReferralId> ids = results.stream().map(r -> r.acceptedReferral().id())
                    .collect(Collectors.toSet());
            assertThat(ids).hasSize(1);
            assertThat(results).filteredOn(r -> !((CaptureResult.Accepted) r).replayed()).hasSize(1);
            assertThat(tx((StoreTransaction t) -> t.referrals()
                    .find(ReferralQuery.builder().program(programId).build())))
                    .extracting(Referral::id).containsExactlyElementsOf(ids);
            ReferralId id = ids.iterator().next();
            assertThat(tx((StoreTransaction t) -> t.events().ofStream(EventStreams.of(id)))).hasSize(1);
        }

        @Test
        @DisplayName("concurrent stage changes of one referral leave a gapless, legal timeline and event stream")
        void concurrentTransitions() {
            ReferralStore other = sameDataStore();
            ReferralEngine first = engine(store);
            Referral r = first.capture(request(ProgramId.of("prog-loop"), "")).acceptedReferral();
            StagePipeline pipeline = Fixtures.loopingPipeline();
            List<ReferralEngine> engines = List.of(first, engine(other), engine(store), engine(other));
            Stage working = Stage.of("working");
            Stage waiting = Stage.of("waiting");
            List<Integer> moved = race(threads(), i -> {
                ReferralEngine e = engines.get(i % engines.size());
                int mine = 0;
                for (int k = 0; k < 8; k++) {
                    Stage to = (i + k) % 2 == 0 ? working : waiting;
                    try {
                        TransitionResult res = e.transition(TransitionRequest.of(r.id(), to,
                                TransitionCause.host("thread-" + i)));
                        if (res instanceof TransitionResult.Moved) {
                            mine++;
                        }
                    } catch (IllegalTransitionException | ConflictException | StorageException expected) {
                        // a lost race or an illegal move from where the referral stands now: nothing written
                    }
                }
                return mine;
            });
            int moves = moved.stream().mapToInt(Integer::intValue).sum();
            List<TimelineEntry> timeline = tx(t -> t.timelines().of(r.id()));
            assertThat(timeline).hasSize(moves);
            Stage at = pipeline.initial();
            for (int i = 0; i < timeline.size(); i++) {
                TimelineEntry e = timeline.get(i);
                assertThat(e.sequence()).isEqualTo(i + 1);
                assertThat(e.from()).isEqualTo(at);
                assertThat(pipeline.allows(e.from(), e.to())).as("legal move %s", e).isTrue();
                at = e.to();
            }
            Referral stored = tx(t -> t.referrals().get(r.id())).orElseThrow();
            assertThat(stored.stage()).isEqualTo(at);
            assertThat(stored.timelineLength()).isEqualTo(moves);
            assertThat(stored.version()).isEqualTo(1L + moves);
            List<Long> seqs = tx(t -> t.events().ofStream(EventStreams.of(r.id()))).stream()
                    .map(x -> x.event().metadata().sequence()).toList();
            assertThat(seqs).containsExactlyElementsOf(LongStream.rangeClosed(1, 1L + moves).boxed().toList());
            assertThat(moves).as("some moves happened").isPositive();
            assertThat(new HashSet<>(timeline)).hasSize(timeline.size());
        }
    }

    @Nested
    @DisplayName("What the store tells the engine")
    class Capabilities {

        @Test
        @DisplayName("isPersistent and joinsHostTransactions give the same answer for the life of the store")
        void answersAreFixed() {
            boolean persistent = store.isPersistent();
            boolean joins = store.joinsHostTransactions();
            write(t -> t.programs().insert(Fixtures.program("prog-cap")));
            assertThat(store.isPersistent()).isEqualTo(persistent);
            assertThat(store.joinsHostTransactions()).isEqualTo(joins);
            assertThat(sameDataStore().isPersistent()).isEqualTo(persistent);
        }

        @Test
        @DisplayName("an engine on a persistent store is refused without a match-key secret and builds with one")
        void persistentStoreNeedsASecret() {
            ReferralEngine.Builder withoutSecret = ReferralEngine.builder().store(store).clock(clock);
            if (store.joinsHostTransactions()) {
                withoutSecret.outbox();
            }
            if (store.isPersistent()) {
                assertThatThrownBy(withoutSecret::build).isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("matchKeySecret");
            } else {
                assertThat(withoutSecret.build().store()).isSameAs(store);
            }
            assertThat(Fixtures.engine(store, clock).build().store()).isSameAs(store);
        }

        @Test
        @DisplayName("a store that joins host transactions is refused an engine delivering in process; one that does "
                + "not has committed when inTransaction returns")
        void joiningStoreNeedsTheOutbox() {
            ReferralEngine.Builder inProcess = ReferralEngine.builder().store(store).clock(clock)
                    .matchKeySecret(Fixtures.SECRET);
            if (store.joinsHostTransactions()) {
                assertThatThrownBy(inProcess::build).isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("outbox()");
                assertThat(inProcess.outbox().build().store()).isSameAs(store);
                return;
            }
            Program p = Fixtures.program("prog-committed");
            write(t -> t.programs().insert(p));
            assertThat(sameDataStore().inTransaction((StoreTransaction t) -> t.programs().get(p.id())))
                    .as("committed on return, visible to another store over the same data").contains(p);
            assertThat(inProcess.build().store()).isSameAs(store);
        }
    }
}
