package io.referrals.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.referrals.core.error.ConflictException;
import io.referrals.core.error.NotFoundException;
import io.referrals.core.error.ValidationException;
import io.referrals.core.event.CodeIssued;
import io.referrals.core.event.CodeRevoked;
import io.referrals.core.event.ReferralRefused;
import io.referrals.core.internal.CodeGenerator;
import io.referrals.core.model.Advocate;
import io.referrals.core.model.Channel;
import io.referrals.core.model.ConsentBasis;
import io.referrals.core.model.Program;
import io.referrals.core.model.Referral;
import io.referrals.core.model.ReferralCode;
import java.time.Duration;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("Referral codes")
class CodesTest {
    private final TestWorld w = new TestWorld();
    private final Program program = w.activeProgram();
    private final Advocate jane = w.enrolledAdvocate(program);

    private CaptureRequest byCode(String code) {
        return CaptureRequest.builder().code(code).prospect(TestWorld.prospect()).channel(Channel.LINK_OR_CODE)
                .consent(ConsentBasis.PROSPECT_CONSENT).build();
    }

    private static String refusal(CaptureResult r) {
        assertThat(r).isInstanceOf(CaptureResult.Refused.class);
        return ((CaptureResult.Refused) r).reason().code();
    }

    @Test
    @DisplayName("generated codes carry at least 64 bits of entropy")
    void entropy() {
        ReferralCode c = w.engine.issueCode(jane.id(), program.id());
        String key = c.key();
        Set<Character> alphabet = new HashSet<>();
        for (char ch : CodeGenerator.ALPHABET.toCharArray()) {
            alphabet.add(ch);
        }

        double bits = key.length() * (Math.log(alphabet.size()) / Math.log(2));

        assertThat(bits).isGreaterThanOrEqualTo(64.0);
        assertThat(CodeGenerator.entropyBits()).isGreaterThanOrEqualTo(64.0);
        assertThat(key.chars().mapToObj(ch -> (char) ch)).allMatch(alphabet::contains);
        assertThat(c.vanity()).isFalse();
    }

    @Test
    @DisplayName("generated codes never contain 0, O, 1, I or L, and do not repeat")
    void noAmbiguousCharacters() {
        CodeGenerator gen = new CodeGenerator(new SplittableRandom(42));
        Set<String> seen = new HashSet<>();
        Set<Integer> symbols = new HashSet<>();
        for (int i = 0; i < 20_000; i++) {
            String code = gen.next();
            assertThat(code).doesNotContainPattern("[0O1IL]");
            assertThat(ReferralCode.isWellFormed(code)).as(code).isTrue();
            assertThat(seen.add(ReferralCode.normalize(code))).as("repeat of %s", code).isTrue();
            ReferralCode.normalize(code).chars().forEach(symbols::add);
        }
        assertThat(symbols).hasSize(CodeGenerator.ALPHABET.length());
        assertThat(w.engine.issueCode(jane.id(), program.id()).code()).doesNotContainPattern("[0O1IL]");
    }

    @Test
    @DisplayName("lookup ignores case, hyphens and spaces")
    void lookupInsensitive() {
        ReferralCode c = w.engine.issueCode(jane.id(), program.id());
        String bare = c.key();

        assertThat(w.engine.findCode(c.code())).contains(c);
        assertThat(w.engine.findCode(bare.toLowerCase(Locale.ROOT))).contains(c);
        assertThat(w.engine.findCode(bare)).contains(c);
        assertThat(w.engine.findCode(c.code().replace('-', ' ').toLowerCase(Locale.ROOT))).contains(c);

        CaptureResult r = w.engine.capture(byCode(bare.toLowerCase(Locale.ROOT)));
        assertThat(r.isAccepted()).isTrue();
        Referral ref = r.acceptedReferral();
        assertThat(ref.advocateId()).isEqualTo(jane.id());
        assertThat(ref.programId()).isEqualTo(program.id());
        assertThat(ref.code()).isEqualTo(c.code());
    }

