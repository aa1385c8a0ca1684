package io.referrals.core.model;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Someone who refers: a customer contact, partner, employee, influencer or ambassador, known to the host by its own
 * {@code externalId} (unique). Several advocates may share an {@code accountId}.
 *
 * @param id the library's id
 * @param externalId the host's id for this advocate, unique across advocates
 * @param displayName how to address the advocate in a notification
 * @param email where the host reaches the advocate
 * @param kind who the advocate is to the host
 * @param accountId the host's id of the advocate's account (company), or empty
 * @param companyName the advocate's company, or empty
 * @param companyDomain the advocate's company domain, lower case, or empty
 * @param segments segments and tags, for targeting
 * @param attributes free attributes of the host
 * @param optedOut true once the advocate opted out; an opted-out advocate's referrals are refused
 * @param registeredAt when the advocate was registered
 * @param version optimistic version, starting at 1
 */
public record Advocate(AdvocateId id, String externalId, String displayName, String email, AdvocateKind kind,
        String accountId, String companyName, String companyDomain, Set<String> segments,
        Map<String, String> attributes, boolean optedOut, Instant registeredAt, long version) {

    public Advocate {
        Objects.requireNonNull(id, "id");
        Checks.required(externalId, "externalId");
        Checks.required(displayName, "displayName");
        email = Checks.text(email);
        Objects.requireNonNull(kind, "kind");
        accountId = Checks.text(accountId);
        companyName = Checks.text(companyName);
        companyDomain = Checks.text(companyDomain);
        segments = Set.copyOf(segments);
        attributes = Map.copyOf(attributes);
        Objects.requireNonNull(registeredAt, "registeredAt");
        if (version < 1) {
            throw new IllegalArgumentException("version starts at 1");
        }
    }

    /** A copy marked as opted out, with the next version. */
    public Advocate optOut() {
        return new Advocate(id, externalId, displayName, email, kind, accountId, companyName, companyDomain, segments,
                attributes, true, registeredAt, version + 1);
    }
}
