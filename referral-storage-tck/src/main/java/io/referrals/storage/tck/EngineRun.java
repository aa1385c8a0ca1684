package io.referrals.storage.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.referrals.core.AdvocateRegistration;
import io.referrals.core.CaptureRequest;
import io.referrals.core.CaptureResult;
import io.referrals.core.ReferralEngine;
import io.referrals.core.TransitionRequest;
import io.referrals.core.TransitionResult;
import io.referrals.core.error.IdempotencyConflictException;
import io.referrals.core.error.IllegalTransitionException;
import io.referrals.core.error.ValidationException;
import io.referrals.core.event.EventStreams;
import io.referrals.core.event.ReferralSubmitted;
import io.referrals.core.event.StageChanged;
import io.referrals.core.model.Advocate;
import io.referrals.core.model.AdvocateId;
import io.referrals.core.model.AdvocateKind;
import io.referrals.core.model.Channel;
import io.referrals.core.model.CodeStatus;
import io.referrals.core.model.ConsentBasis;
import io.referrals.core.model.Enrolment;
import io.referrals.core.model.Program;
import io.referrals.core.model.ProgramId;
import io.referrals.core.model.ProgramKind;
import io.referrals.core.model.ProgramStatus;
import io.referrals.core.model.Prospect;
import io.referrals.core.model.Referral;
import io.referrals.core.model.ReferralCode;
import io.referrals.core.model.ReferralId;
import io.referrals.core.model.Seniority;
import io.referrals.core.model.Stage;
import io.referrals.core.model.StagePipeline;
import io.referrals.core.model.TimelineEntry;
import io.referrals.core.model.TransitionCause;
import io.referrals.core.storage.Before;
import io.referrals.core.storage.DuplicateKeyException;
import io.referrals.core.storage.OutboxEntry;
import io.referrals.core.storage.ReferralQuery;
import io.referrals.core.storage.ReferralStore;
import io.referrals.core.storage.StoreTransaction;
import io.referrals.core.storage.UniqueKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/**
 * One run of the stateful contract: two engines over the store under test (one through the same-data store), and a
 * simple reference model of what they should have done. Each operation calls an engine, checks its answer against
 * the model and updates the model; {@link #checkTouched()} and {@link #checkAll()} compare the store with the model.
 * Ids, external ids and idempotency keys carry a per-run prefix, so runs may share a store.
 */
final class EngineRun {
    /** A program of the model. */
    static final class ModelProgram {
        final ProgramId id;
        final StagePipeline pipeline;
        ProgramStatus status = ProgramStatus.ACTIVE;

        ModelProgram(ProgramId id, StagePipeline pipeline) {
            this.id = id;
            this.pipeline = pipeline;
        }
    }

    /** An advocate of the model. */
    static final class ModelAdvocate {
        final AdvocateId id;
        final String externalId;
        final Set<ProgramId> enrolled = new LinkedHashSet<>();
        boolean optedOut;
        long events = 1;

        ModelAdvocate(AdvocateId id, String externalId) {
            this.id = id;
            this.externalId = externalId;
        }
    }

    /** A referral code of the model. */
    static final class ModelCode {
        final String code;
        final ModelAdvocate advocate;
        final ModelProgram program;
        boolean revoked;

        ModelCode(String code, ModelAdvocate advocate, ModelProgram program) {
            this.code = code;
            this.advocate = advocate;
            this.program = program;
        }
    }

    /** A referral of the model. */
    static final class ModelReferral {
        final ReferralId id;
        final ModelProgram program;
        final ModelAdvocate advocate;
        Stage stage;
        int moves;

        ModelReferral(ReferralId id, ModelProgram program, ModelAdvocate advocate) {
            this.id = id;
            this.program = program;
            this.advocate = advocate;
            this.stage = program.pipeline.initial();
        }
    }

    private record KeyUse(String signature, ReferralId referral) {
    }

    private final ReferralStore store;
    private final List<ReferralEngine> engines;
    private final MutableClock clock = MutableClock.startingNow();
    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private int counter;
    private int calls;

    final List<ModelProgram> programs = new ArrayList<>();
    final List<ModelAdvocate> advocates = new ArrayList<>();
    final List<ModelCode> codes = new ArrayList<>();
    final Map<ReferralId, ModelReferral> referrals = new LinkedHashMap<>();
    private final Map<String, KeyUse> keys = new LinkedHashMap<>();
    private final Set<ReferralId> touchedReferrals = new LinkedHashSet<>();
    private final Set<ModelAdvocate> touchedAdvocates = new LinkedHashSet<>();
    private final List<String> log = new ArrayList<>();

