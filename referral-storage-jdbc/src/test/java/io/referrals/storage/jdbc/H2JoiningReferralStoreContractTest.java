package io.referrals.storage.jdbc;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The contract kit on H2 with stores that join host transactions ({@link HostTransactions#JOIN}): on a pool in
 * auto-commit every transaction is still the store's own, but the store says it may join, so the kit's engines use
 * the outbox and its capability checks take the joining branch.
 */
class H2JoiningReferralStoreContractTest extends JdbcContract {
    private static final Shared SHARED = new Shared(Dialect.H2);

    @BeforeAll
    static void openDatabase() {
        SHARED.open();
    }

    @AfterAll
    static void dropDatabase() {
        SHARED.close();
    }

    @Override
    Shared shared() {
        return SHARED;
    }

    @Override
    HostTransactions hostTransactions() {
        return HostTransactions.JOIN;
    }
}
