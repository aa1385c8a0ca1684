package io.referrals.examples;

import io.referrals.core.AdvocateRegistration;
import io.referrals.core.AdvocateViews;
import io.referrals.core.CaptureRequest;
import io.referrals.core.CaptureResult;
import io.referrals.core.ProgramInsights;
import io.referrals.core.ReferralEngine;
import io.referrals.core.ReferralLinks;
import io.referrals.core.TransitionRequest;
import io.referrals.core.event.CodeIssued;
import io.referrals.core.event.ReferralListener;
import io.referrals.core.event.ReferralRefused;
import io.referrals.core.event.ReferralReopened;
import io.referrals.core.event.ReferralSubmitted;
import io.referrals.core.event.RewardEarned;
import io.referrals.core.event.StageChanged;
import io.referrals.core.extension.Extension;
import io.referrals.core.model.Advocate;
import io.referrals.core.model.AdvocateKind;
import io.referrals.core.model.Beneficiary;
import io.referrals.core.model.Channel;
import io.referrals.core.model.ConsentBasis;
import io.referrals.core.model.CrmStageMapping;
import io.referrals.core.model.Incentive;
import io.referrals.core.model.Money;
import io.referrals.core.model.Program;
import io.referrals.core.model.ProgramId;
import io.referrals.core.model.ProgramKind;
import io.referrals.core.model.ProgramStatus;
import io.referrals.core.model.Prospect;
import io.referrals.core.model.Referral;
import io.referrals.core.model.ReferralCode;
import io.referrals.core.model.Reward;
import io.referrals.core.model.Seniority;
import io.referrals.core.model.Stage;
import io.referrals.core.model.StagePipeline;
import io.referrals.core.model.TimelineEntry;
import io.referrals.core.model.TransitionCause;
import io.referrals.core.storage.ReferralQuery;
import io.referrals.core.view.AdvocateView;
import io.referrals.core.view.PointsLine;
import io.referrals.core.view.ProgramCard;
import io.referrals.core.view.ReferralLine;
import io.referrals.core.view.RewardLine;
import io.referrals.examples.report.ProgramReportPage;
import io.referrals.rules.Rewards;
import io.referrals.rules.RewardsEngine;
import io.referrals.rules.file.RuleFiles;
import io.referrals.rules.result.RuleOutcome;
import io.referrals.storage.jdbc.JdbcReferralStore;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.h2.jdbcx.JdbcDataSource;

/**
 * Runs a small B2B referral program end to end and prints what happened: the advocates, their referrals with stage
 * timelines and rewards, the notifications a host would send its advocates from the engine's events, and the program
 * report a marketer would read (also written as a self-contained HTML file).
 */
public final class Demo {
    /** How notifications date what happened: "4 March 2026". */
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("d MMMM yyyy", Locale.ENGLISH)
            .withZone(ZoneOffset.UTC);

    private final PrintStream out;
    private final Path report;
    private final List<String> notifications = new ArrayList<>();

    private Demo(PrintStream out, Path report) {
        this.out = out;
        this.report = report;
    }

    public static void main(String[] args) {
        run(System.out, Path.of(System.getProperty("demo.report", "target/program-report.html")));
    }

    /**
     * Runs the demo on a fresh embedded database, printing to {@code out} and writing the HTML report to
     * {@code report}.
     */
    static void run(PrintStream out, Path report) {
        new Demo(out, report).run();
    }

    /** Turns engine events into the messages a host would send to advocates. */
    private final class Notifications implements ReferralListener {
        @Override
        public void onCodeIssued(CodeIssued e) {
            notifications.add("to " + e.advocate().displayName() + ": your referral link is " + e.link());
        }

        @Override
        public void onReferralSubmitted(ReferralSubmitted e) {
            notifications.add("to " + e.referral().advocate().displayName() + ": thanks for referring "
                    + e.referral().prospectCompany() + " to " + e.referral().programName() + "!");
        }

        @Override
        public void onStageChanged(StageChanged e) {
            if (e.transition().isReopening()) {
                return; // told by onReferralReopened
            }
            String what = switch (e.transition().to().name()) {
                case "contacted" -> "our team reached out to";
                case "meeting_held" -> "we had a demo with";
                case "qualified" -> "we qualified";
                case "opportunity" -> "we are preparing a proposal for";
                case "won" -> "we signed";
                case "lost" -> "we could not close a deal with";
                default -> "we moved along with";
            };
            notifications.add("to " + e.referral().advocate().displayName() + ": " + what + " "
                    + e.referral().prospectCompany() + " on " + DAY.format(e.transition().at()));
        }

        @Override
        public void onReferralReopened(ReferralReopened e) {
            notifications.add("to " + e.referral().advocate().displayName() + ": good news, "
                    + e.referral().prospectCompany() + " is talking to us again since "
                    + DAY.format(e.transition().at())
                    + (e.transition().reason().isEmpty() ? "" : " (" + e.transition().reason() + ")"));
        }

