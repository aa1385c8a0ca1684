package io.referrals.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.referrals.core.error.FieldError;
import io.referrals.core.error.ValidationException;
import io.referrals.core.event.EventStreams;
import io.referrals.core.model.Advocate;
import io.referrals.core.model.AdvocateId;
import io.referrals.core.model.AdvocateKind;
import io.referrals.core.model.ConsentBasis;
import io.referrals.core.model.Money;
import io.referrals.core.model.Outcome;
import io.referrals.core.model.Program;
import io.referrals.core.model.ProgramId;
import io.referrals.core.model.ProgramKind;
import io.referrals.core.model.ProgramStatus;
import io.referrals.core.model.Prospect;
import io.referrals.core.model.Referral;
import io.referrals.core.model.Stage;
import io.referrals.core.model.TimelineEntry;
import io.referrals.core.model.TransitionCause;
import io.referrals.core.storage.ReferralQuery;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Importing historical referrals")
class ReferralImportTest {
    private static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");
    private final ReferralEngine engine = ReferralEngine.builder().clock(Clock.fixed(NOW, ZoneOffset.UTC)).build();
    private final Program program = engine.defineProgram(Program.builder(ProgramId.of("p"), "Program",
            ProgramKind.CUSTOMER).status(ProgramStatus.ACTIVE).build());
    private final Advocate jane = engine.registerAdvocate(AdvocateRegistration.of("ext-1", "Jane", "jane@acme.example",
            AdvocateKind.CUSTOMER));

    private ImportedReferral.Builder row(String company) {
        return ImportedReferral.builder().advocate(jane.id()).program(program.id())
                .prospect(Prospect.builder().fullName("P " + company).email("p@" + company + ".example")
                        .company(company).build())
                .consent(ConsentBasis.PROSPECT_CONSENT)
                .submittedAt(Instant.parse("2025-01-10T09:00:00Z"));
    }

    @Test
    void keepsSubmissionTimesStageHistoryAndDealValue() {
        Instant won = Instant.parse("2025-03-01T12:00:00Z");
        List<Referral> imported = engine.importReferrals(List.of(
                row("initech").move(Stage.QUALIFIED, Instant.parse("2025-02-01T00:00:00Z"), TransitionCause.crm("sf"),
                        "006A").move(Stage.WON, won, TransitionCause.crm("sf"), "006A")
                        .dealValue(Money.of("12000", "EUR")).build(),
                row("globex").build()));

        assertThat(imported).hasSize(2);
        Referral first = engine.referral(imported.get(0).id()).orElseThrow();
        assertThat(first.stage()).isEqualTo(Stage.WON);
        assertThat(first.outcome()).contains(Outcome.WON);
        assertThat(first.submittedAt()).isEqualTo(Instant.parse("2025-01-10T09:00:00Z"));
        assertThat(first.updatedAt()).isEqualTo(won);
        assertThat(first.dealValue()).contains(Money.of("12000.00", "EUR"));
        assertThat(engine.timeline(first.id())).extracting(TimelineEntry::sequence, TimelineEntry::to)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1, Stage.QUALIFIED),
                        org.assertj.core.groups.Tuple.tuple(2, Stage.WON));
        assertThat(engine.referral(imported.get(1).id()).orElseThrow().stage()).isEqualTo(Stage.SUBMITTED);
    }

    @Test
    void emitsNoEventsBecauseHistoryIsNotNews() {
        Referral r = engine.importReferrals(List.of(row("initech").build())).get(0);
        assertThat(engine.events(EventStreams.of(r.id()))).isEmpty();
    }

    @Test
    void refusesTheWholeBatchNamingEveryBadRowAndWritesNothing() {
        ImportedReferral illegal = row("initech").move(Stage.WON, Instant.parse("2025-02-01T00:00:00Z"),
                TransitionCause.host("import"), "").move(Stage.CONTACTED, Instant.parse("2025-02-02T00:00:00Z"),
                TransitionCause.host("import"), "").build();
        ImportedReferral unknownAdvocate = row("globex").advocate(AdvocateId.of("nobody")).build();
        ImportedReferral badEmail = row("umbrella").prospect(Prospect.builder().fullName("X").email("not-an-email")
                .company("Umbrella").build()).build();

        assertThatThrownBy(() -> engine.importReferrals(List.of(row("ok").build(), badEmail)))
                .isInstanceOf(ValidationException.class)
                .satisfies(e -> assertThat(((ValidationException) e).errors()).extracting(FieldError::field)
                        .containsExactly("rows[1].prospect.email"));
        assertThatThrownBy(() -> engine.importReferrals(List.of(row("ok").build(), illegal, unknownAdvocate)))
                .isInstanceOf(ValidationException.class)
                .satisfies(e -> assertThat(((ValidationException) e).errors()).extracting(FieldError::field)
                        .containsExactly("rows[1].moves[1]", "rows[2].advocateId"));
        assertThat(engine.referrals(ReferralQuery.builder().build())).isEmpty();
    }

    @Test
    void refusesAReusedImportKeyWithoutWritingTheBatch() {
        engine.importReferrals(List.of(row("initech").importKey("row-1").build()));
        assertThatThrownBy(() -> engine.importReferrals(List.of(row("globex").importKey("row-2").build(),
                row("umbrella").importKey("row-1").build())))
                .isInstanceOf(io.referrals.core.error.ConflictException.class);
        assertThat(engine.referrals(ReferralQuery.builder().build())).hasSize(1);
    }
}
