package io.referrals.core;

import io.referrals.core.model.AdvocateKind;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What a host passes to {@link ReferralEngine#registerAdvocate}. The engine validates the content.
 *
 * @param externalId the host's id for the advocate, unique
 * @param displayName how to address the advocate
 * @param email where to reach the advocate, or empty
 * @param kind who the advocate is to the host
 * @param accountId the host's account (company) id, or empty
 * @param companyName the advocate's company, or empty
 * @param companyDomain the company's domain, or empty
 * @param segments segments and tags
 * @param attributes free attributes
 */
public record AdvocateRegistration(String externalId, String displayName, String email, AdvocateKind kind,
        String accountId, String companyName, String companyDomain, Set<String> segments,
        Map<String, String> attributes) {
    public AdvocateRegistration {
        externalId = Objects.requireNonNullElse(externalId, "");
        displayName = Objects.requireNonNullElse(displayName, "");
        email = Objects.requireNonNullElse(email, "");
        Objects.requireNonNull(kind, "kind");
        accountId = Objects.requireNonNullElse(accountId, "");
        companyName = Objects.requireNonNullElse(companyName, "");
        companyDomain = Objects.requireNonNullElse(companyDomain, "");
        segments = Set.copyOf(Objects.requireNonNullElse(segments, Set.of()));
        attributes = Map.copyOf(Objects.requireNonNullElse(attributes, Map.of()));
    }

    /** The minimum: external id, name, email and kind. */
    public static AdvocateRegistration of(String externalId, String displayName, String email, AdvocateKind kind) {
        return new AdvocateRegistration(externalId, displayName, email, kind, "", "", "", Set.of(), Map.of());
    }

    /** A copy with the advocate's account and company. */
    public AdvocateRegistration withAccount(String accountId, String companyName, String companyDomain) {
        return new AdvocateRegistration(externalId, displayName, email, kind, accountId, companyName, companyDomain,
                segments, attributes);
    }

    /** A copy with segments. */
    public AdvocateRegistration withSegments(Set<String> newSegments) {
        return new AdvocateRegistration(externalId, displayName, email, kind, accountId, companyName, companyDomain,
                newSegments, attributes);
    }

    /** A copy with attributes. */
    public AdvocateRegistration withAttributes(Map<String, String> newAttributes) {
        return new AdvocateRegistration(externalId, displayName, email, kind, accountId, companyName, companyDomain,
                segments, newAttributes);
    }
}
