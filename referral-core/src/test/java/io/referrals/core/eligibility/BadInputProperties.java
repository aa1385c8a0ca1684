package io.referrals.core.eligibility;

import static io.referrals.core.eligibility.Fixture.PROGRAM;
import static org.assertj.core.api.Assertions.assertThat;

import io.referrals.core.CaptureRequest;
import io.referrals.core.CaptureResult;
import io.referrals.core.error.FieldError;
import io.referrals.core.error.ValidationException;
import io.referrals.core.event.EventStreams;
import io.referrals.core.model.Advocate;
import io.referrals.core.model.Channel;
import io.referrals.core.model.ConsentBasis;
import io.referrals.core.model.Prospect;
import io.referrals.core.privacy.MatchKeys;
import io.referrals.core.storage.ReferralQuery;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Histogram;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.statistics.StatisticsReport;

/**
 * Arbitrary text, unicode tricks (homoglyphs, right-to-left marks, zero-width and control characters, lone surrogates,
 * very long values) and malformed emails and domains, fed through capture, the checks and the privacy operations.
 */
class BadInputProperties {
    private static final Set<String> CAPTURE_FIELDS = Set.of("prospect.fullName", "prospect.email", "prospect.company",
            "prospect.companyDomain", "prospect.jobTitle", "prospect.department", "prospect.phone", "note",
            "idempotencyKey", "salesRep", "code", "signals.ip", "signals.userAgent", "signals.deviceId",
            "advocateSignals.ip", "advocateSignals.userAgent", "advocateSignals.deviceId", "prospect.attributes");

    /** Example values the fixed error texts themselves contain. */
    private static final String TEMPLATE_EXAMPLES = "name@example.com example.com";

