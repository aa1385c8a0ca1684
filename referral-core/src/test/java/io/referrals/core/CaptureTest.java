package io.referrals.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.referrals.core.eligibility.Signals;
import io.referrals.core.error.FieldError;
import io.referrals.core.error.IdempotencyConflictException;
import io.referrals.core.error.ValidationException;
import io.referrals.core.event.ReferralRefused;
import io.referrals.core.event.ReferralSubmitted;
import io.referrals.core.model.Advocate;
import io.referrals.core.model.Channel;
import io.referrals.core.model.ConsentBasis;
import io.referrals.core.model.Program;
import io.referrals.core.model.ProgramStatus;
import io.referrals.core.model.Prospect;
import io.referrals.core.model.Referral;
import io.referrals.core.model.ReviewStatus;
import io.referrals.core.model.Stage;
import io.referrals.core.model.TransitionCause;
import io.referrals.core.storage.OutboxEntry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("Capture")
class CaptureTest {
    private final TestWorld w = new TestWorld();
    private final Program program = w.activeProgram();
    private final Advocate jane = w.enrolledAdvocate(program);

    /** What is stored now: referrals and the advocate's events. */
    private record Snapshot(List<Referral> referrals, List<OutboxEntry> advocateEvents, int delivered) {
    }

    private Snapshot snapshot() {
        return new Snapshot(w.referrals(), w.stream(jane), w.listener.events().size());
    }

    private ValidationException refusedWith(CaptureRequest request) {
        Snapshot before = snapshot();
        ValidationException e = catchThrowableOfType(ValidationException.class, () -> w.engine.capture(request));
        assertThat(e).as("a ValidationException").isNotNull();
        assertThat(snapshot()).as("nothing written").isEqualTo(before);
        return e;
    }

    private static List<String> fields(ValidationException e) {
        return e.errors().stream().map(FieldError::field).toList();
    }

    @Test
    @DisplayName("an accepted referral is stored in the pipeline's first stage with everything the request named")
    void accepted() {
        CaptureResult r = w.engine.capture(TestWorld.request(jane, program)
                .prospect(Prospect.builder().fullName("  Peter Gibbons ").email("peter.gibbons@initech.com")
                        .company(" Initech").companyDomain("InitTech.COM").build())
                .channel(Channel.SALES_REP).salesRep("rep-42").consent(ConsentBasis.LEGITIMATE_INTEREST).build());

        assertThat(r).isInstanceOf(CaptureResult.Accepted.class);
        CaptureResult.Accepted a = (CaptureResult.Accepted) r;
        Referral ref = a.referral();
        assertThat(a.replayed()).isFalse();
        assertThat(ref.stage()).isEqualTo(Stage.SUBMITTED);
        assertThat(ref.timelineLength()).isZero();
        assertThat(ref.advocateId()).isEqualTo(jane.id());
        assertThat(ref.channel()).isEqualTo(Channel.SALES_REP);
        assertThat(ref.salesRep()).isEqualTo("rep-42");
        assertThat(ref.consent()).isEqualTo(ConsentBasis.LEGITIMATE_INTEREST);
        assertThat(ref.prospect().fullName()).isEqualTo("Peter Gibbons");
        assertThat(ref.prospect().company()).isEqualTo("Initech");
        assertThat(ref.prospect().companyDomain()).isEqualTo("inittech.com");
        assertThat(ref.submittedAt()).isEqualTo(TestWorld.T0);
        assertThat(w.engine.referral(ref.id())).contains(ref);
        assertThat(w.engine.timeline(ref.id())).isEmpty();
        assertThat(w.listener.events(ReferralSubmitted.class)).singleElement()
                .satisfies(e -> assertThat(e.referral().referralId()).isEqualTo(ref.id()));
    }

    @Nested
    @DisplayName("validation")
    class Validation {

        @Test
        @DisplayName("names every bad field at once and writes nothing")
        void everyBadFieldAtOnce() {
            Prospect bad = Prospect.builder()
                    .fullName("Peter\u200BGibbons")
                    .email("peter.gibbons(at)initech")
                    .company("   ")
                    .companyDomain("initech")
                    .jobTitle("x".repeat(201))
                    .department("Customer\u0007Success")
                    .phone("call me maybe")
                    .attributes(Map.of("tier", "gold\u202E"))
                    .build();
            CaptureRequest request = CaptureRequest.builder().advocate(jane.id()).program(program.id())
                    .prospect(bad).note("y".repeat(2001)).build();

            ValidationException e = refusedWith(request);

            assertThat(fields(e)).containsExactlyInAnyOrder("prospect.fullName", "prospect.email",
                    "prospect.company", "prospect.companyDomain", "prospect.jobTitle", "prospect.department",
                    "prospect.phone", "prospect.attributes.tier", "channel", "consent", "note");
            assertThat(e.errors()).extracting(FieldError::code).contains("malformed", "required", "too_long",
                    "control_characters");
        }

