package io.referrals.core.storage;

import io.referrals.core.model.AdvocateId;
import io.referrals.core.model.ReferralCode;
import java.util.List;
import java.util.Optional;

/** The referral codes area of a {@link StoreTransaction}. Checked by {@code CodeRecordsContract} in the contract kit. */
public interface CodeRecords {

    /** Stores a new code under its {@link ReferralCode#key()}. @throws DuplicateKeyException {@link UniqueKey#CODE} */
    void insert(ReferralCode code);

    /** The code with this {@link ReferralCode#key() key} (already normalised by the caller). */
    Optional<ReferralCode> get(String key);

    /**
     * Replaces the stored code with the same key if its stored status and status time equal {@code expected}'s;
     * otherwise writes nothing and returns {@code false}.
     */
    boolean update(ReferralCode expected, ReferralCode updated);

    /** An advocate's codes, ordered by issue time then key. */
    List<ReferralCode> ofAdvocate(AdvocateId advocateId);
}
