package io.referrals.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.referrals.core.model.AdvocateKind;
import io.referrals.core.storage.ReferralStore;
import io.referrals.core.storage.StoreTransaction;
import io.referrals.core.storage.memory.InMemoryReferralStore;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The engine's builder refuses configurations that lose a guarantee")
class EngineBuildChecksTest {
    private static final byte[] SECRET = "engine-build-checks-secret".getBytes(StandardCharsets.UTF_8);

    /** A store over memory that says it keeps its data, as a database does. */
    private static final class Persistent implements ReferralStore {
        private final InMemoryReferralStore data = new InMemoryReferralStore();

        @Override
        public <T> T inTransaction(Function<StoreTransaction, T> work) {
            return data.inTransaction(work);
        }
    }

    /** A persistent store whose transactions the host commits, as a JDBC store joining host transactions. */
    private static final class Joining implements ReferralStore {
        private final InMemoryReferralStore data = new InMemoryReferralStore();

        @Override
        public <T> T inTransaction(Function<StoreTransaction, T> work) {
            return data.inTransaction(work);
        }

        @Override
        public boolean joinsHostTransactions() {
            return true;
        }
    }

    @Test
    @DisplayName("an engine on a persistent store without a match-key secret is refused, saying how to set one")
    void persistentStoreNeedsASecret() {
        assertThatThrownBy(() -> ReferralEngine.builder().store(new Persistent()).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("matchKeySecret").hasMessageContaining("across restarts");

        ReferralEngine engine = ReferralEngine.builder().store(new Persistent()).matchKeySecret(SECRET).build();
        assertThat(engine.registerAdvocate(AdvocateRegistration.of("ext-1", "Jane", "", AdvocateKind.CUSTOMER)))
                .isNotNull();
    }

    @Test
    @DisplayName("the in-memory store needs no secret: its data, and the random one, end with it")
    void inMemoryStoreNeedsNoSecret() {
        assertThat(new InMemoryReferralStore().isPersistent()).isFalse();
        assertThat(ReferralEngine.builder().build().store().isPersistent()).isFalse();
        assertThat(ReferralEngine.builder().store(new InMemoryReferralStore()).build()).isNotNull();
    }

    @Test
    @DisplayName("an engine delivering in process on a store that joins host transactions is refused, saying to use "
            + "the outbox; with the outbox it builds")
    void joiningStoreNeedsTheOutbox() {
        assertThatThrownBy(() -> ReferralEngine.builder().store(new Joining()).matchKeySecret(SECRET).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("joins host transactions").hasMessageContaining("outbox()");

        assertThat(ReferralEngine.builder().store(new Joining()).matchKeySecret(SECRET).outbox().build()).isNotNull();
    }

    @Test
    @DisplayName("the in-memory store never joins a host transaction, and a store says it does not unless it does")
    void inMemoryStoreNeverJoins() {
        assertThat(new InMemoryReferralStore().joinsHostTransactions()).isFalse();
        assertThat(new Persistent().joinsHostTransactions()).isFalse();
        assertThat(new Persistent().isPersistent()).isTrue();
    }
}
