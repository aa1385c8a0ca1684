package io.referrals.core.model;

import java.text.Normalizer;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Maps a CRM's stage names to a program's stages, so a host can feed a CRM webhook straight in. Names are matched
 * without regard to case, spacing or punctuation: {@code "Closed Won"}, {@code "closed-won"} and {@code "closedwon"}
 * are the same key. A name that is not mapped resolves to empty; it is never guessed. Immutable and thread-safe.
 */
public final class CrmStageMapping {
    private static final CrmStageMapping NONE = new CrmStageMapping(Map.of());

    private final Map<String, Stage> byKey;

    private CrmStageMapping(Map<String, Stage> byKey) {
        this.byKey = Collections.unmodifiableMap(new LinkedHashMap<>(byKey));
    }

    /** The empty mapping. */
    public static CrmStageMapping none() {
        return NONE;
    }

    /** A mapping from the given CRM names to stage names. */
    public static CrmStageMapping of(Map<String, String> crmToStage) {
        Map<String, Stage> m = new LinkedHashMap<>();
        crmToStage.forEach((crm, stage) -> put(m, crm, Stage.of(stage)));
        return new CrmStageMapping(m);
    }

    /**
     * Salesforce's standard opportunity stages onto the {@link StagePipeline#b2bDefault() B2B default pipeline}:
     * Prospecting is contacted; Qualification and Needs Analysis are qualified; Value Proposition through
     * Negotiation/Review are opportunity; Closed Won and Closed Lost are won and lost.
     */
    public static CrmStageMapping salesforceOpportunityStages() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("Prospecting", "contacted");
        m.put("Qualification", "qualified");
        m.put("Needs Analysis", "qualified");
        m.put("Value Proposition", "opportunity");
        m.put("Id. Decision Makers", "opportunity");
        m.put("Perception Analysis", "opportunity");
        m.put("Proposal/Price Quote", "opportunity");
        m.put("Negotiation/Review", "opportunity");
        m.put("Closed Won", "won");
        m.put("Closed Lost", "lost");
        return of(m);
    }

    /**
     * Salesforce's standard lead statuses onto the B2B default pipeline: Open - Not Contacted is submitted, Working -
     * Contacted is contacted, Closed - Converted is qualified, Closed - Not Converted is lost.
     */
    public static CrmStageMapping salesforceLeadStatuses() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("Open - Not Contacted", "submitted");
        m.put("Working - Contacted", "contacted");
        m.put("Closed - Converted", "qualified");
        m.put("Closed - Not Converted", "lost");
        return of(m);
    }

    /**
     * HubSpot's default deal stages (internal ids) onto the B2B default pipeline: appointmentscheduled is meeting_held,
     * qualifiedtobuy is qualified, presentationscheduled, decisionmakerboughtin and contractsent are opportunity,
     * closedwon and closedlost are won and lost.
     */
    public static CrmStageMapping hubspotDealStages() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("appointmentscheduled", "meeting_held");
        m.put("qualifiedtobuy", "qualified");
        m.put("presentationscheduled", "opportunity");
        m.put("decisionmakerboughtin", "opportunity");
        m.put("contractsent", "opportunity");
        m.put("closedwon", "won");
        m.put("closedlost", "lost");
        return of(m);
    }

    /** Salesforce opportunity stages, Salesforce lead statuses and HubSpot deal stages together. */
    public static CrmStageMapping standard() {
        return salesforceOpportunityStages().and(salesforceLeadStatuses()).and(hubspotDealStages());
    }

    /**
     * This mapping with {@code other}'s entries added; where both map the same key, {@code other} wins.
     */
    public CrmStageMapping and(CrmStageMapping other) {
        Map<String, Stage> m = new LinkedHashMap<>(byKey);
        m.putAll(other.byKey);
        return new CrmStageMapping(m);
    }

    /** This mapping with one more entry. */
    public CrmStageMapping with(String crmStage, Stage stage) {
        Map<String, Stage> m = new LinkedHashMap<>(byKey);
        put(m, crmStage, stage);
        return new CrmStageMapping(m);
    }

    /** The stage a CRM stage name maps to, or empty when it is not mapped. */
    public Optional<Stage> resolve(String crmStage) {
        Objects.requireNonNull(crmStage, "crmStage");
        return Optional.ofNullable(byKey.get(key(crmStage)));
    }

    /** Entries keyed by the normalised CRM name (lower-case letters and digits only). */
    public Map<String, Stage> entries() {
        return byKey;
    }

    /** The matching key of a CRM name: lower-case letters and digits, accents removed. */
    public static String key(String crmStage) {
        String decomposed = Normalizer.normalize(crmStage, Normalizer.Form.NFKD);
        StringBuilder sb = new StringBuilder(decomposed.length());
        decomposed.toLowerCase(Locale.ROOT).codePoints()
                .filter(c -> (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
                .forEach(sb::appendCodePoint);
        return sb.toString();
    }

    private static void put(Map<String, Stage> m, String crm, Stage stage) {
        Objects.requireNonNull(stage, "stage");
        String k = key(Objects.requireNonNull(crm, "crmStage"));
        if (k.isEmpty()) {
            throw new IllegalArgumentException("a CRM stage name needs at least one letter or digit");
        }
        m.put(k, stage);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CrmStageMapping c && byKey.equals(c.byKey);
    }

    @Override
    public int hashCode() {
        return byKey.hashCode();
    }

    @Override
    public String toString() {
        return "CrmStageMapping" + byKey;
    }
}
