package io.referrals.storage.tck;

import io.referrals.core.ReferralEngine;
import io.referrals.core.eligibility.Decision;
import io.referrals.core.eligibility.EligibilityPolicy;
import io.referrals.core.eligibility.EligibilityReasons;
import io.referrals.core.event.AdvocateEnrolled;
import io.referrals.core.event.AdvocateOptedOut;
import io.referrals.core.event.AdvocateRegistered;
import io.referrals.core.event.AdvocateSummary;
import io.referrals.core.event.CodeIssued;
import io.referrals.core.event.CodeRevoked;
import io.referrals.core.event.ContestEnded;
import io.referrals.core.event.EventMetadata;
import io.referrals.core.event.PointsBalanceChanged;
import io.referrals.core.event.ReferralEvent;
import io.referrals.core.event.ReferralRefused;
import io.referrals.core.event.ReferralReopened;
import io.referrals.core.event.ReferralSubmitted;
import io.referrals.core.event.ReferralSummary;
import io.referrals.core.event.RewardApproved;
import io.referrals.core.event.RewardEarned;
import io.referrals.core.event.RewardExpired;
import io.referrals.core.event.RewardFailed;
import io.referrals.core.event.RewardFulfilled;
import io.referrals.core.event.RewardFulfilmentFailed;
import io.referrals.core.event.RewardRejected;
import io.referrals.core.event.RewardReversed;
import io.referrals.core.event.StageChanged;
import io.referrals.core.model.Advocate;
import io.referrals.core.model.AdvocateId;
import io.referrals.core.model.AdvocateKind;
import io.referrals.core.model.Beneficiary;
import io.referrals.core.model.Channel;
import io.referrals.core.model.CodeStatus;
import io.referrals.core.model.ConsentBasis;
import io.referrals.core.model.CrmStageMapping;
import io.referrals.core.model.EventId;
import io.referrals.core.model.Incentive;
import io.referrals.core.model.LedgerEntry;
import io.referrals.core.model.LedgerEntryId;
import io.referrals.core.model.Money;
import io.referrals.core.model.Outcome;
import io.referrals.core.model.Program;
import io.referrals.core.model.ProgramId;
import io.referrals.core.model.ProgramKind;
import io.referrals.core.model.ProgramStatus;
import io.referrals.core.model.Prospect;
import io.referrals.core.model.Reason;
import io.referrals.core.model.Referral;
import io.referrals.core.model.ReferralCode;
import io.referrals.core.model.ReferralId;
import io.referrals.core.model.Reward;
import io.referrals.core.model.RewardId;
import io.referrals.core.model.RewardSource;
import io.referrals.core.model.RewardStatus;
import io.referrals.core.model.Schedule;
import io.referrals.core.model.Seniority;
import io.referrals.core.model.Stage;
import io.referrals.core.model.StagePipeline;
import io.referrals.core.model.TimelineEntry;
import io.referrals.core.model.TransitionCause;
import io.referrals.core.moments.Ask;
import io.referrals.core.moments.AskId;
import io.referrals.core.moments.Moment;
import io.referrals.core.moments.MomentId;
import io.referrals.core.moments.MomentKind;
import io.referrals.core.storage.ReferralStore;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Values the contract kit writes and reads back: realistic, with every optional part filled in somewhere. */
final class Fixtures {
    static final Instant T0 = MutableClock.DEFAULT_START;
    /** The match-key secret of every engine the kit builds. */
    static final byte[] SECRET = "referral-storage-tck".getBytes(java.nio.charset.StandardCharsets.UTF_8);

    private Fixtures() {
    }

    static Instant at(long minutes) {
        return T0.plus(Duration.ofMinutes(minutes));
    }

    // ---- programs -------------------------------------------------------------------------------------------------

    static Program program(String id) {
        return Program.builder(ProgramId.of(id), "Program " + id, ProgramKind.CUSTOMER)
                .status(ProgramStatus.ACTIVE).build();
    }

