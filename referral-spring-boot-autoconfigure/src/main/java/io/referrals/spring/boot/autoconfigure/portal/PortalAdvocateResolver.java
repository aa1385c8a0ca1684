package io.referrals.spring.boot.autoconfigure.portal;

import io.referrals.core.ReferralEngine;
import io.referrals.core.model.Advocate;
import io.referrals.core.model.AdvocateId;
import java.security.Principal;
import java.util.Objects;
import java.util.Optional;

/**
 * Maps the host's signed-in user to the advocate whose data the portal shows them. The host's authentication decides
 * who the user is; this bean decides which advocate that user is, and the portal never lets a user name another
 * advocate. A host that enables the portal must define one (the portal refuses to start without it), so that the
 * mapping is always a deliberate choice. Called on every portal request: keep it fast and side-effect free.
 */
@FunctionalInterface
public interface PortalAdvocateResolver {

    /**
     * The advocate {@code principal} is, or empty when the user is no advocate (an admin only, say): the advocate's
     * endpoints then answer 403.
     *
     * @param principal the authenticated user, never null
     */
    Optional<AdvocateId> advocateOf(Principal principal);

    /**
     * Resolves a user to the advocate whose external id (the id in the host's CRM or user directory) is the principal's
     * name. For hosts whose user names are those external ids, and for samples.
     *
     * @throws NullPointerException if {@code engine} is null
     */
    static PortalAdvocateResolver byExternalId(ReferralEngine engine) {
        Objects.requireNonNull(engine, "engine");
        return principal -> engine.advocateByExternalId(principal.getName()).map(Advocate::id);
    }
}
