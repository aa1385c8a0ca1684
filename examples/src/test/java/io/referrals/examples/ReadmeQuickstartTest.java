package io.referrals.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.referrals.core.AdvocateRegistration;
import io.referrals.core.CaptureRequest;
import io.referrals.core.CaptureResult;
import io.referrals.core.ReferralEngine;
import io.referrals.core.event.AdvocateSummary;
import io.referrals.core.event.ReferralListener;
import io.referrals.core.event.StageChanged;
import io.referrals.core.model.Advocate;
import io.referrals.core.model.AdvocateKind;
import io.referrals.core.model.Channel;
import io.referrals.core.model.ConsentBasis;
import io.referrals.core.model.Program;
import io.referrals.core.model.ProgramId;
import io.referrals.core.model.ProgramKind;
import io.referrals.core.model.ProgramStatus;
import io.referrals.core.model.Prospect;
import io.referrals.core.model.Referral;
import io.referrals.core.model.Stage;
import io.referrals.core.model.TransitionCause;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The README's quickstart, verbatim between the markers, so the README stays true. */
@DisplayName("The README quickstart")
class ReadmeQuickstartTest {
    private final List<String> told = new ArrayList<>();
    private final byte[] secretBytes = "readme-quickstart-secret".getBytes(StandardCharsets.UTF_8);

    private void tellAdvocate(AdvocateSummary advocate, String message) {
        told.add(advocate.displayName() + ": " + message);
    }

    @Test
    @DisplayName("captures by code, follows a CRM stage, and tells the advocate after commit")
    void runs() {
        // ---- README quickstart begins
        ReferralEngine engine = ReferralEngine.builder()           // in-memory store, system clock
                .matchKeySecret(secretBytes)                        // HMAC key for duplicate matching (16+ bytes)
                .listener(new ReferralListener() {                  // called after commit
                    @Override public void onStageChanged(StageChanged e) {
                        tellAdvocate(e.referral().advocate(), "Your referral to " + e.referral().prospectCompany()
                                + " is now " + e.transition().to());
                    }
                })
                .build();
        Program program = engine.defineProgram(Program.builder(ProgramId.of("customers"), "Customer referrals",
                ProgramKind.CUSTOMER).status(ProgramStatus.ACTIVE).build());   // B2B default stages + CRM mappings
        Advocate jane = engine.registerAdvocate(AdvocateRegistration.of("crm-42", "Jane", "jane@acme.example",
                AdvocateKind.CUSTOMER));
        engine.enrol(jane.id(), program.id());
        engine.issueVanityCode(jane.id(), program.id(), "JANE-ACME");
        CaptureResult result = engine.capture(CaptureRequest.builder().code("jane-acme")
                .prospect(Prospect.builder().fullName("Peter").email("peter@initech.example").company("Initech").build())
                .channel(Channel.LINK_OR_CODE).consent(ConsentBasis.ADVOCATE_INTRODUCTION).build());
        Referral referral = result.acceptedReferral();                // or recorded(), an Optional
        engine.applyCrmStage(referral.id(), "Closed Won", TransitionCause.crm("salesforce"), "006Dn000004ABC");
        // ---- README quickstart ends

        assertThat(engine.referral(referral.id()).orElseThrow().stage()).isEqualTo(Stage.WON);
        assertThat(told).containsExactly("Jane: Your referral to Initech is now won");
    }

    @Test
    @DisplayName("is the code the README shows")
    void matchesTheReadme() throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"));
        String block = readme.substring(readme.indexOf("```java\n", readme.indexOf("## Quickstart")) + 8);
        block = block.substring(0, block.indexOf("```"));
        String test = Files.readString(Path.of("src/test/java/io/referrals/examples/ReadmeQuickstartTest.java"));
        String code = test.substring(test.indexOf("// ---- README quickstart begins"), test.indexOf(
                "// ---- README quickstart ends"));
        code = code.substring(code.indexOf('\n') + 1);
        assertThat(stripped(code)).isEqualTo(stripped(block));
    }

    private static List<String> stripped(String text) {
        return text.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
    }
}