        @Override
        public void onRewardEarned(RewardEarned e) {
            if (e.reward().beneficiary() == Beneficiary.ADVOCATE) {
                notifications.add("to " + e.advocate().displayName() + ": you earned " + describe(e.reward()));
            }
        }

        @Override
        public void onReferralRefused(ReferralRefused e) {
            notifications.add("to " + e.advocate().displayName() + ": " + e.reason().text());
        }
    }

    private void run() {
        // the B2B default stages and CRM mappings; a lost deal may come back as qualified or as an opportunity
        Program customers = Program.builder(ProgramId.of("customers"), "Customer referrals", ProgramKind.CUSTOMER)
                .status(ProgramStatus.ACTIVE)
                .pipeline(StagePipeline.b2bDefault().toBuilder().reopen("lost", "qualified", "opportunity").build())
                .crmMapping(CrmStageMapping.standard()).build();
        Program partners = Program.builder(ProgramId.of("partners"), "Partner program", ProgramKind.PARTNER)
                .status(ProgramStatus.PAUSED).build();
        RewardsEngine rules = RewardsEngine.builder()
                .ruleSet(RuleFiles.forPrograms(List.of(customers, partners)).readResource("/rules/customers.yaml"))
                .build();
        ReferralLinks links = ReferralLinks.to(URI.create("https://www.example.com/refer?utm_source=advocate"));
        Extension<AdvocateViews> views = AdvocateViews.builder().links(links).build();
        DemoClock clock = new DemoClock(Instant.parse("2026-03-02T09:00:00Z"));
        ReferralEngine engine = ReferralEngine.builder()
                .store(embeddedStore())
                // keys prospects' emails and domains for duplicate matching; a real host loads its own secret
                .matchKeySecret("demo-secret-not-for-production".getBytes(StandardCharsets.UTF_8))
                .clock(clock)
                .install(rules)
                .install(ProgramInsights.extension())
                .install(views)                    // the advocate's own page: see the end of the output
                .listener(new Notifications())
                .links(links)
                .build();
        Rewards rewards = engine.extension(rules);
        engine.defineProgram(customers);
        engine.defineProgram(partners);

        Advocate jane = engine.registerAdvocate(AdvocateRegistration.of("crm-0042", "Jane Doe", "jane@acme.example",
                AdvocateKind.CUSTOMER).withAccount("acct-acme", "Acme Corp", "acme.example"));
        Advocate raj = engine.registerAdvocate(AdvocateRegistration.of("crm-0077", "Raj Patel", "raj@globex.example",
                AdvocateKind.PARTNER).withAccount("acct-globex", "Globex", "globex.example"));
        engine.enrol(jane.id(), customers.id());
        engine.enrol(raj.id(), customers.id());
        engine.enrol(raj.id(), partners.id());
        ReferralCode janesCode = engine.issueVanityCode(jane.id(), customers.id(), "JANE-ACME");
        engine.issueCode(raj.id(), customers.id());

        Referral initech = accepted(engine.capture(CaptureRequest.builder()
                .code("jane-acme")
                .prospect(Prospect.builder().fullName("Peter Gibbons").email("peter@initech.example")
                        .company("Initech").companyDomain("initech.example").jobTitle("Director of Customer Success")
                        .seniority(Seniority.DIRECTOR).department("Customer Success").build())
                .channel(Channel.LINK_OR_CODE)
                .consent(ConsentBasis.ADVOCATE_INTRODUCTION)
                .note("They are replacing their support tooling this quarter.")
                .build()));
        Referral umbrella = accepted(engine.capture(CaptureRequest.builder()
                .advocate(raj.id())
                .program(customers.id())
                .prospect(Prospect.builder().fullName("Alice Wong").email("alice@umbrella.example")
                        .company("Umbrella").seniority(Seniority.VP).build())
                .channel(Channel.SALES_REP)
                .salesRep("rep-sam")
                .consent(ConsentBasis.PROSPECT_CONSENT)
                .idempotencyKey("webform-7781")
                .build()));
        engine.capture(CaptureRequest.builder()
                .advocate(raj.id())
                .program(partners.id())
                .prospect(Prospect.builder().fullName("Bob Stone").email("bob@hooli.example").company("Hooli").build())
                .channel(Channel.PARTNER_PORTAL)
                .consent(ConsentBasis.PROSPECT_CONSENT)
                .build());

        // Salesforce stage names fed straight from a CRM webhook, and a rep's updates, over a few weeks
        clock.advance(Duration.ofDays(2));
        engine.applyCrmStage(initech.id(), "Prospecting", TransitionCause.crm("salesforce"), "006Dn000004ABC");
        clock.advance(Duration.ofDays(9));
        engine.transition(new TransitionRequest(initech.id(), Stage.MEETING_HELD, TransitionCause.rep("rep-sam"),
                "Demo with their support leads", ""));
        clock.advance(Duration.ofDays(16));
        engine.applyCrmStage(initech.id(), "Proposal/Price Quote", TransitionCause.crm("salesforce"),
                "006Dn000004ABC");
        clock.advance(Duration.ofDays(21));
        engine.recordDealValue(initech.id(), Money.of("48000", "EUR"));
        engine.applyCrmStage(initech.id(), "Closed Won", TransitionCause.crm("salesforce"), "006Dn000004ABC");
        engine.applyCrmStage(umbrella.id(), "appointmentscheduled", TransitionCause.crm("hubspot"), "deal-991");
        clock.advance(Duration.ofDays(12));
        engine.applyCrmStage(umbrella.id(), "closedlost", TransitionCause.crm("hubspot"), "deal-991");

        out.println("== Advocates");
        for (Advocate a : List.of(jane, raj)) {
            out.printf("%-10s %-9s %-11s codes: %s%n", a.displayName(), a.kind(), a.companyName(),
                    engine.codes(a.id()).stream().map(ReferralCode::code).toList());
        }
        out.println("   Jane's link: " + engine.link(janesCode).orElseThrow());
        out.println();
        out.println("== Referrals");
        for (Referral r : engine.referrals(ReferralQuery.builder().program(customers.id()).build())) {
            Referral now = engine.referral(r.id()).orElseThrow();
            out.printf("%s -> %s via %s: stage %s%s%n", engine.advocate(now.advocateId()).orElseThrow().displayName(),
                    now.prospect().company(), now.channel(), now.stage(),
                    now.outcome().map(o -> " (" + o + ")").orElse(""));
            for (TimelineEntry t : engine.timeline(r.id())) {
                out.printf("   %d. %-12s -> %-12s by %s %s%s%s%n", t.sequence(), t.from(), t.to(), t.cause().kind(),
                        t.cause().actor(), t.externalRef().isEmpty() ? "" : " [" + t.externalRef() + "]",
                        t.isReopening() ? " (reopened)" : "");
            }
            for (Reward reward : rewards.rewardsOf(r.id())) {
                out.printf("   reward %-16s %-14s %-9s %s%n", reward.ruleId(), reward.beneficiary(), reward.status(),
                        describe(reward));
            }
            for (RuleOutcome o : rewards.explain(r.id())) {
                if (o.status() != RuleOutcome.Status.PAID && o.status() != RuleOutcome.Status.HELD) {
                    out.printf("   no reward from %s: %s%n", o.ruleId(),
                            o.reasons().isEmpty() ? o.status() : o.reasons().get(o.reasons().size() - 1).text());
                }
            }
        }
        out.println();
        out.println("== Points balances");
        for (Advocate a : List.of(jane, raj)) {
            out.printf("%-10s %6d points%n", a.displayName(), rewards.balance(a.id()));
        }
        out.println();
        out.println("== Notifications a host would send");
        notifications.forEach(n -> out.println("   " + n));
        out.println();
        out.println("== Program report");
        ProgramReportPage.write(engine, customers.id(), report, out);
        out.println();
        printView(engine.extension(views).view(jane.id(), Locale.ENGLISH, 3));
    }

