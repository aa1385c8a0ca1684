package io.referrals.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.referrals.core.error.FieldError;
import io.referrals.core.error.ValidationException;
import io.referrals.core.model.Advocate;
import io.referrals.core.model.Channel;
import io.referrals.core.model.ConsentBasis;
import io.referrals.core.model.Program;
import io.referrals.core.model.Prospect;
import io.referrals.core.model.Referral;
import io.referrals.core.storage.OutboxEntry;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/**
 * Arbitrary text (any unicode, control and invisible characters, huge strings) in any capture field ends in exactly
 * one of: accepted, refused for a business reason, or a ValidationException naming that field. Never another
 * exception, never a partial write.
 */
class CaptureInputProperties {

    /** A capture field and the path its errors are reported under. */
    enum Field {
        FULL_NAME("prospect.fullName"),
        EMAIL("prospect.email"),
        COMPANY("prospect.company"),
        COMPANY_DOMAIN("prospect.companyDomain"),
        JOB_TITLE("prospect.jobTitle"),
        DEPARTMENT("prospect.department"),
        PHONE("prospect.phone"),
        ATTRIBUTE_KEY("prospect.attributes"),
        ATTRIBUTE_VALUE("prospect.attributes"),
        SALES_REP("salesRep"),
        SALES_REP_CHANNEL("salesRep"),
        NOTE("note"),
        IDEMPOTENCY_KEY("idempotencyKey"),
        CODE("code");

        final String path;

        Field(String path) {
            this.path = path;
        }
    }

    private static final Set<String> ALL_PATHS = Set.of("prospect.fullName", "prospect.email", "prospect.company",
            "prospect.companyDomain", "prospect.jobTitle", "prospect.department", "prospect.phone",
            "prospect.attributes", "salesRep", "note", "idempotencyKey");

    @Provide
    Arbitrary<String> text() {
        return Arbitraries.oneOf(
                Arbitraries.strings().all().ofMaxLength(40),
                Arbitraries.strings().all().ofMinLength(100).ofMaxLength(2500),
                Arbitraries.strings().all().ofMinLength(1).ofMaxLength(4).map(s -> s.repeat(70_000 / s.length())),
                Arbitraries.strings().withCharRange('\u0000', '\u001f').withCharRange('a', 'z').ofMaxLength(20),
                Arbitraries.strings().withChars("\u200B\u200C\u200D\u2060\uFEFF\u202A\u202B\u202C\u202D\u202E"
                        + "\u2066\u2067\u2068\u2069\u00A0\u2028\u0085 \t\r\n").withCharRange('a', 'z').ofMaxLength(20),
                Arbitraries.strings().ascii().ofMaxLength(60),
                Arbitraries.strings().alpha().numeric().withChars("@.-+() ").ofMaxLength(30),
                Arbitraries.of("", " ", "   ", "peter@initech.com", "PETER@INITECH.COM", "initech.com",
                        "xn--nxasmq6b.com", "+1 (555) 010-0100", "Initech", "JANE-ACME", "jane acme", "\uD800",
                        "\uDC00abc", "\uD83D\uDE00", "e\u0301", "I\u0307", "\uFFFF", "\uE000", "null"));
    }

    private static final class World {
        final TestWorld w = new TestWorld();
        final Program program = w.activeProgram();
        final Advocate jane = w.enrolledAdvocate(program);

        World() {
            w.engine.issueVanityCode(jane.id(), program.id(), "JANE-ACME");
        }

        List<Referral> referrals() {
            return w.referrals();
        }

        List<OutboxEntry> advocateEvents() {
            return w.stream(jane);
        }
    }