        @Test
        @DisplayName("messages never repeat the prospect's data")
        void noPersonalDataInMessages() {
            ValidationException e = refusedWith(TestWorld.request(jane, program)
                    .prospect(Prospect.builder().fullName("Secret\u0000Name").email("secret.person@@initech.com")
                            .company("Initech").phone("secret-phone-555").build()).build());

            assertThat(e.getMessage()).doesNotContain("Secret", "secret", "555");
            assertThat(e.errors()).allSatisfy(fe -> assertThat(fe.message()).doesNotContain("secret", "Secret"));
        }

        @ParameterizedTest(name = "control or invisible character U+{0} in the company is refused")
        @ValueSource(strings = {"0000", "0007", "0009", "000A", "001B", "007F", "0085", "200B", "200C", "200D",
                "2060", "FEFF", "202A", "202B", "202C", "202D", "202E", "2066", "2067", "2068", "2069", "200E",
                "200F", "2028", "2029", "E000", "D800"})
        void hiddenCharacters(String hex) {
            String company = "Init" + (char) Integer.parseInt(hex, 16) + "ech";
            ValidationException e = refusedWith(TestWorld.request(jane, program)
                    .prospect(Prospect.builder().fullName("Peter").email("p@initech.com").company(company).build())
                    .build());

            assertThat(e.errors()).extracting(FieldError::field, FieldError::code).containsExactly(
                    org.assertj.core.groups.Tuple.tuple("prospect.company", "control_characters"));
        }

        @Test
        @DisplayName("the note may span lines but not hide characters")
        void noteLines() {
            assertThat(w.engine.capture(TestWorld.request(jane, program).note("Line one\nLine two\r\n\tindented")
                    .build()).isAccepted()).isTrue();
            assertThat(fields(refusedWith(TestWorld.request(jane, program).note("hidden\u202Etext").build())))
                    .containsExactly("note");
        }

        @Test
        @DisplayName("oversized text is refused field by field")
        void oversized() {
            ValidationException e = refusedWith(TestWorld.request(jane, program)
                    .prospect(Prospect.builder().fullName("n".repeat(201)).email("a".repeat(65) + "@initech.com")
                            .company("c".repeat(201)).department("d".repeat(101)).build())
                    .salesRep("r".repeat(129)).idempotencyKey("k".repeat(129)).build());

            assertThat(fields(e)).containsExactlyInAnyOrder("prospect.fullName", "prospect.email",
                    "prospect.company", "prospect.department", "salesRep", "idempotencyKey");
        }

        @Test
        @DisplayName("a missing prospect, channel and consent are each named")
        void missingParts() {
            ValidationException e = refusedWith(CaptureRequest.builder().advocate(jane.id()).program(program.id())
                    .build());

            assertThat(fields(e)).containsExactlyInAnyOrder("prospect", "channel", "consent");
        }

        @Test
        @DisplayName("a SALES_REP referral without its rep is refused")
        void salesRepWithoutRep() {
            ValidationException e = refusedWith(TestWorld.request(jane, program).channel(Channel.SALES_REP).build());

            assertThat(e.errors()).extracting(FieldError::field, FieldError::code).containsExactly(
                    org.assertj.core.groups.Tuple.tuple("salesRep", "required"));
        }

        @Test
        @DisplayName("naming both or neither of advocate and code is refused, as is a malformed code")
        void advocateOrCode() {
            assertThat(fields(refusedWith(CaptureRequest.builder().prospect(TestWorld.prospect())
                    .channel(Channel.REFERRAL_FORM).consent(ConsentBasis.PROSPECT_CONSENT).build())))
                    .containsExactlyInAnyOrder("advocate", "programId");
            assertThat(fields(refusedWith(TestWorld.request(jane, program).code("JANE-ACME").build())))
                    .containsExactly("advocate");
            assertThat(fields(refusedWith(CaptureRequest.builder().code("J!").prospect(TestWorld.prospect())
                    .channel(Channel.LINK_OR_CODE).consent(ConsentBasis.PROSPECT_CONSENT).build())))
                    .containsExactly("code");
        }

        @Test
        @DisplayName("validation comes before business refusals: a paused program still reports bad fields")
        void validationBeforeRefusal() {
            w.engine.changeProgramStatus(program.id(), ProgramStatus.PAUSED);

            assertThat(fields(refusedWith(TestWorld.request(jane, program)
                    .prospect(Prospect.builder().fullName("Peter").email("bad").company("Initech").build())
                    .build()))).containsExactly("prospect.email");
        }
    }

    @Nested
    @DisplayName("idempotency")
    class Idempotency {

