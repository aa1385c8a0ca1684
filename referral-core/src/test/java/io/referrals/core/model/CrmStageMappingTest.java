package io.referrals.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("CrmStageMapping")
class CrmStageMappingTest {

    @ParameterizedTest(name = "Salesforce opportunity stage ''{0}'' maps to {1}")
    @CsvSource(delimiter = '|', value = {
            "Prospecting|contacted",
            "Qualification|qualified",
            "Needs Analysis|qualified",
            "Value Proposition|opportunity",
            "Id. Decision Makers|opportunity",
            "Perception Analysis|opportunity",
            "Proposal/Price Quote|opportunity",
            "Negotiation/Review|opportunity",
            "Closed Won|won",
            "Closed Lost|lost"})
    void salesforceOpportunityStages(String crm, String stage) {
        assertThat(CrmStageMapping.salesforceOpportunityStages().resolve(crm)).contains(Stage.of(stage));
        assertThat(CrmStageMapping.standard().resolve(crm)).contains(Stage.of(stage));
    }

    @ParameterizedTest(name = "Salesforce lead status ''{0}'' maps to {1}")
    @CsvSource(delimiter = '|', value = {
            "Open - Not Contacted|submitted",
            "Working - Contacted|contacted",
            "Closed - Converted|qualified",
            "Closed - Not Converted|lost"})
    void salesforceLeadStatuses(String crm, String stage) {
        assertThat(CrmStageMapping.salesforceLeadStatuses().resolve(crm)).contains(Stage.of(stage));
        assertThat(CrmStageMapping.standard().resolve(crm)).contains(Stage.of(stage));
    }

    @ParameterizedTest(name = "HubSpot deal stage ''{0}'' maps to {1}")
    @CsvSource(delimiter = '|', value = {
            "appointmentscheduled|meeting_held",
            "qualifiedtobuy|qualified",
            "presentationscheduled|opportunity",
            "decisionmakerboughtin|opportunity",
            "contractsent|opportunity",
            "closedwon|won",
            "closedlost|lost"})
    void hubspotDealStages(String crm, String stage) {
        assertThat(CrmStageMapping.hubspotDealStages().resolve(crm)).contains(Stage.of(stage));
        assertThat(CrmStageMapping.standard().resolve(crm)).contains(Stage.of(stage));
    }

    @ParameterizedTest(name = "''{0}'' is the same key as Closed Won")
    @ValueSource(strings = {"Closed Won", "closed won", "CLOSED WON", "closed-won", "closed_won", "closedwon",
            "  Closed   Won  ", "Closed\tWon", "closed.won!", "Clösed Wön"})
    @DisplayName("names match regardless of case, spacing, punctuation and accents")
    void caseSpacingPunctuation(String crm) {
        assertThat(CrmStageMapping.standard().resolve(crm)).contains(Stage.WON);
    }

    @Test
    @DisplayName("Salesforce lead statuses match without their dashes and spaces")
    void leadStatusVariants() {
        CrmStageMapping m = CrmStageMapping.standard();
        assertThat(m.resolve("open-not-contacted")).contains(Stage.SUBMITTED);
        assertThat(m.resolve("WORKING CONTACTED")).contains(Stage.CONTACTED);
        assertThat(m.resolve("Id Decision Makers")).contains(Stage.OPPORTUNITY);
        assertThat(m.resolve("Proposal / Price Quote")).contains(Stage.OPPORTUNITY);
    }

    @ParameterizedTest(name = "''{0}'' is reported as unmapped")
    @ValueSource(strings = {"", "   ", "---", "Closed", "Won", "Closed Wonderful", "Negotiation", "demo",
            "appointment", "closedwon2"})
    @DisplayName("an unmapped name resolves to empty, never to a near match")
    void unmappedNotGuessed(String crm) {
        assertThat(CrmStageMapping.standard().resolve(crm)).isEmpty();
    }

    @Test
    @DisplayName("the empty mapping resolves nothing")
    void none() {
        assertThat(CrmStageMapping.none().resolve("Closed Won")).isEmpty();
        assertThat(CrmStageMapping.none().entries()).isEmpty();
    }

    @Test
    @DisplayName("a host's own entries override and extend the standard ones")
    void customEntries() {
        CrmStageMapping m = CrmStageMapping.standard()
                .with("Demo Done", Stage.MEETING_HELD)
                .and(CrmStageMapping.of(Map.of("Closed Won", "opportunity")));

        assertThat(m.resolve("demo-done")).contains(Stage.MEETING_HELD);
        assertThat(m.resolve("closedwon")).contains(Stage.OPPORTUNITY);
        assertThat(CrmStageMapping.standard().resolve("closedwon")).contains(Stage.WON);
    }

    @Test
    @DisplayName("a CRM name with no letter or digit cannot be mapped")
    void emptyKeyRefused() {
        assertThatThrownBy(() -> CrmStageMapping.of(Map.of("--", "won")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    @DisplayName("every standard mapping targets a stage of the B2B default pipeline")
    void standardFitsDefaultPipeline() {
        StagePipeline p = StagePipeline.b2bDefault();
        assertThat(CrmStageMapping.standard().entries().values()).allMatch(p::contains);
        // Salesforce's "Closed Won"/"Closed Lost" and HubSpot's closedwon/closedlost share keys (and stages)
        assertThat(CrmStageMapping.standard().entries()).hasSize(10 + 4 + 7 - 2);
    }

    @Test
    @DisplayName("a program refuses a mapping onto a stage its pipeline lacks")
    void programChecksMapping() {
        StagePipeline small = StagePipeline.builder().stage("new").terminal("done", Outcome.WON)
                .transition("new", "done").build();

        assertThatThrownBy(() -> Program.builder(ProgramId.of("p"), "P", ProgramKind.PARTNER)
                .pipeline(small).crmMapping(CrmStageMapping.standard()).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(Program.builder(ProgramId.of("p"), "P", ProgramKind.PARTNER).pipeline(small).build()
                .crmMapping()).isEqualTo(CrmStageMapping.none());
    }
}