    private static CaptureRequest request(World world, Field field, String value) {
        Prospect.Builder p = Prospect.builder().fullName("Peter Gibbons").email("peter@initech.com")
                .company("Initech").companyDomain("initech.com").attributes(Map.of("crm", "salesforce"));
        CaptureRequest.Builder r = CaptureRequest.builder().channel(Channel.REFERRAL_FORM)
                .consent(ConsentBasis.PROSPECT_CONSENT);
        if (field == Field.CODE) {
            r.code(value);
        } else {
            r.advocate(world.jane.id()).program(world.program.id());
        }
        switch (field) {
            case FULL_NAME -> p.fullName(value);
            case EMAIL -> p.email(value);
            case COMPANY -> p.company(value);
            case COMPANY_DOMAIN -> p.companyDomain(value);
            case JOB_TITLE -> p.jobTitle(value);
            case DEPARTMENT -> p.department(value);
            case PHONE -> p.phone(value);
            case ATTRIBUTE_KEY -> p.attributes(Map.of(value, "x"));
            case ATTRIBUTE_VALUE -> p.attributes(Map.of("crm", value));
            case SALES_REP -> r.salesRep(value);
            case SALES_REP_CHANNEL -> r.channel(Channel.SALES_REP).salesRep(value);
            case NOTE -> r.note(value);
            case IDEMPOTENCY_KEY -> r.idempotencyKey(value);
            case CODE -> { }
            default -> throw new AssertionError(field);
        }
        return r.prospect(p.build()).build();
    }

    @Property(tries = 1500)
    @Label("any text in one capture field is accepted, refused, or named in a ValidationException; never half-written")
    void oneField(@ForAll Field field, @ForAll("text") String value) {
        World world = new World();
        List<Referral> before = world.referrals();
        List<OutboxEntry> eventsBefore = world.advocateEvents();

        CaptureResult result;
        try {
            result = world.w.engine.capture(request(world, field, value));
        } catch (ValidationException e) {
            assertThat(e.errors()).extracting(FieldError::field)
                    .allSatisfy(f -> assertThat(f).startsWith(field.path));
            assertThat(world.referrals()).isEqualTo(before);
            assertThat(world.advocateEvents()).isEqualTo(eventsBefore);
            return;
        }
        if (result instanceof CaptureResult.Accepted a) {
            assertThat(a.replayed()).isFalse();
            assertThat(world.referrals()).containsExactly(a.referral());
            assertThat(world.w.engine.referral(a.referral().id())).contains(a.referral());
        } else {
            assertThat(field).as("only a code can be refused here").isEqualTo(Field.CODE);
            assertThat(((CaptureResult.Refused) result).reason().code()).isEqualTo("code_unknown");
            assertThat(world.referrals()).isEqualTo(before);
        }
    }

    @Property(tries = 500)
    @Label("arbitrary text in every capture field at once: accepted, or every error names a capture field")
    void allFields(@ForAll @Size(12) List<@From("text") String> v, @ForAll boolean salesRepChannel) {
        World world = new World();
        Prospect prospect = Prospect.builder().fullName(v.get(0)).email(v.get(1)).company(v.get(2))
                .companyDomain(v.get(3)).jobTitle(v.get(4)).department(v.get(5)).phone(v.get(6))
                .attributes(Map.of(v.get(7), v.get(8))).build();
        CaptureRequest request = CaptureRequest.builder().advocate(world.jane.id()).program(world.program.id())
                .prospect(prospect).channel(salesRepChannel ? Channel.SALES_REP : Channel.DIRECT_EMAIL)
                .salesRep(v.get(9)).consent(ConsentBasis.ADVOCATE_INTRODUCTION).note(v.get(10))
                .idempotencyKey(v.get(11)).build();
        List<OutboxEntry> eventsBefore = world.advocateEvents();

        try {
            CaptureResult result = world.w.engine.capture(request);
            assertThat(result).isInstanceOf(CaptureResult.Accepted.class);
            assertThat(world.referrals()).hasSize(1);
        } catch (ValidationException e) {
            assertThat(e.errors()).extracting(FieldError::field).allSatisfy(f -> assertThat(ALL_PATHS)
                    .anySatisfy(path -> assertThat(f).startsWith(path)));
            assertThat(world.referrals()).isEmpty();
            assertThat(world.advocateEvents()).isEqualTo(eventsBefore);
        }
    }
}