        @Test
        @DisplayName("the same key with the same payload returns the first referral, replayed, and writes nothing")
        void replay() {
            CaptureRequest request = TestWorld.request(jane, program).idempotencyKey("form-123").build();
            Referral first = w.engine.capture(request).acceptedReferral();
            Snapshot before = snapshot();
            w.clock.advance(Duration.ofMinutes(5));

            CaptureResult again = w.engine.capture(TestWorld.request(jane, program).idempotencyKey("form-123")
                    .build());

            assertThat(again).isEqualTo(new CaptureResult.Accepted(first, true));
            assertThat(snapshot()).isEqualTo(before);
            assertThat(w.listener.events(ReferralSubmitted.class)).hasSize(1);
        }

        @Test
        @DisplayName("a capture accepted for review and denied later replays as the accepted capture it was")
        void replayOfAFlaggedCaptureDeniedLater() {
            Signals shared = Signals.ip("203.0.113.7");
            CaptureRequest request = TestWorld.request(jane, program).signals(shared).advocateSignals(shared)
                    .idempotencyKey("form-flagged").build();
            CaptureResult first = w.engine.capture(request);
            assertThat(first).isInstanceOf(CaptureResult.Accepted.class);
            Referral recorded = first.acceptedReferral();
            assertThat(recorded.review()).isEqualTo(ReviewStatus.FLAGGED);
            w.clock.advance(Duration.ofHours(2));
            Referral denied = w.engine.denyReferral(recorded.id(), "ops-1", "shared office network is not enough");
            assertThat(denied.review()).isEqualTo(ReviewStatus.DENIED);
            assertThat(denied.stage()).isEqualTo(Stage.REJECTED);

            CaptureResult again = w.engine.capture(request);

            assertThat(again).isEqualTo(new CaptureResult.Accepted(recorded, true));
            assertThat(w.engine.referral(recorded.id())).contains(denied);
        }

        @Test
        @DisplayName("an accepted capture whose referral moved on and was won replays as first returned")
        void replayOfAReferralThatMovedOn() {
            CaptureRequest request = TestWorld.request(jane, program).idempotencyKey("form-won").build();
            Referral recorded = w.engine.capture(request).acceptedReferral();
            w.clock.advance(Duration.ofDays(3));
            w.engine.transition(TransitionRequest.of(recorded.id(), Stage.CONTACTED, TransitionCause.rep("rep-1")));
            w.engine.transition(TransitionRequest.of(recorded.id(), Stage.WON, TransitionCause.crm("salesforce")));

            CaptureResult again = w.engine.capture(request);

            assertThat(again).isEqualTo(new CaptureResult.Accepted(recorded, true));
            assertThat(w.engine.referral(recorded.id())).get().satisfies(r -> {
                assertThat(r.stage()).isEqualTo(Stage.WON);
                assertThat(r.version()).isGreaterThan(1);
            });
        }

        @Test
        @DisplayName("a capture rejected by the eligibility checks replays as the same rejection with the same reasons")
        void replayOfARejection() {
            Prospect herself = Prospect.builder().fullName("Jane Doe").email(jane.email()).company("Acme")
                    .companyDomain("acme.example").build();
            CaptureRequest request = TestWorld.request(jane, program).prospect(herself).idempotencyKey("form-self")
                    .build();
            CaptureResult first = w.engine.capture(request);
            assertThat(first).isInstanceOf(CaptureResult.Rejected.class);
            CaptureResult.Rejected rejected = (CaptureResult.Rejected) first;

            CaptureResult again = w.engine.capture(request);

            assertThat(again).isEqualTo(new CaptureResult.Rejected(rejected.referral(), rejected.reasons(), true));
        }

        @Test
        @DisplayName("a refused capture records nothing under its key: the repeat is decided afresh")
        void refusalsAreNotReplayed() {
            Advocate newcomer = w.advocate("newcomer", "New Comer");
            CaptureRequest request = TestWorld.request(newcomer, program).idempotencyKey("form-new").build();
            CaptureResult first = w.engine.capture(request);
            assertThat(first).isInstanceOfSatisfying(CaptureResult.Refused.class,
                    r -> assertThat(r.reason().code()).isEqualTo("advocate_not_enrolled"));
            w.engine.enrol(newcomer.id(), program.id());

            CaptureResult again = w.engine.capture(request);

            assertThat(again).isInstanceOfSatisfying(CaptureResult.Accepted.class,
                    a -> assertThat(a.replayed()).isFalse());
            assertThat(w.engine.capture(request)).isEqualTo(new CaptureResult.Accepted(again.acceptedReferral(),
                    true));
        }

