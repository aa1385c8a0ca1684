package io.referrals.core.internal;

import io.referrals.core.eligibility.Decision;
import io.referrals.core.eligibility.EligibilityPolicy;
import io.referrals.core.eligibility.EligibilityReasons;
import io.referrals.core.eligibility.EligibilitySettings;
import io.referrals.core.eligibility.EmailDomains;
import io.referrals.core.eligibility.OwnershipPolicy;
import io.referrals.core.eligibility.Relationship;
import io.referrals.core.eligibility.Signals;
import io.referrals.core.eligibility.VelocityLimit;
import io.referrals.core.hook.UnitOfWork;
import io.referrals.core.model.Advocate;
import io.referrals.core.model.AdvocateKind;
import io.referrals.core.model.Outcome;
import io.referrals.core.model.Program;
import io.referrals.core.model.Prospect;
import io.referrals.core.model.Reason;
import io.referrals.core.model.Referral;
import io.referrals.core.model.ReviewStatus;
import io.referrals.core.privacy.MatchKeys;
import io.referrals.core.storage.CounterKey;
import io.referrals.core.storage.CounterRecords;
import io.referrals.core.storage.ScreeningReads;
import io.referrals.core.storage.StoreTransaction;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Runs the eligibility checks of one capture inside its transaction. Stateless apart from its configuration;
 * thread-safe. Works only on validated input (the engine validates before screening).
 */
public final class EligibilityScreen {
    /** How many earlier referrals of one prospect key are considered. */
    private static final int CLAIM_LIMIT = 1000;
    private final EligibilitySettings settings;
    private final MatchKeys keys;

