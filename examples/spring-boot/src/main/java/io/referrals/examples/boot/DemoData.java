package io.referrals.examples.boot;

import io.referrals.core.AdvocateRegistration;
import io.referrals.core.ReferralEngine;
import io.referrals.core.model.Advocate;
import io.referrals.core.model.AdvocateKind;
import io.referrals.core.model.ProgramId;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

/**
 * Demo data, idempotent across restarts: the advocate Jane (CRM id {@code crm-42}) enrolled in the customer program
 * with the code {@code JANE-ACME}. The program itself comes from {@code application.yaml}.
 */
@Component
public class DemoData implements ApplicationRunner {
    static final String CODE = "JANE-ACME";
    private final ReferralEngine engine;

    public DemoData(ReferralEngine engine) {
        this.engine = engine;
    }

    @Override
    public void run(ApplicationArguments args) {
        if (engine.advocateByExternalId("crm-42").isPresent()) {
            return;
        }
        Advocate jane = engine.registerAdvocate(AdvocateRegistration.of("crm-42", "Jane", "jane@acme.example",
                AdvocateKind.CUSTOMER));
        ProgramId customers = ProgramId.of("customers");
        engine.enrol(jane.id(), customers);
        engine.issueVanityCode(jane.id(), customers, CODE);
    }
}