    @Provide
    Arbitrary<String> nasty() {
        Arbitrary<String> base = Arbitraries.of("jane@example.com", "Jane Doe", "initech.com", "", "a@b.co",
                "xn--80ak6aa92e.com", "\u0430pple.com", "j\u0430ne@example.com", "jane@@example.com", "jane@example",
                "@example.com", "jane@.com", "jane@-bad-.com", "jane+tag@gmail.com", "Initech GmbH", "+1 555 0100",
                "203.0.113.7", "Mozilla/5.0", "ACME-2024");
        Arbitrary<String> specials = Arbitraries.of("\u200b", "\u200d", "\ufeff", "\u202e", "\u200f", "\u0430",
                "\u0000", "\n", "\t", "\r", "\ud800", "\udc00", "\uD83D\uDE00", "e\u0301", "\u2028", "@", ".", "+",
                "-", " ", "\"", "\\", "<script>", "%00", "\u00a0");
        Arbitrary<String> mutated = Combinators.combine(base, specials, Arbitraries.integers().between(0, 40))
                .as((b, s, i) -> b.substring(0, Math.min(i, b.length())) + s + b.substring(Math.min(i, b.length())));
        Arbitrary<String> any = Arbitraries.strings().all().ofMaxLength(40);
        Arbitrary<String> longs = Combinators.combine(base, Arbitraries.strings().withCharRange('a', 'z')
                .ofMinLength(200).ofMaxLength(5000)).as((b, l) -> l + b);
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, mutated), net.jqwik.api.Tuple.of(3, any), net.jqwik.api.Tuple.of(1, longs),
                net.jqwik.api.Tuple.of(2, base));
    }

    private Arbitrary<String> mostly(Arbitrary<String> valid) {
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(6, valid), net.jqwik.api.Tuple.of(1, nasty()));
    }

    @Provide
    Arbitrary<String> name() {
        return mostly(Arbitraries.of("Pat Lee", "Zoë O'Brien", "Jürgen Groß", "李小龙", "Ахмед"));
    }

    @Provide
    Arbitrary<String> email() {
        return mostly(Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(12)
                .map(s -> s + "@initech.com"));
    }

    @Provide
    Arbitrary<String> company() {
        return mostly(Arbitraries.of("Initech", "Ｉｎｉｔｅｃｈ", "Initech аG"));
    }

    @Provide
    Arbitrary<String> domain() {
        return mostly(Arbitraries.of("", "initech.com", "eu.initech.co.uk"));
    }

    @Provide
    Arbitrary<String> phone() {
        return mostly(Arbitraries.of("", "+1 555 0100"));
    }

    @Provide
    Arbitrary<String> plain() {
        return mostly(Arbitraries.of("", "fits well", "203.0.113.7"));
    }

    @Property(tries = 400)
    @StatisticsReport(format = Histogram.class)
    @Label("capture ends accepted, rejected, refused or with a validation error naming the field; nothing else")
    void captureNeverFailsOtherwise(@ForAll("name") String name, @ForAll("email") String email,
            @ForAll("company") String company, @ForAll("domain") String domain, @ForAll("phone") String phone,
            @ForAll("plain") String note, @ForAll("plain") String ip, @ForAll("plain") String attribute,
            @ForAll boolean byCode) {
        Fixture f = new Fixture();
        Advocate a = f.customer("a", "a@alpha.com");
        String code = f.code(a).code();
        Prospect p = Prospect.builder().fullName(name).email(email).company(company).companyDomain(domain)
                .phone(phone).attributes(Map.of("crm", attribute)).build();
        CaptureRequest.Builder r = CaptureRequest.builder().prospect(p).channel(Channel.REFERRAL_FORM)
                .consent(ConsentBasis.PROSPECT_CONSENT).note(note).signals(new Signals(ip, name, ""))
                .advocateSignals(Signals.ip(ip));
        r = byCode ? r.code(name.length() % 3 == 0 ? email : code) : r.advocate(a.id()).program(PROGRAM);
        int referralsBefore = referrals(f);
        int eventsBefore = f.engine.events(EventStreams.of(a.id())).size();

        try {
            CaptureResult result = f.engine.capture(r.build());
            Statistics.collect(result.getClass().getSimpleName());
            int expected = result instanceof CaptureResult.Refused ? referralsBefore : referralsBefore + 1;
            assertThat(referrals(f)).isEqualTo(expected);
        } catch (ValidationException e) {
            Statistics.collect("ValidationException");
            assertThat(e.errors()).isNotEmpty();
            for (FieldError fe : e.errors()) {
                assertThat(CAPTURE_FIELDS).anyMatch(allowed -> fe.field().startsWith(allowed));
            }
            assertThat(referrals(f)).isEqualTo(referralsBefore);
            assertThat(f.engine.events(EventStreams.of(a.id()))).hasSize(eventsBefore);
            Statistics.coverage(c -> {
                c.check("Accepted").count(n -> n > 0);
                c.check("ValidationException").count(n -> n > 0);
            });
            for (String value : new String[] {name, email, company, phone, note}) {
                if (value.strip().length() >= 6 && !TEMPLATE_EXAMPLES.contains(value)) {
                    assertThat(e.getMessage()).doesNotContain(value);
                }
            }
        }
    }

    @Property(tries = 300)
    @Label("domain and email helpers answer for any text without throwing")
    void helpersAcceptAnyText(@ForAll("nasty") String value) {
        MatchKeys keys = MatchKeys.withSecret(Fixture.SECRET);
        String normal = MatchKeys.normalizeEmail(value);
        assertThat(normal).isEqualTo(MatchKeys.normalizeEmail(normal.isEmpty() ? value : normal));
        keys.emailKey(value);
        keys.domainKey(value);
        EmailDomains.registrableDomain(value);
        EmailDomains.companyDomain(value);
        EmailDomains.isDisposable(value);
        EmailDomains.isFreeMail(value);
    }

    @Property(tries = 100)
    @Label("erasure and export accept any text or refuse it as a bad email field")
    void privacyOperationsAcceptAnyText(@ForAll("nasty") String email) {
        Fixture f = new Fixture();
        try {
            assertThat(f.engine.exportProspect(email).referrals()).isEmpty();
            assertThat(f.engine.eraseProspect(email).referrals()).isZero();
        } catch (ValidationException e) {
            assertThat(e.errors()).extracting(FieldError::field).containsOnly("email");
        }
    }

    private static int referrals(Fixture f) {
        return f.engine.referrals(ReferralQuery.builder().program(PROGRAM).build()).size();
    }
}