    EngineRun(ReferralStore store, ReferralStore sameData) {
        this.store = store;
        this.engines = List.of(Fixtures.engine(store, clock).build(), Fixtures.engine(sameData, clock).build());
        ReferralEngine e = engine();
        Program b2b = e.defineProgram(Program.builder(ProgramId.of("prog-b2b-" + run), "B2B", ProgramKind.CUSTOMER)
                .status(ProgramStatus.ACTIVE).build());
        Program loop = e.defineProgram(Program.builder(ProgramId.of("prog-loop-" + run), "Loop", ProgramKind.PARTNER)
                .status(ProgramStatus.ACTIVE).pipeline(Fixtures.loopingPipeline()).build());
        programs.add(new ModelProgram(b2b.id(), b2b.pipeline()));
        programs.add(new ModelProgram(loop.id(), loop.pipeline()));
        registerAdvocate(-1, false);
        enrol(0, 0);
        enrol(0, 1);
        checkTouched();
        log.clear();
    }

    /** The engines take turns, so both stores see every kind of operation. */
    private ReferralEngine engine() {
        return engines.get(calls++ % engines.size());
    }

    /** A key unique to this run. */
    String key(int n) {
        return "key-" + run + "-" + n;
    }

    @Override
    public String toString() {
        return "EngineRun" + log;
    }

    // ---- operations -----------------------------------------------------------------------------------------------
    // Operations take indices, resolved when they run, so a chain that jqwik shrinks stays meaningful.

    private static <T> Optional<T> pick(List<T> list, int index) {
        return list.isEmpty() ? Optional.empty() : Optional.of(list.get(Math.floorMod(index, list.size())));
    }

    private ModelProgram program(int index) {
        return programs.get(Math.floorMod(index, programs.size()));
    }

    void enrol(int advocate, int program) {
        pick(advocates, advocate).ifPresent(a -> enrol(a, program(program)));
    }

    void optOut(int advocate) {
        pick(advocates, advocate).ifPresent(this::optOut);
    }

    void issueCode(int advocate, int program) {
        pick(advocates, advocate).ifPresent(a -> issueCode(a, program(program)));
    }

    void revokeCode(int code) {
        pick(codes, code).ifPresent(this::revokeCode);
    }

    void setStatus(int program, ProgramStatus status) {
        setStatus(program(program), status);
    }

    void captureDirect(int advocate, int program, int payload, int keyIndex, boolean invalid) {
        pick(advocates, advocate).ifPresent(a -> captureDirect(a, program(program), payload, keyIndex, invalid));
    }

    void captureByCode(int code, int payload, int keyIndex, int spelling) {
        pick(codes, code).ifPresent(c -> {
            String typed = switch (Math.floorMod(spelling, 3)) {
                case 0 -> c.code;
                case 1 -> c.code.toLowerCase(java.util.Locale.ROOT);
                default -> c.code.substring(0, 2) + "-" + c.code.substring(2);
            };
            captureByCode(c, payload, keyIndex, typed);
        });
    }

    void transition(int referral, String stage) {
        pick(List.copyOf(referrals.values()), referral).ifPresent(m -> transition(m, Stage.of(stage)));
    }

    void advanceClock(int minutes) {
        log.add("advance " + minutes + "m");
        clock.advance(Duration.ofMinutes(minutes));
    }

    void registerAdvocate(int reuse, boolean invalid) {
        String externalId = reuse >= 0 && !advocates.isEmpty()
                ? advocates.get(Math.floorMod(reuse, advocates.size())).externalId
                : "ext-" + run + "-" + (++counter);
        log.add("register " + externalId + (invalid ? " (invalid)" : ""));
        AdvocateRegistration reg = AdvocateRegistration.of(externalId, "Advocate " + externalId,
                invalid ? "not an email" : "a" + counter + "@acme.example", AdvocateKind.CUSTOMER);
        boolean taken = advocates.stream().anyMatch(a -> a.externalId.equals(externalId));
        if (invalid) {
            assertThatThrownBy(() -> engine().registerAdvocate(reg)).isInstanceOf(ValidationException.class);
            assertThat(store.inTransaction(t -> t.advocates().byExternalId(externalId)).isPresent()).isEqualTo(taken);
        } else if (taken) {
            assertThatThrownBy(() -> engine().registerAdvocate(reg)).isInstanceOfSatisfying(
                    DuplicateKeyException.class, e -> assertThat(e.key()).isEqualTo(UniqueKey.ADVOCATE_EXTERNAL_ID));
        } else {
            Advocate a = engine().registerAdvocate(reg);
            ModelAdvocate m = new ModelAdvocate(a.id(), externalId);
            advocates.add(m);
            touchedAdvocates.add(m);
        }
    }