    /**
     * A pipeline with a loop (working and waiting move back and forth) and two terminal stages, so that a referral can
     * move many times.
     */
    static StagePipeline loopingPipeline() {
        return StagePipeline.builder()
                .stage("fresh").stage("working").stage("waiting")
                .terminal("closed", Outcome.WON).terminal("dropped", Outcome.LOST)
                .transition("fresh", "working", "dropped")
                .transition("working", "waiting", "closed", "dropped")
                .transition("waiting", "working", "closed", "dropped")
                .build();
    }

    /**
     * The looping pipeline, plus two reopenings: a referral dropped (lost) may come back to {@code working} or
     * {@code waiting}.
     */
    static StagePipeline reopenablePipeline() {
        return loopingPipeline().toBuilder().reopen("dropped", "working", "waiting").build();
    }

    static Program customProgram(String id) {
        return Program.builder(ProgramId.of(id), "Partner programme \u00e9t\u00e9 \u2013 " + id, ProgramKind.PARTNER)
                .status(ProgramStatus.PAUSED)
                .schedule(Schedule.between(at(-60), T0.plus(Duration.ofDays(90))))
                .pipeline(loopingPipeline())
                .crmMapping(CrmStageMapping.of(Map.of("In Progress", "working", "On Hold", "waiting",
                        "Closed Won", "closed")))
                .build();
    }

    // ---- advocates ------------------------------------------------------------------------------------------------

    static Advocate advocate(String id, String externalId) {
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("tier", "gold");
        attributes.put("region", "EMEA");
        attributes.put("note", "Z\u00f6e's favourite \u2014 \u5c71\u7530");
        return new Advocate(AdvocateId.of(id), externalId, "Jane O'Brien-\u00c5ngstr\u00f6m", "jane@acme.example",
                AdvocateKind.PARTNER, "acct-42", "Acme GmbH", "acme.example", Set.of("vip", "emea", "partner-tier-1"),
                attributes, false, T0, 1);
    }

    static Advocate minimalAdvocate(String id, String externalId) {
        return new Advocate(AdvocateId.of(id), externalId, "Sam", "", AdvocateKind.EMPLOYEE, "", "", "", Set.of(),
                Map.of(), false, at(1), 1);
    }

    /** The next version of {@code a}, with another display name. */
    static Advocate renamed(Advocate a, String displayName) {
        return new Advocate(a.id(), a.externalId(), displayName, a.email(), a.kind(), a.accountId(), a.companyName(),
                a.companyDomain(), a.segments(), a.attributes(), a.optedOut(), a.registeredAt(), a.version() + 1);
    }

    // ---- codes ----------------------------------------------------------------------------------------------------

    static ReferralCode code(String code, AdvocateId advocate, ProgramId program, Instant issuedAt) {
        return new ReferralCode(code, advocate, program, true, CodeStatus.ACTIVE, issuedAt, issuedAt);
    }

    // ---- referrals ------------------------------------------------------------------------------------------------

    static Prospect prospect(String company) {
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("crm", "salesforce");
        attributes.put("employees", "250");
        attributes.put("hq", "M\u00fcnchen");
        return new Prospect("Peter Gibbons", "peter@initech.example", company, "initech.example",
                "Head of Customer Success", Seniority.DIRECTOR, "Customer Success", "+49 89 1234 5678", attributes);
    }

    static Referral.Builder referralBuilder(String id, ProgramId program, AdvocateId advocate) {
        return Referral.builder()
                .id(ReferralId.of(id))
                .programId(program)
                .advocateId(advocate)
                .code("JANE-ACME")
                .prospect(prospect("Initech"))
                .channel(Channel.SALES_REP)
                .salesRep("rep-7")
                .consent(ConsentBasis.ADVOCATE_INTRODUCTION)
                .note("Met them at the partner summit; they are moving off spreadsheets.\nSecond line.")
                .stage(Stage.SUBMITTED)
                .submittedAt(T0)
                .updatedAt(T0)
                .fingerprint("fp-" + id);
    }

    static Referral referral(String id, ProgramId program, AdvocateId advocate, String idempotencyKey) {
        return referralBuilder(id, program, advocate).idempotencyKey(idempotencyKey).build();
    }

    /** The next version of {@code r}, with another note. */
    static Referral noted(Referral r, String note) {
        return r.toBuilder().note(note).version(r.version() + 1).updatedAt(r.updatedAt().plusSeconds(1)).build();
    }