    @Test
    @DisplayName("a well-formed, unique vanity code is issued and found by any spelling")
    void vanityAccepted() {
        ReferralCode c = w.engine.issueVanityCode(jane.id(), program.id(), "Jane-Acme");

        assertThat(c.vanity()).isTrue();
        assertThat(c.code()).isEqualTo("Jane-Acme");
        assertThat(w.engine.findCode("JANEACME")).contains(c);
        assertThat(w.engine.findCode("jane acme")).contains(c);
        assertThat(w.engine.codes(jane.id())).containsExactly(c);
        assertThat(w.listener.events(CodeIssued.class)).singleElement()
                .satisfies(e -> assertThat(e.code()).isEqualTo("Jane-Acme"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"JA", "JANE--ACME", "JANE_ACME", "-JANE", "JÄNE", "JANE\u200BACME",
            "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456"})
    @DisplayName("a malformed vanity code is refused with a validation error on code")
    void vanityMalformed(String code) {
        ValidationException e = catchThrowableOfType(ValidationException.class,
                () -> w.engine.issueVanityCode(jane.id(), program.id(), code));

        assertThat(e).isNotNull();
        assertThat(e.errors()).extracting(io.referrals.core.error.FieldError::field).containsExactly("code");
        assertThat(w.engine.codes(jane.id())).isEmpty();
    }

    @Test
    @DisplayName("a vanity code taken under another spelling is a conflict, even by another advocate")
    void vanityNotUnique() {
        Advocate john = w.advocate("john", "John");
        w.engine.enrol(john.id(), program.id());
        ReferralCode first = w.engine.issueVanityCode(jane.id(), program.id(), "JANE-ACME");

        ConflictException e = catchThrowableOfType(ConflictException.class,
                () -> w.engine.issueVanityCode(john.id(), program.id(), "jane acme"));

        assertThat(e).isNotNull();
        assertThat(w.engine.findCode("JANEACME")).contains(first);
        assertThat(w.engine.codes(john.id())).isEmpty();
    }

    @Test
    @DisplayName("a code is issued only to an advocate enrolled in the program")
    void issueRequiresEnrolment() {
        Advocate john = w.advocate("john", "John");

        assertThat(catchThrowableOfType(ValidationException.class,
                () -> w.engine.issueCode(john.id(), program.id()))).isNotNull();
        assertThat(w.engine.codes(john.id())).isEmpty();
    }

    @Test
    @DisplayName("a revoked code refuses capture with reason code_revoked")
    void revoked() {
        ReferralCode c = w.engine.issueVanityCode(jane.id(), program.id(), "JANE-ACME");
        w.clock.advance(Duration.ofDays(2));

        ReferralCode revoked = w.engine.revokeCode("jane-acme");
        ReferralCode again = w.engine.revokeCode("JANEACME");
        CaptureResult r = w.engine.capture(byCode("JANE-ACME"));

        assertThat(revoked.isActive()).isFalse();
        assertThat(revoked.statusChangedAt()).isEqualTo(TestWorld.T0.plus(Duration.ofDays(2)));
        assertThat(again).isEqualTo(revoked);
        assertThat(w.engine.findCode(c.code())).contains(revoked);
        assertThat(refusal(r)).isEqualTo("code_revoked");
        assertThat(w.referrals()).isEmpty();
        assertThat(w.listener.events(CodeRevoked.class)).hasSize(1);
        assertThat(w.listener.events(ReferralRefused.class)).singleElement()
                .satisfies(e -> assertThat(e.reason().code()).isEqualTo("code_revoked"));
        assertThat(catchThrowableOfType(NotFoundException.class, () -> w.engine.revokeCode("NOPE-NOPE")))
                .isNotNull();
    }

    @Test
    @DisplayName("a code used with another program is refused with code_other_program")
    void otherProgram() {
        Program partners = w.activeProgram("partners", "Partner Program");
        w.engine.enrol(jane.id(), partners.id());
        w.engine.issueVanityCode(jane.id(), program.id(), "JANE-ACME");

        CaptureResult r = w.engine.capture(CaptureRequest.builder().code("JANE-ACME").program(partners.id())
                .prospect(TestWorld.prospect()).channel(Channel.LINK_OR_CODE)
                .consent(ConsentBasis.PROSPECT_CONSENT).build());

        assertThat(refusal(r)).isEqualTo("code_other_program");
        assertThat(w.referrals()).isEmpty();
        assertThat(w.listener.events(ReferralRefused.class)).singleElement()
                .satisfies(e -> assertThat(e.programId()).isEqualTo(partners.id()));
    }

    @Test
    @DisplayName("an unknown code is refused with code_unknown and writes nothing")
    void unknown() {
        int eventsBefore = w.listener.events().size();

        CaptureResult r = w.engine.capture(byCode("NOPE-NOPE"));

        assertThat(refusal(r)).isEqualTo("code_unknown");
        assertThat(w.referrals()).isEmpty();
        assertThat(w.listener.events()).hasSize(eventsBefore);
    }
}