    void enrol(ModelAdvocate a, ModelProgram p) {
        log.add("enrol " + a.externalId + " in " + p.id);
        Enrolment e = engine().enrol(a.id, p.id);
        assertThat(e.programId()).isEqualTo(p.id);
        if (a.enrolled.add(p.id)) {
            a.events++;
        }
        touchedAdvocates.add(a);
    }

    void optOut(ModelAdvocate a) {
        log.add("opt out " + a.externalId);
        assertThat(engine().optOut(a.id).optedOut()).isTrue();
        if (!a.optedOut) {
            a.optedOut = true;
            a.events++;
        }
        touchedAdvocates.add(a);
    }

    void issueCode(ModelAdvocate a, ModelProgram p) {
        log.add("issue code to " + a.externalId + " in " + p.id);
        if (a.enrolled.contains(p.id)) {
            ReferralCode c = engine().issueCode(a.id, p.id);
            assertThat(c.isActive()).isTrue();
            codes.add(new ModelCode(c.code(), a, p));
            a.events++;
        } else {
            assertThatThrownBy(() -> engine().issueCode(a.id, p.id)).isInstanceOf(ValidationException.class);
        }
        touchedAdvocates.add(a);
    }

    void revokeCode(ModelCode c) {
        log.add("revoke " + c.code);
        assertThat(engine().revokeCode(c.code).status()).isEqualTo(CodeStatus.REVOKED);
        if (!c.revoked) {
            c.revoked = true;
            c.advocate.events++;
        }
        touchedAdvocates.add(c.advocate);
    }

    void setStatus(ModelProgram p, ProgramStatus status) {
        log.add("set " + p.id + " " + status);
        assertThat(engine().changeProgramStatus(p.id, status).status()).isEqualTo(status);
        p.status = status;
    }

    private static Prospect prospect(int payload, boolean invalid) {
        return new Prospect("Prospect " + payload, invalid ? "no-at-sign" : "p" + payload + "@initech.example",
                invalid && payload % 2 == 0 ? " " : "Initech " + payload, "initech.example", "CTO", Seniority.C_LEVEL,
                "", "", Map.of("n", Integer.toString(payload)));
    }

    void captureDirect(ModelAdvocate a, ModelProgram p, int payload, int keyIndex, boolean invalid) {
        String key = keyIndex < 0 ? "" : key(keyIndex);
        log.add("capture by " + a.externalId + " into " + p.id + " payload " + payload + " key " + key
                + (invalid ? " (invalid)" : ""));
        CaptureRequest req = CaptureRequest.builder().advocate(a.id).program(p.id).prospect(prospect(payload, invalid))
                .channel(Channel.REFERRAL_FORM).consent(ConsentBasis.PROSPECT_CONSENT).idempotencyKey(key).build();
        String signature = "advocate " + a.id + " program " + p.id + " payload " + payload;
        capture(req, key, signature, invalid, a, p, Optional.empty());
    }

    void captureByCode(ModelCode c, int payload, int keyIndex, String typed) {
        String key = keyIndex < 0 ? "" : key(keyIndex);
        log.add("capture with code " + typed + " payload " + payload + " key " + key);
        CaptureRequest req = CaptureRequest.builder().code(typed).prospect(prospect(payload, false))
                .channel(Channel.LINK_OR_CODE).consent(ConsentBasis.LEGITIMATE_INTEREST).idempotencyKey(key).build();
        String signature = "code " + ReferralCode.normalize(typed) + " payload " + payload;
        capture(req, key, signature, false, c.advocate, c.program, Optional.of(c));
    }

    void captureUnknownCode(int payload) {
        log.add("capture with an unknown code");
        CaptureRequest req = CaptureRequest.builder().code("NOPE" + run.toUpperCase(java.util.Locale.ROOT))
                .prospect(prospect(payload, false)).channel(Channel.LINK_OR_CODE)
                .consent(ConsentBasis.LEGITIMATE_INTEREST).build();
        assertThat(engine().capture(req)).isEqualTo(new CaptureResult.Refused(
                io.referrals.core.model.Reason.of("code_unknown", "This referral code is not known.")));
    }

