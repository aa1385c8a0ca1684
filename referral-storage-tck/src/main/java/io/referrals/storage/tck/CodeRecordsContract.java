package io.referrals.storage.tck;

import static io.referrals.storage.tck.Fixtures.T0;
import static io.referrals.storage.tck.Fixtures.at;
import static io.referrals.storage.tck.Fixtures.code;
import static org.assertj.core.api.Assertions.assertThat;

import io.referrals.core.model.AdvocateId;
import io.referrals.core.model.CodeStatus;
import io.referrals.core.model.ProgramId;
import io.referrals.core.model.ReferralCode;
import io.referrals.core.storage.CodeRecords;
import io.referrals.core.storage.StoreTransaction;
import io.referrals.core.storage.UniqueKey;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The obligations of {@link CodeRecords}. Part of {@link ReferralStoreContract}. */
public abstract class CodeRecordsContract extends AdvocateRecordsContract {

    CodeRecordsContract() {
    }

    @Nested
    @DisplayName("Referral codes (CodeRecords)")
    class Codes {

        @Test
        @DisplayName("get of an unknown key is empty, and so are the codes of an unknown advocate")
        void unknown() {
            tx(t -> {
                assertThat(t.codes().get("QQQQ")).isEmpty();
                assertThat(t.codes().ofAdvocate(AdvocateId.of("x"))).isEmpty();
                return null;
            });
        }

        @Test
        @DisplayName("insert of a taken key (case and hyphens ignored), even by another advocate, throws "
                + "DuplicateKeyException CODE and writes nothing")
        void codeKey() {
            ReferralCode c = Fixtures.code("JANE-ACME", AdvocateId.of("adv-1"), ProgramId.of("prog-1"), T0);
            write(t -> t.codes().insert(c));
            assertDuplicate(store, UniqueKey.CODE,
                    t -> t.codes().insert(Fixtures.code("jane acme", AdvocateId.of("adv-2"), ProgramId.of("prog-1"),
                            at(1))));
            assertThat(tx((StoreTransaction t) -> t.codes().get("JANEACME"))).contains(c);
            assertThat(tx((StoreTransaction t) -> t.codes().ofAdvocate(AdvocateId.of("adv-2")))).isEmpty();
        }

        @Test
        @DisplayName("update replaces a code only while the stored status and status time equal the expected ones; "
                + "otherwise false and nothing written")
        void conditionalUpdate() {
            ReferralCode c = Fixtures.code("JANE-ACME", AdvocateId.of("adv-1"), ProgramId.of("prog-1"), T0);
            write(t -> t.codes().insert(c));
            ReferralCode staleTime = new ReferralCode(c.code(), c.advocateId(), c.programId(), c.vanity(),
                    CodeStatus.ACTIVE, c.issuedAt(), at(1));
            assertThat(tx((StoreTransaction t) -> t.codes().update(staleTime, staleTime.revoke(at(2))))).isFalse();
            ReferralCode staleStatus = c.revoke(T0);
            assertThat(tx((StoreTransaction t) -> t.codes().update(staleStatus, staleStatus.revoke(at(2)))))
                    .isFalse();
            assertThat(tx((StoreTransaction t) -> t.codes().get(c.key()))).contains(c);
            ReferralCode revoked = c.revoke(at(3));
            assertThat(tx((StoreTransaction t) -> t.codes().update(c, revoked))).isTrue();
            assertThat(tx((StoreTransaction t) -> t.codes().get(c.key()))).contains(revoked);
            assertThat(tx((StoreTransaction t) -> t.codes().update(c, c.revoke(at(4))))).as("a stale revoker")
                    .isFalse();
            assertThat(tx((StoreTransaction t) -> t.codes().get(c.key()))).contains(revoked);
            assertThat(tx((StoreTransaction t) -> t.codes().ofAdvocate(c.advocateId()))).containsExactly(revoked);
        }

        @Test
        @DisplayName("update of an unknown code returns false and creates nothing")
        void unknownIsNotCreated() {
            ReferralCode c = Fixtures.code("JANE-ACME", AdvocateId.of("adv-1"), ProgramId.of("prog-1"), T0);
            assertThat(tx((StoreTransaction t) -> t.codes().update(c, c.revoke(at(1))))).isFalse();
            assertThat(tx((StoreTransaction t) -> t.codes().get(c.key()))).isEmpty();
            assertThat(tx((StoreTransaction t) -> t.codes().ofAdvocate(c.advocateId()))).isEmpty();
        }

        @Test
        @DisplayName("round trip: generated and vanity codes, active and revoked, keep the code as issued")
        void roundTrip() {
            AdvocateId a = AdvocateId.of("adv-1");
            ReferralCode generated = new ReferralCode("K7M9P2XQ4RT8WZ", a, ProgramId.of("prog-1"), false,
                    CodeStatus.ACTIVE, at(1), at(1));
            ReferralCode revoked = Fixtures.code("jane acme 2", a, ProgramId.of("prog-1"), at(2)).revoke(at(4));
            write(t -> {
                t.codes().insert(generated);
                t.codes().insert(revoked);
            });
            assertThat(tx((StoreTransaction t) -> t.codes().get("K7M9P2XQ4RT8WZ"))).contains(generated);
            ReferralCode back = tx(t -> t.codes().get("JANEACME2")).orElseThrow();
            assertThat(back).isEqualTo(revoked);
            assertThat(back.code()).as("the code as issued, for display").isEqualTo("jane acme 2");
        }

        @Test
        @DisplayName("ofAdvocate lists an advocate's codes ordered by issue time, then key; get matches the key "
                + "exactly")
        void codesByIssueTime() {
            AdvocateId a = AdvocateId.of("adv-1");
            ProgramId p = ProgramId.of("prog-1");
            write(t -> {
                t.codes().insert(Fixtures.code("ZZZZ-LATE", a, p, at(10)));
                t.codes().insert(Fixtures.code("BBBB", a, p, at(5)));
                t.codes().insert(Fixtures.code("AAAA", a, p, at(5)));
                t.codes().insert(Fixtures.code("CCCC-EARLY", a, p, at(1)));
                t.codes().insert(Fixtures.code("OTHER", AdvocateId.of("adv-2"), p, at(0)));
            });
            assertThat(tx((StoreTransaction t) -> t.codes().ofAdvocate(a))).extracting(ReferralCode::code)
                    .containsExactly("CCCC-EARLY", "AAAA", "BBBB", "ZZZZ-LATE");
            assertThat(tx((StoreTransaction t) -> t.codes().get("CCCCEARLY"))).isPresent();
            assertThat(tx((StoreTransaction t) -> t.codes().get("cccc-early")))
                    .as("the caller normalises, the store matches exactly").isEmpty();
        }
    }
}