    public EligibilityScreen(EligibilitySettings settings, MatchKeys keys) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.keys = Objects.requireNonNull(keys, "keys");
    }

    /** The keys under which a prospect is matched: email key and company domain key (empty for free mail). */
    public record ProspectKeys(String emailKey, String domainKey) {
    }

    /**
     * What the checks found.
     *
     * @param findings reasons the policy rejects or flags, in check order
     * @param rejected true if any finding is rejected
     * @param superseded earlier referrals whose ownership passes to the new one
     */
    public record Screening(List<Reason> findings, boolean rejected, List<Referral> superseded) {
        /** The review status the new referral is stored with. */
        public ReviewStatus review() {
            return rejected ? ReviewStatus.DENIED : findings.isEmpty() ? ReviewStatus.CLEAR : ReviewStatus.FLAGGED;
        }
    }

    public ProspectKeys keysOf(Prospect p) {
        String company = companyDomain(p.companyDomain());
        if (company.isEmpty()) {
            company = companyDomain(MatchKeys.domainOf(p.email()));
        }
        return new ProspectKeys(keys.emailKey(p.email()), company.isEmpty() ? "" : keys.domainKey(company));
    }

    public MatchKeys matchKeys() {
        return keys;
    }

    /** Screens a capture. */
    public Screening screen(UnitOfWork w, Program program, EligibilityPolicy policy, Advocate advocate,
            Prospect prospect, ProspectKeys pk, String code, String salesRep, Signals prospectSignals,
            Signals advocateSignals) {
        StoreTransaction tx = w.store();
        Set<String> found = new LinkedHashSet<>();
        String advocateEmailKey = keys.emailKey(advocate.email());
        String emailDomain = MatchKeys.domainOf(prospect.email());
        String advocateDomain = advocate.companyDomain().isEmpty() ? MatchKeys.domainOf(advocate.email())
                : advocate.companyDomain();

        if (settings.blockedAdvocates().contains(advocate.id())) {
            found.add(EligibilityReasons.BLOCKED_ADVOCATE);
        }
        if (advocate.kind() == AdvocateKind.EMPLOYEE
                || !advocateDomain.isEmpty() && EmailDomains.within(advocateDomain, settings.hostDomains())) {
            found.add(EligibilityReasons.EMPLOYEE_ADVOCATE);
        }
        if (!advocateEmailKey.isEmpty() && advocateEmailKey.equals(pk.emailKey())) {
            found.add(EligibilityReasons.SELF_REFERRAL);
        } else if (sameCompany(advocate, prospect)) {
            found.add(EligibilityReasons.SAME_COMPANY);
        }
        if (EmailDomains.within(emailDomain, settings.hostDomains())
                || !prospect.companyDomain().isEmpty()
                && EmailDomains.within(prospect.companyDomain(), settings.hostDomains())) {
            found.add(EligibilityReasons.HOST_EMPLOYEE);
        }
        if (settings.blockedEmails().contains(MatchKeys.normalizeEmail(prospect.email()))) {
            found.add(EligibilityReasons.BLOCKED_EMAIL);
        }
        if (EmailDomains.within(emailDomain, settings.blockedDomains())
                || !prospect.companyDomain().isEmpty()
                && EmailDomains.within(prospect.companyDomain(), settings.blockedDomains())) {
            found.add(EligibilityReasons.BLOCKED_DOMAIN);
        }
        if (EmailDomains.isDisposable(emailDomain)
                || EmailDomains.within(emailDomain, settings.extraDisposableDomains())) {
            found.add(EligibilityReasons.DISPOSABLE_EMAIL);
        }
        Relationship rel = Objects.requireNonNull(settings.lookup().relationshipOf(program.id(), prospect),
                "the prospect lookup returned null");
        if (rel == Relationship.CUSTOMER) {
            found.add(EligibilityReasons.EXISTING_CUSTOMER);
        } else if (rel == Relationship.LEAD) {
            found.add(EligibilityReasons.EXISTING_LEAD);
        }

        String ownershipKey = policy.accountLevel() && !pk.domainKey().isEmpty() ? pk.domainKey() : pk.emailKey();
        boolean checkCircular = !advocateEmailKey.isEmpty() && !pk.emailKey().isEmpty();
        // Every counter of the capture in one call (one statement where the store can). First the prospect's:
        // updating that counter row locks it until commit, so a concurrent capture of the same prospect waits here
        // and the lookup below, which comes after, finds that capture's referral. Then the velocity limits.
        List<CounterRecords.Consumption> counters = new ArrayList<>();
        if (!ownershipKey.isEmpty()) {
            counters.add(new CounterRecords.Consumption(CounterKey.of("prospect-lock", ownershipKey), 1, Long.MAX_VALUE));
        }
        int advocateFrom = counters.size();
        addLimits(counters, w.now(), policy.advocateLimits(), "velocity-advocate", program.id().value(),
                advocate.id().value());
        int codeFrom = counters.size();
        if (!code.isEmpty()) {
            addLimits(counters, w.now(), policy.codeLimits(), "velocity-code", code);
        }
        Set<String> lookup = new LinkedHashSet<>();
        lookup.add(ownershipKey);
        if (checkCircular) {
            lookup.add(advocateEmailKey);
        }
        lookup.remove("");
        // the counters, then the lookup, in that order (one round trip where the store can)
        ScreeningReads reads = tx.screeningReads(counters, lookup, CLAIM_LIMIT * Math.max(1, lookup.size()));
        List<Boolean> applied = reads.applied();
        Map<String, List<Referral>> claims = claims(tx, lookup, reads.matches());

        List<Referral> superseded = new ArrayList<>();
        if (!ownershipKey.isEmpty() && ownership(tx, w.now(), program, policy, advocate, salesRep,
                claims.get(ownershipKey), superseded)) {
            found.add(EligibilityReasons.DUPLICATE_PROSPECT);
            superseded.clear();
        }
        if (checkCircular && circular(tx, claims.get(advocateEmailKey), advocateEmailKey, pk.emailKey())) {
            found.add(EligibilityReasons.CIRCULAR_REFERRAL);
        }
        if (applied.subList(advocateFrom, codeFrom).contains(false)) {
            found.add(EligibilityReasons.VELOCITY_ADVOCATE);
        }
        if (applied.subList(codeFrom, applied.size()).contains(false)) {
            found.add(EligibilityReasons.VELOCITY_CODE);
        }
        if (shared(prospectSignals.ip(), advocateSignals.ip())) {
            found.add(EligibilityReasons.SHARED_IP);
        }
        if (shared(prospectSignals.deviceId(), advocateSignals.deviceId())) {
            found.add(EligibilityReasons.SHARED_DEVICE);
        }
        if (shared(prospectSignals.userAgent(), advocateSignals.userAgent())) {
            found.add(EligibilityReasons.SHARED_USER_AGENT);
        }

        List<Reason> findings = new ArrayList<>();
        boolean rejected = false;
        for (String c : found) {
            Decision d = policy.decision(c);
            if (d != Decision.ALLOW) {
                findings.add(EligibilityReasons.reason(c));
                rejected |= d == Decision.REJECT;
            }
        }
        if (rejected || policy.decision(EligibilityReasons.OWNERSHIP_TRANSFERRED) == Decision.ALLOW) {
            superseded.clear();
        }
        return new Screening(List.copyOf(findings), rejected, List.copyOf(superseded));
    }

    /** Counts a failed code lookup from {@code source}; returns the count in the current hour. */
    public long countFailedLookup(StoreTransaction tx, Instant now, Signals source) {
        CounterKey key = failedLookupKey(now, source);
        tx.counters().tryConsume(key, 1, Long.MAX_VALUE);
        return tx.counters().value(key);
    }

    /** The counter of failed code lookups from {@code source} in the hour of {@code now}. */
    public CounterKey failedLookupKey(Instant now, Signals source) {
        String who = !source.ip().isBlank() ? keys.key("ip", source.ip().toLowerCase(Locale.ROOT))
                : !source.deviceId().isBlank() ? keys.key("device", source.deviceId()) : "unknown";
        return CounterKey.of("code-lookup-failures", who, Long.toString(Math.floorDiv(now.getEpochSecond(), 3600)));
    }

    private boolean sameCompany(Advocate a, Prospect p) {
        Set<String> mine = new LinkedHashSet<>();
        mine.add(companyDomain(a.companyDomain()));
        mine.add(companyDomain(MatchKeys.domainOf(a.email())));
        mine.remove("");
        if (mine.isEmpty()) {
            return false;
        }
        return mine.contains(companyDomain(p.companyDomain()))
                || mine.contains(companyDomain(MatchKeys.domainOf(p.email())));
    }

    /** The registrable company domain by the configured public suffix list; empty for free mail. */
    private String companyDomain(String domain) {
        return EmailDomains.companyDomain(domain, settings.publicSuffixes());
    }

    /**
     * The newest referrals (at most {@link #CLAIM_LIMIT}) whose email or domain key is each of {@code keys}, newest
     * first, read with one query. If that query comes back full, a key's matches may have been crowded
     * out by another key's, so each key is then read on its own.
     */
    private static Map<String, List<Referral>> claims(StoreTransaction tx, Set<String> keys, List<Referral> all) {
        Map<String, List<Referral>> byKey = new HashMap<>();
        if (keys.isEmpty()) {
            return byKey;
        }
        int limit = CLAIM_LIMIT * keys.size();
        for (String k : keys) {
            byKey.put(k, all.size() == limit && keys.size() > 1
                    ? tx.referrals().byProspectKeys(Set.of(k), CLAIM_LIMIT)
                    : all.stream().filter(r -> k.equals(r.prospectEmailKey()) || k.equals(r.prospectDomainKey()))
                            .limit(CLAIM_LIMIT).toList());
        }
        return byKey;
    }

    /**
     * True if an earlier claim within the window keeps the prospect (a duplicate); otherwise adds to
     * {@code superseded} the earlier claims the new referral takes over. {@code claims} are the referrals of the
     * prospect's key, newest first.
     */
    private static boolean ownership(StoreTransaction tx, Instant now, Program program, EligibilityPolicy policy,
            Advocate advocate, String salesRep, List<Referral> claims, List<Referral> superseded) {
        Instant since = now.minus(policy.protectionWindow());
        for (Referral r : claims) {
            if (r.submittedAt().isBefore(since) || r.review() == ReviewStatus.DENIED
                    || r.outcome().map(o -> o == Outcome.REJECTED).orElse(false)) {
                continue;
            }
            if (r.advocateId().equals(advocate.id())) {
                return true;
            }
            AdvocateKind kind = tx.advocates().get(r.advocateId()).map(Advocate::kind).orElse(AdvocateKind.CUSTOMER);
            boolean sameProgram = r.programId().equals(program.id());
            OwnershipPolicy.Claim incumbent = new OwnershipPolicy.Claim(kind, r.salesRep(), sameProgram);
            OwnershipPolicy.Claim challenger = new OwnershipPolicy.Claim(advocate.kind(), salesRep, sameProgram);
            OwnershipPolicy.Owner owner = Objects.requireNonNull(policy.ownership().owner(incumbent, challenger),
                    "the ownership policy returned null");
            if (owner == OwnershipPolicy.Owner.INCUMBENT) {
                return true;
            }
            superseded.add(r);
        }
        return false;
    }

    /** Advocate A refers B after B referred A: an earlier referral of A's email whose advocate has B's email. */
    private boolean circular(StoreTransaction tx, List<Referral> claims, String advocateEmailKey,
            String prospectEmailKey) {
        for (Referral r : claims) {
            if (!advocateEmailKey.equals(r.prospectEmailKey())) {
                continue;
            }
            boolean byProspect = tx.advocates().get(r.advocateId())
                    .map(b -> keys.emailKey(b.email()).equals(prospectEmailKey)).orElse(false);
            if (byProspect) {
                return true;
            }
        }
        return false;
    }

    /** Adds one consumption per limit, on the counter of {@code subject} in the limit's current window. */
    private static void addLimits(List<CounterRecords.Consumption> counters, Instant now, List<VelocityLimit> limits,
            String kind, String... subject) {
        for (VelocityLimit l : limits) {
            long seconds = l.window().getSeconds();
            String[] parts = Arrays.copyOf(subject, subject.length + 2);
            parts[subject.length] = Long.toString(seconds);
            parts[subject.length + 1] = Long.toString(Math.floorDiv(now.getEpochSecond(), seconds));
            counters.add(new CounterRecords.Consumption(CounterKey.of(kind, parts), 1, l.max()));
        }
    }

    private static boolean shared(String a, String b) {
        String x = a.strip().toLowerCase(Locale.ROOT);
        return !x.isEmpty() && x.equals(b.strip().toLowerCase(Locale.ROOT));
    }
}
