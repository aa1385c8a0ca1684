package io.referrals.storage.tck;

import io.referrals.core.storage.ReferralStore;
import io.referrals.core.storage.memory.InMemoryReferralStore;

class InMemoryReferralStoreStatefulProperties extends ReferralStoreStatefulContract {
    @Override
    protected ReferralStore newStore() {
        return new InMemoryReferralStore();
    }
}