    private void capture(CaptureRequest req, String key, String signature, boolean invalid, ModelAdvocate a,
            ModelProgram p, Optional<ModelCode> code) {
        if (invalid) {
            assertThatThrownBy(() -> engine().capture(req)).isInstanceOf(ValidationException.class);
            return;
        }
        KeyUse used = key.isEmpty() ? null : keys.get(key);
        if (used != null) {
            if (used.signature.equals(signature)) {
                CaptureResult r = engine().capture(req);
                assertThat(r).isInstanceOfSatisfying(CaptureResult.Accepted.class, acc -> {
                    assertThat(acc.replayed()).isTrue();
                    assertThat(acc.referral().id()).as("an idempotent replay returns the same referral")
                            .isEqualTo(used.referral);
                });
                touchedReferrals.add(used.referral);
            } else {
                assertThatThrownBy(() -> engine().capture(req)).isInstanceOf(IdempotencyConflictException.class);
            }
            return;
        }
        CaptureResult r = engine().capture(req);
        touchedAdvocates.add(a);
        Optional<String> refusal = code.filter(c -> c.revoked).map(c -> "code_revoked")
                .or(() -> p.status == ProgramStatus.ACTIVE ? Optional.empty()
                        : Optional.of("program_" + p.status.name().toLowerCase(java.util.Locale.ROOT)))
                .or(() -> a.optedOut ? Optional.of("advocate_opted_out") : Optional.empty())
                .or(() -> a.enrolled.contains(p.id) ? Optional.empty() : Optional.of("advocate_not_enrolled"));
        if (refusal.isPresent()) {
            assertThat(r).isInstanceOfSatisfying(CaptureResult.Refused.class,
                    ref -> assertThat(ref.reason().code()).isEqualTo(refusal.get()));
            a.events++;
            return;
        }
        assertThat(r).isInstanceOfSatisfying(CaptureResult.Accepted.class, acc -> {
            assertThat(acc.replayed()).isFalse();
            Referral ref = acc.referral();
            assertThat(ref.advocateId()).isEqualTo(a.id);
            assertThat(ref.programId()).isEqualTo(p.id);
            assertThat(ref.idempotencyKey()).isEqualTo(key);
            referrals.put(ref.id(), new ModelReferral(ref.id(), p, a));
            touchedReferrals.add(ref.id());
            if (!key.isEmpty()) {
                keys.put(key, new KeyUse(signature, ref.id()));
            }
        });
    }

    void transition(ModelReferral m, Stage to) {
        log.add("move " + m.id + " from " + m.stage + " to " + to);
        TransitionRequest req = TransitionRequest.of(m.id, to, TransitionCause.rep("rep-" + run));
        touchedReferrals.add(m.id);
        if (m.stage.equals(to)) {
            assertThat(engine().transition(req)).isInstanceOf(TransitionResult.Unchanged.class);
        } else if (m.program.pipeline.allows(m.stage, to)) {
            TransitionResult r = engine().transition(req);
            assertThat(r).isInstanceOfSatisfying(TransitionResult.Moved.class, moved -> {
                assertThat(moved.entry().from()).isEqualTo(m.stage);
                assertThat(moved.entry().to()).isEqualTo(to);
                assertThat(moved.entry().sequence()).isEqualTo(m.moves + 1);
            });
            m.stage = to;
            m.moves++;
        } else {
            assertThatThrownBy(() -> engine().transition(req)).isInstanceOf(IllegalTransitionException.class);
        }
    }

    // ---- checks ---------------------------------------------------------------------------------------------------

    private <T> T read(Function<StoreTransaction, T> work) {
        return store.inTransaction(work);
    }

    /** Compares what the last operations touched with the model, then forgets them. */
    void checkTouched() {
        touchedReferrals.forEach(id -> checkReferral(referrals.get(id)));
        touchedAdvocates.forEach(this::checkAdvocate);
        touchedReferrals.clear();
        touchedAdvocates.clear();
    }

    /** Compares the whole store, as far as this run wrote it, with the model. */
    void checkAll() {
        referrals.values().forEach(this::checkReferral);
        advocates.forEach(this::checkAdvocate);
        for (ModelProgram p : programs) {
            assertThat(read((StoreTransaction t) -> t.programs().get(p.id))).map(Program::status).contains(p.status);
            List<ReferralId> expected = referrals.values().stream().filter(r -> r.program == p).map(r -> r.id)
                    .sorted(Comparator.comparing(ReferralId::value)).toList();
            assertThat(read((StoreTransaction t) -> t.referrals()
                    .find(ReferralQuery.builder().program(p.id).limit(10_000).build())))
                    .extracting(Referral::id).containsExactlyElementsOf(expected);
        }
        keys.forEach((key, use) -> assertThat(read((StoreTransaction t) -> t.referrals().byIdempotencyKey(key)))
                .map(Referral::id).contains(use.referral));
    }