    /** What Jane's own page would show: her program and link, her referrals and rewards, her points. */
    private void printView(AdvocateView v) {
        out.println("== " + v.displayName() + "'s advocate view");
        for (ProgramCard p : v.programs()) {
            out.printf("   %s: %s%n", p.name(), p.codes().stream().map(c -> c.link().map(URI::toString)
                    .orElse(c.code())).toList());
        }
        for (ReferralLine r : v.referrals().items()) {
            out.printf("   referral %-14s %-18s since %s%s%n", r.company(), r.label(), DAY.format(r.lastMovedAt()),
                    r.reason().map(why -> " (" + why.text() + ")").orElse(""));
        }
        for (RewardLine r : v.rewards().items()) {
            out.println(String.format("   reward   %-14s %-18s %s", r.description(), r.statusLabel(),
                    r.pending().map(why -> why.text()).orElse("")).stripTrailing());
        }
        out.printf("   points   %,d", v.pointsBalance());
        List<String> last = v.points().items().stream().map(PointsLine::points).map(p -> String.format("%+,d", p))
                .toList();
        out.println(" (latest: " + String.join(", ", last) + (v.points().hasNext() ? ", ..." : "") + ")");
    }

    /** The embedded default: the JDBC store on an in-memory H2 database, schema migrated at start. */
    private static JdbcReferralStore embeddedStore() {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:referrals-demo-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        return JdbcReferralStore.builder(h2).build();
    }

    private static String describe(Reward reward) {
        Incentive i = reward.incentive();
        if (i instanceof Incentive.Points p) {
            return p.points() + " points";
        }
        if (i instanceof Incentive.Discount d) {
            return (d.percentOff() != null ? d.percentOff().toPlainString() + "% off" : d.amountOff() + " off")
                    + (d.code().isEmpty() ? "" : " with code " + d.code());
        }
        return i.toString();
    }

    private static Referral accepted(CaptureResult result) {
        if (result instanceof CaptureResult.Accepted a) {
            return a.referral();
        }
        throw new IllegalStateException("capture refused: " + result);
    }
}
