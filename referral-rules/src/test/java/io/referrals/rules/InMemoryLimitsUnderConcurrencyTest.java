package io.referrals.rules;

import io.referrals.core.storage.ReferralStore;
import io.referrals.core.storage.memory.InMemoryReferralStore;
import java.util.function.Supplier;
import org.junit.jupiter.api.DisplayName;

@DisplayName("Limits hold under concurrency over the in-memory store")
class InMemoryLimitsUnderConcurrencyTest extends LimitsUnderConcurrencyTest {
    @Override
    protected Supplier<ReferralStore> stores() {
        return InMemoryReferralStore::new;
    }
}
