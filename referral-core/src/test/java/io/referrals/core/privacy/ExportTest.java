package io.referrals.core.privacy;

import static io.referrals.core.eligibility.Fixture.request;
import static org.assertj.core.api.Assertions.assertThat;

import io.referrals.core.TransitionRequest;
import io.referrals.core.eligibility.Fixture;
import io.referrals.core.model.Advocate;
import io.referrals.core.model.Prospect;
import io.referrals.core.model.Referral;
import io.referrals.core.model.Stage;
import io.referrals.core.model.TransitionCause;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Export of personal data")
class ExportTest {

    @Test
    void a_prospect_export_holds_every_referral_of_the_person_with_its_history_as_records_and_json() {
        Fixture f = new Fixture();
        Advocate a = f.customer("a", "a@alpha.com");
        Prospect p = Prospect.builder().fullName("Zoë \"Z\" O'Brien").email("zoe@initech.com").company("Initech")
                .companyDomain("initech.com").build();
        Referral r = f.engine.capture(request(a, p).note("line one\n\tline two").build())
                .acceptedReferral();
        f.engine.transition(new TransitionRequest(r.id(), Stage.CONTACTED, TransitionCause.rep("rep-1"), "", ""));

        ProspectExport export = f.engine.exportProspect("ZOE+x@initech.com");

        assertThat(export.referrals()).singleElement().satisfies(e -> {
            assertThat(e.referralId()).isEqualTo(r.id());
            assertThat(e.prospect().email()).isEqualTo("zoe@initech.com");
            assertThat(e.stage()).isEqualTo(Stage.CONTACTED);
            assertThat(e.timeline()).hasSize(1);
        });
        String json = export.toJson();
        assertThat(json).startsWith("{\"generatedAt\":\"2026-03-02T09:15:00Z\",\"referrals\":[{\"referralId\":\""
                + r.id().value() + "\"");
        assertThat(json).contains("\"fullName\":\"Zoë \\\"Z\\\" O'Brien\"", "\"note\":\"line one\\n\\tline two\"",
                "\"consent\":\"ADVOCATE_INTRODUCTION\"", "\"to\":{\"name\":\"contacted\"}");
        assertThat(json.chars().filter(c -> c == '{').count()).isEqualTo(json.chars().filter(c -> c == '}').count());
    }

    @Test
    void an_advocate_export_holds_the_record_codes_and_referrals_made() {
        Fixture f = new Fixture();
        Advocate a = f.customer("a", "ann@alpha.com");
        String code = f.code(a).code();
        f.capture(a, Fixture.prospect("P", "p@initech.com", "Initech", ""));

        AdvocateExport export = f.engine.exportAdvocate(a.id());

        assertThat(export.advocate()).isEqualTo(f.engine.advocate(a.id()).orElseThrow());
        assertThat(export.codes()).extracting(c -> c.code()).containsExactly(code);
        assertThat(export.referrals()).singleElement().satisfies(e -> assertThat(e.prospectCompany())
                .isEqualTo("Initech"));
        assertThat(export.enrolments()).hasSize(1);
        assertThat(export.toJson()).contains("\"email\":\"ann@alpha.com\"", "\"code\":\"" + code + "\"");
    }

    @Test
    void nothing_is_exported_for_an_unknown_person() {
        Fixture f = new Fixture();
        assertThat(f.engine.exportProspect("nobody@nowhere.org").referrals()).isEmpty();
        assertThat(f.engine.exportProspect("nobody@nowhere.org").toJson())
                .isEqualTo("{\"generatedAt\":\"2026-03-02T09:15:00Z\",\"referrals\":[]}");
    }
}
