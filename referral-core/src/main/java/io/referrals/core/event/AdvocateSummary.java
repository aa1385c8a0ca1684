package io.referrals.core.event;

import io.referrals.core.model.Advocate;
import io.referrals.core.model.AdvocateId;
import java.util.Objects;

/**
 * What a notification to the advocate needs: who they are and how to reach them.
 *
 * @param id the library's id
 * @param externalId the host's id
 * @param displayName the advocate's display name
 * @param email the advocate's email, or empty
 * @param optedOut true if the advocate opted out (do not send marketing)
 */
public record AdvocateSummary(AdvocateId id, String externalId, String displayName, String email, boolean optedOut) {
    public AdvocateSummary {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(externalId, "externalId");
        Objects.requireNonNull(displayName, "displayName");
        Objects.requireNonNull(email, "email");
    }

    public static AdvocateSummary of(Advocate a) {
        return new AdvocateSummary(a.id(), a.externalId(), a.displayName(), a.email(), a.optedOut());
    }
}