    static TimelineEntry entry(ReferralId referral, int sequence, Stage from, Stage to) {
        return new TimelineEntry(referral, sequence, from, to, at(sequence), TransitionCause.crm("salesforce"),
                "Demo booked", "006Dn000004XyZ");
    }

    // ---- rewards --------------------------------------------------------------------------------------------------

    static List<Incentive> everyIncentive() {
        Map<String, String> payload = new LinkedHashMap<>();
        payload.put("sku", "TSHIRT-L");
        payload.put("colour", "navy");
        return List.of(
                new Incentive.Points(500),
                new Incentive.Cash(Money.of("250.00", "EUR"), false),
                new Incentive.Cash(Money.of("1000", "JPY"), true),
                new Incentive.Discount(new BigDecimal("12.5"), null, ""),
                new Incentive.Discount(null, Money.of("49.99", "USD"), "SAVE-49"),
                new Incentive.Perk("training", "Two seats at the admin training"),
                new Incentive.Perk("upgrade", ""),
                new Incentive.GiftCard(Money.of("50", "GBP"), "Amazon"),
                new Incentive.Donation(Money.of("0.125", "BHD"), "Water.org"),
                new Incentive.Custom("swag", payload),
                new Incentive.Custom("nothing-else", Map.of()));
    }

    static Reward reward(String id, ProgramId program, AdvocateId advocate, RewardSource source, String milestone,
            Incentive incentive, RewardStatus status, Instant createdAt, Instant holdUntil) {
        return new Reward(RewardId.of(id), program, advocate, Beneficiary.ADVOCATE, source, "rule-1", 3, milestone,
                incentive, status, createdAt, holdUntil, createdAt,
                List.of(Reason.of("stage_won", "Your referral became a customer."),
                        Reason.of("cap_applied", "Capped at 500 points this quarter.")),
                1);
    }

    static Reward reward(String id, ProgramId program, AdvocateId advocate, ReferralId referral, String milestone) {
        return reward(id, program, advocate, RewardSource.referral(referral), milestone, new Incentive.Points(100),
                RewardStatus.PENDING, T0, at(60));
    }

    // ---- ledger ---------------------------------------------------------------------------------------------------

    static LedgerEntry ledger(String id, AdvocateId advocate, LedgerEntry.Kind kind, long points, String key,
            Instant at) {
        return new LedgerEntry(LedgerEntryId.of(id), advocate, kind, points, kind == LedgerEntry.Kind.EARNED
                ? "rwd-" + id : "", key, at, "Points for " + kind.name().toLowerCase(java.util.Locale.ROOT));
    }

    static LedgerEntry earn(String id, AdvocateId advocate, long points) {
        return ledger(id, advocate, LedgerEntry.Kind.EARNED, points, "key-" + id, T0);
    }

    static LedgerEntry redeem(String id, AdvocateId advocate, long points) {
        return ledger(id, advocate, LedgerEntry.Kind.REDEEMED, -points, "key-" + id, T0);
    }

    // ---- moments and asks -----------------------------------------------------------------------------------------

    static Moment moment(String id, AdvocateId advocate, MomentKind kind, Instant at) {
        return Moment.of(MomentId.of(id), advocate, kind, at, "Went live in two weeks \u2013 \u00e9quipe ravie");
    }

    /** A pending ask by {@code rep-1}, prompted by no moment. */
    static Ask ask(String id, ProgramId program, AdvocateId advocate, Instant at) {
        return Ask.pending(AskId.of(id), program, advocate, "rep-1", null, at);
    }

    // ---- events ---------------------------------------------------------------------------------------------------

    static EventMetadata meta(String id, String stream, long sequence, Instant at) {
        return new EventMetadata(EventId.of(id), stream, sequence, at);
    }

    static AdvocateSummary summary(Advocate a) {
        return AdvocateSummary.of(a);
    }

    static ReferralEvent event(String id, String stream, long sequence, Instant at) {
        return new AdvocateRegistered(meta(id, stream, sequence, at), summary(advocate("adv-ev", "ext-ev")));
    }