        @Test
        @DisplayName("the payload is compared after normalisation: surrounding blanks and email case do not matter")
        void normalisedPayload() {
            w.engine.capture(TestWorld.request(jane, program).idempotencyKey("k1").build());

            Prospect same = Prospect.builder().fullName(" Peter Gibbons ").email("Peter.Gibbons@INITECH.com")
                    .company("Initech ").companyDomain("INITECH.COM").jobTitle("Director of Customer Success")
                    .seniority(TestWorld.prospect().seniority()).department("Customer Success")
                    .phone("+1 (555) 010-0100").attributes(Map.of("crm", "salesforce")).build();
            CaptureResult again = w.engine.capture(TestWorld.request(jane, program).prospect(same)
                    .idempotencyKey("k1").build());

            assertThat(again).isInstanceOf(CaptureResult.Accepted.class);
            assertThat(((CaptureResult.Accepted) again).replayed()).isTrue();
            assertThat(w.referrals()).hasSize(1);
        }

        @Test
        @DisplayName("the same key with a different payload is refused and nothing is written")
        void differentPayload() {
            w.engine.capture(TestWorld.request(jane, program).idempotencyKey("form-123").build());
            Snapshot before = snapshot();

            IdempotencyConflictException e = catchThrowableOfType(IdempotencyConflictException.class,
                    () -> w.engine.capture(TestWorld.request(jane, program).note("a different note")
                            .idempotencyKey("form-123").build()));

            assertThat(e).isNotNull();
            assertThat(e.isRetryable()).isFalse();
            assertThat(e.subject()).isEqualTo("idempotencyKey");
            assertThat(snapshot()).isEqualTo(before);
        }

        @Test
        @DisplayName("without a key, the same payload twice makes two referrals")
        void noKey() {
            w.captured(jane, program);
            w.captured(jane, program);

            assertThat(w.referrals()).hasSize(2);
        }

        @Test
        @DisplayName("many threads capturing with one key at once make exactly one referral")
        void concurrentSameKey() throws Exception {
            int threads = 16;
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<CaptureResult>> futures = new ArrayList<>();
            try {
                for (int i = 0; i < threads * 4; i++) {
                    Callable<CaptureResult> task = () -> {
                        start.await();
                        return w.engine.capture(TestWorld.request(jane, program).idempotencyKey("burst").build());
                    };
                    futures.add(pool.submit(task));
                }
                start.countDown();
                Set<Referral> referrals = new java.util.HashSet<>();
                int fresh = 0;
                for (Future<CaptureResult> f : futures) {
                    CaptureResult.Accepted a = (CaptureResult.Accepted) f.get(30, TimeUnit.SECONDS);
                    referrals.add(a.referral());
                    fresh += a.replayed() ? 0 : 1;
                }

                assertThat(referrals).hasSize(1);
                assertThat(fresh).isEqualTo(1);
                assertThat(w.referrals()).hasSize(1);
                assertThat(w.listener.events(ReferralSubmitted.class)).hasSize(1);
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Nested
    @DisplayName("business refusals")
    class Refusals {

        @Test
        @DisplayName("emit ReferralRefused on the advocate's stream and store no referral")
        void refusalEvent() {
            w.engine.changeProgramStatus(program.id(), ProgramStatus.PAUSED);
            List<OutboxEntry> before = w.stream(jane);

            CaptureResult r = w.engine.capture(TestWorld.request(jane, program).build());

            assertThat(r).isInstanceOf(CaptureResult.Refused.class);
            assertThat(w.referrals()).isEmpty();
            List<OutboxEntry> after = w.stream(jane);
            assertThat(after).hasSize(before.size() + 1);
            assertThat(after.get(after.size() - 1).event()).isInstanceOfSatisfying(ReferralRefused.class, e -> {
                assertThat(e.reason().code()).isEqualTo("program_paused");
                assertThat(e.advocate().id()).isEqualTo(jane.id());
                assertThat(e.programId()).isEqualTo(program.id());
                assertThat(e.metadata().sequence()).isEqualTo(before.size() + 1L);
            });
            assertThat(w.listener.events(ReferralRefused.class)).hasSize(1);
        }

        @Test
        @DisplayName("a refused capture with an idempotency key does not reserve the key")
        void refusalDoesNotReserveKey() {
            w.engine.changeProgramStatus(program.id(), ProgramStatus.PAUSED);
            assertThat(w.engine.capture(TestWorld.request(jane, program).idempotencyKey("k").build()).isAccepted())
                    .isFalse();
            w.engine.changeProgramStatus(program.id(), ProgramStatus.ACTIVE);

            CaptureResult r = w.engine.capture(TestWorld.request(jane, program).idempotencyKey("k").build());

            assertThat(r).isInstanceOfSatisfying(CaptureResult.Accepted.class,
                    a -> assertThat(a.replayed()).isFalse());
        }
    }
}
