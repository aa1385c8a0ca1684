package io.referrals.examples.boot;

import io.referrals.core.AdvocateRegistration;
import io.referrals.core.CaptureRequest;
import io.referrals.core.ReferralEngine;
import io.referrals.core.eligibility.Signals;
import io.referrals.core.model.Advocate;
import io.referrals.core.model.AdvocateKind;
import io.referrals.core.model.Channel;
import io.referrals.core.model.ConsentBasis;
import io.referrals.core.model.ProgramId;
import io.referrals.core.model.Prospect;
import io.referrals.core.model.Referral;
import io.referrals.core.model.TransitionCause;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

/**
 * Demo data, written once (a restart on a persistent database leaves it alone), so that a newcomer who signs in to
 * the portal sees a lived-in program at once. The program itself comes from {@code application.yaml}.
 * <ul>
 *   <li>Jane (CRM id {@code crm-42}, portal user {@code jane}, code {@code JANE-ACME}): a referral to Initech that
 *       reached "qualified", one to Umbrella that was won (points and a gift), and one to Hooli that the eligibility
 *       checks flagged for review (Jane and the prospect came from the same IP address): the admin's review queue
 *       shows it, and its ideal-customer-profile bonus waits for that review.</li>
 *   <li>Omar (CRM id {@code crm-43}, portal user {@code omar}, code {@code OMAR-GLOBEX}): a fresh referral to Stark
 *       Industries.</li>
 * </ul>
 */
@Component
public class DemoData implements ApplicationRunner {
    static final String CODE = "JANE-ACME";
    static final ProgramId CUSTOMERS = ProgramId.of("customers");
    private final ReferralEngine engine;

    public DemoData(ReferralEngine engine) {
        this.engine = engine;
    }

    @Override
    public void run(ApplicationArguments args) {
        if (engine.advocateByExternalId("crm-42").isPresent()) {
            return;
        }
        Advocate jane = advocate("crm-42", "Jane", "jane@acme.example", CODE);
        Advocate omar = advocate("crm-43", "Omar", "omar@globex.example", "OMAR-GLOBEX");

        Referral initech = refer(jane, Prospect.builder().fullName("Peter Gibbons").email("peter@initech.example")
                .company("Initech").department("Customer Success").build(), Signals.NONE);
        engine.applyCrmStage(initech.id(), "Qualification", TransitionCause.crm("salesforce"), "006-INITECH");
        Referral umbrella = refer(jane, Prospect.builder().fullName("Alice Abernathy").email("alice@umbrella.example")
                .company("Umbrella").build(), Signals.NONE);
        engine.applyCrmStage(umbrella.id(), "Prospecting", TransitionCause.crm("salesforce"), "006-UMBRELLA");
        engine.applyCrmStage(umbrella.id(), "Closed Won", TransitionCause.crm("salesforce"), "006-UMBRELLA");
        refer(jane, Prospect.builder().fullName("Gavin Belson").email("gavin@hooli.example").company("Hooli")
                .department("Customer Success").build(),
                Signals.ip("203.0.113.42"));
        refer(omar, Prospect.builder().fullName("Pepper Potts").email("pepper@stark.example")
                .company("Stark Industries").build(), Signals.NONE);
    }

    private Advocate advocate(String externalId, String name, String email, String code) {
        Advocate a = engine.registerAdvocate(AdvocateRegistration.of(externalId, name, email, AdvocateKind.CUSTOMER));
        engine.enrol(a.id(), CUSTOMERS);
        engine.issueVanityCode(a.id(), CUSTOMERS, code);
        return a;
    }

    /** A referral through the form; the same signals on both sides flag it for review. */
    private Referral refer(Advocate a, Prospect p, Signals shared) {
        return engine.capture(CaptureRequest.builder().advocate(a.id()).program(CUSTOMERS).prospect(p)
                .channel(Channel.REFERRAL_FORM).consent(ConsentBasis.ADVOCATE_INTRODUCTION).signals(shared)
                .advocateSignals(shared).build()).recorded().orElseThrow();
    }
}