    /** One event of every type, numbered 1.. on {@code stream}, with ids {@code <prefix>-<n>}. */
    static List<ReferralEvent> everyEvent(String prefix, String stream) {
        Advocate a = advocate("adv-ev", "ext-ev");
        AdvocateSummary s = summary(a);
        Program p = customProgram("prog-ev");
        Referral r = referralBuilder("ref-ev", p.id(), a.id()).stage(Stage.of("closed")).outcome(Outcome.WON)
                .dealValue(Money.of("125000.50", "EUR")).build();
        ReferralSummary rs = ReferralSummary.of(r, p, a);
        Reward reward = reward("rwd-ev", p.id(), a.id(), RewardSource.referral(r.id()), "stage:closed",
                new Incentive.Cash(Money.of("250.00", "EUR"), true), RewardStatus.APPROVED, T0, at(60));
        List<ReferralEvent> all = new ArrayList<>();
        int[] n = {0};
        java.util.function.Supplier<EventMetadata> m = () -> {
            n[0]++;
            return meta(prefix + "-" + n[0], stream, n[0], at(n[0]));
        };
        all.add(new AdvocateRegistered(m.get(), s));
        all.add(new AdvocateEnrolled(m.get(), s, p.id(), p.name()));
        all.add(new AdvocateOptedOut(m.get(), summary(a.optOut())));
        all.add(new CodeIssued(m.get(), s, p.id(), "JANE-ACME", "https://acme.example/r?code=JANE-ACME&x=1"));
        all.add(new CodeRevoked(m.get(), s, p.id(), "JANE-ACME"));
        all.add(new ContestEnded(m.get(), p.id(), "q1-contest", List.of(a.id(), AdvocateId.of("adv-2"))));
        all.add(new ContestEnded(m.get(), p.id(), "q2-contest", List.of()));
        all.add(new PointsBalanceChanged(m.get(), s, earn("led-ev", a.id(), 500), 500));
        all.add(new ReferralRefused(m.get(), s, p.id(), Reason.of("program_paused", "Not accepting referrals.")));
        all.add(new ReferralSubmitted(m.get(), rs));
        all.add(new StageChanged(m.get(), rs, entry(r.id(), 1, Stage.of("fresh"), Stage.of("working"))));
        TimelineEntry reopening = new TimelineEntry(r.id(), 3, Stage.of("dropped"), Stage.of("working"), at(3),
                TransitionCause.rep("rep-7"), "Back in talks \u2013 budget found", "006Dn000004XyZ",
                TimelineEntry.Kind.REOPENED);
        all.add(new StageChanged(m.get(), rs, reopening));
        all.add(new ReferralReopened(m.get(), rs, reopening));
        all.add(new RewardEarned(m.get(), s, reward));
        all.add(new RewardApproved(m.get(), s, reward));
        all.add(new RewardRejected(m.get(), s, reward));
        all.add(new RewardFulfilled(m.get(), s, reward));
        all.add(new RewardFulfilmentFailed(m.get(), s, reward));
        all.add(new RewardReversed(m.get(), s, reward));
        all.add(new RewardExpired(m.get(), s, reward));
        all.add(new RewardFailed(m.get(), s, reward.toBuilder().status(RewardStatus.FAILED)
                .nextAttemptAt(at(120)).version(2).build()));
        return all;
    }

    /**
     * An engine builder for the kit's engine-level checks: all engines share one match-key secret (as engines of one
     * host must), and duplicate and velocity screening is off, because the kit captures the same prospect many times
     * to exercise the store, not the eligibility rules. On a store that joins host transactions the engine uses the
     * outbox, as it must.
     */
    static ReferralEngine.Builder engine(ReferralStore store, java.time.Clock clock) {
        ReferralEngine.Builder b = ReferralEngine.builder();
        if (store.joinsHostTransactions()) {
            b.outbox();
        }
        return b.store(store).clock(clock).matchKeySecret(SECRET)
                .defaultEligibilityPolicy(EligibilityPolicy.builder()
                        .decide(EligibilityReasons.DUPLICATE_PROSPECT, Decision.ALLOW)
                        .decide(EligibilityReasons.VELOCITY_ADVOCATE, Decision.ALLOW)
                        .decide(EligibilityReasons.VELOCITY_CODE, Decision.ALLOW)
                        .build());
    }
}