    private void checkReferral(ModelReferral m) {
        if (m == null) {
            return;
        }
        Referral r = read(t -> t.referrals().get(m.id)).orElseThrow(() -> new AssertionError("lost referral " + m.id));
        StagePipeline pipeline = m.program.pipeline;
        assertThat(pipeline.contains(r.stage())).as("never an unknown stage").isTrue();
        assertThat(r.stage()).isEqualTo(m.stage);
        assertThat(r.outcome()).isEqualTo(pipeline.outcome(m.stage));
        assertThat(r.timelineLength()).isEqualTo(m.moves);
        assertThat(r.version()).isEqualTo(1L + m.moves);
        List<TimelineEntry> timeline = read(t -> t.timelines().of(m.id));
        assertThat(timeline).as("one timeline entry per successful move").hasSize(m.moves);
        Stage at = pipeline.initial();
        for (int i = 0; i < timeline.size(); i++) {
            TimelineEntry e = timeline.get(i);
            assertThat(e.sequence()).isEqualTo(i + 1);
            assertThat(e.from()).isEqualTo(at);
            assertThat(pipeline.allows(e.from(), e.to())).as("never an illegal move: %s", e).isTrue();
            at = e.to();
        }
        List<OutboxEntry> events = read(t -> t.events().ofStream(EventStreams.of(m.id)));
        assertThat(events).extracting(e -> e.event().metadata().sequence()).as("gapless event sequence")
                .containsExactlyElementsOf(sequence(1L + m.moves));
        assertThat(events.get(0).event()).isInstanceOf(ReferralSubmitted.class);
        for (int i = 1; i < events.size(); i++) {
            assertThat(events.get(i).event()).isInstanceOfSatisfying(StageChanged.class,
                    sc -> assertThat(timeline).contains(sc.transition()));
        }
    }

    private void checkAdvocate(ModelAdvocate m) {
        Advocate a = read(t -> t.advocates().get(m.id)).orElseThrow(() -> new AssertionError("lost advocate " + m.id));
        assertThat(a.externalId()).isEqualTo(m.externalId);
        assertThat(a.optedOut()).isEqualTo(m.optedOut);
        assertThat(read((StoreTransaction t) -> t.advocates().byExternalId(m.externalId))).map(Advocate::id)
                .contains(m.id);
        assertThat(read((StoreTransaction t) -> t.advocates().enrolments(m.id))).extracting(Enrolment::programId)
                .containsExactlyElementsOf(m.enrolled.stream()
                        .sorted(Comparator.comparing(ProgramId::value)).toList());
        assertThat(read((StoreTransaction t) -> t.events().ofStream(EventStreams.of(m.id))))
                .extracting(e -> e.event().metadata().sequence()).as("gapless advocate event sequence")
                .containsExactlyElementsOf(sequence(m.events));
        checkReferralPages(m);
        List<ModelCode> mine = codes.stream().filter(c -> c.advocate == m).toList();
        assertThat(read((StoreTransaction t) -> t.codes().ofAdvocate(m.id))).hasSize(mine.size())
                .allSatisfy(c -> assertThat(c.status()).isEqualTo(mine.stream().filter(x -> x.code.equals(c.code()))
                        .findFirst().orElseThrow().revoked ? CodeStatus.REVOKED : CodeStatus.ACTIVE));
    }

    /**
     * Walks the advocate's referrals two at a time, newest first: each of the model's referrals of the advocate once,
     * no other, each page after the one before in (submitted at, id) order.
     */
    private void checkReferralPages(ModelAdvocate m) {
        List<Referral> walked = new ArrayList<>();
        Before cursor = Before.first();
        while (true) {
            Before after = cursor;
            List<Referral> page = read((StoreTransaction t) -> t.referrals().ofAdvocate(m.id, after, 2));
            assertThat(page.size()).as("page size").isLessThanOrEqualTo(2);
            if (page.isEmpty()) {
                break;
            }
            walked.addAll(page);
            Referral last = page.get(page.size() - 1);
            cursor = new Before(last.submittedAt(), last.id().value());
        }
        Comparator<Referral> newestFirst = Comparator.comparing(Referral::submittedAt)
                .thenComparing(r -> r.id().value()).reversed();
        assertThat(walked).as("an advocate's referrals, newest first").isSortedAccordingTo(newestFirst)
                .extracting(Referral::id).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(referrals.values().stream().filter(r -> r.advocate == m)
                        .map(r -> r.id).toList());
    }

    private static List<Long> sequence(long n) {
        List<Long> s = new ArrayList<>();
        for (long i = 1; i <= n; i++) {
            s.add(i);
        }
        return s;
    }
}
