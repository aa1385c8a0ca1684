package io.referrals.storage.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.referrals.core.AdvocateRegistration;
import io.referrals.core.CaptureRequest;
import io.referrals.core.CaptureResult;
import io.referrals.core.ReferralEngine;
import io.referrals.core.eligibility.EligibilityReasons;
import io.referrals.core.model.Advocate;
import io.referrals.core.model.AdvocateKind;
import io.referrals.core.model.Channel;
import io.referrals.core.model.ConsentBasis;
import io.referrals.core.model.Program;
import io.referrals.core.model.ProgramId;
import io.referrals.core.model.ProgramKind;
import io.referrals.core.model.ProgramStatus;
import io.referrals.core.model.Prospect;
import io.referrals.core.model.Reason;
import java.nio.file.Path;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("Embedded H2 without a pool (the README demo's setup)")
class H2EmbeddedTest {

    private static JdbcDataSource dataSource(String url) {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL(url);
        ds.setUser("sa");
        return ds;
    }

    @Test
    @DisplayName("a file database keeps its data across restarts, and migrating again changes nothing")
    void fileDatabaseSurvivesRestart(@TempDir Path dir) {
        String url = "jdbc:h2:file:" + dir.resolve("referrals").toAbsolutePath();
        JdbcReferralStore first = JdbcReferralStore.builder(dataSource(url)).build();
        assertThat(first.dialect()).isEqualTo(Dialect.H2);
        Advocate jane = ReferralEngine.builder().store(first).matchKeySecret(JdbcStoreSuite.SECRET).build()
                .registerAdvocate(AdvocateRegistration.of("ext-1", "Jane", "jane@acme.example", AdvocateKind.PARTNER));

        JdbcReferralStore second = JdbcReferralStore.builder(dataSource(url)).build();

        assertThat(ReferralEngine.builder().store(second).matchKeySecret(JdbcStoreSuite.SECRET).build()
                .advocate(jane.id())).contains(jane);
    }

    @Test
    @DisplayName("an engine on a file database is refused without a match-key secret; with one, a prospect referred "
            + "before a restart is a duplicate after it")
    void restartKeepsMatchingProspects(@TempDir Path dir) {
        String url = "jdbc:h2:file:" + dir.resolve("referrals").toAbsolutePath();
        assertThatThrownBy(() -> ReferralEngine.builder().store(JdbcReferralStore.builder(dataSource(url)).build())
                .build()).isInstanceOf(IllegalStateException.class).hasMessageContaining("matchKeySecret");

        ReferralEngine before = ReferralEngine.builder().store(JdbcReferralStore.builder(dataSource(url)).build())
                .matchKeySecret(JdbcStoreSuite.SECRET).build();
        ProgramId program = before.defineProgram(Program.builder(ProgramId.of("customers"), "Customers",
                ProgramKind.CUSTOMER).status(ProgramStatus.ACTIVE).build()).id();
        Advocate jane = before.registerAdvocate(AdvocateRegistration.of("ext-1", "Jane", "jane@acme.example",
                AdvocateKind.CUSTOMER));
        Advocate joe = before.registerAdvocate(AdvocateRegistration.of("ext-2", "Joe", "joe@hooli.example",
                AdvocateKind.CUSTOMER));
        before.enrol(jane.id(), program);
        before.enrol(joe.id(), program);
        assertThat(before.capture(peter(jane, program))).isInstanceOf(CaptureResult.Accepted.class);

        ReferralEngine after = ReferralEngine.builder().store(JdbcReferralStore.builder(dataSource(url)).build())
                .matchKeySecret(JdbcStoreSuite.SECRET).build();
        CaptureResult again = after.capture(peter(joe, program));
        assertThat(again).isInstanceOfSatisfying(CaptureResult.Rejected.class, r -> assertThat(r.reasons())
                .extracting(Reason::code).contains(EligibilityReasons.DUPLICATE_PROSPECT));
    }

    private static CaptureRequest peter(Advocate advocate, ProgramId program) {
        return CaptureRequest.builder().advocate(advocate.id()).program(program)
                .prospect(Prospect.builder().fullName("Peter Gibbons").email("peter@initech.example")
                        .company("Initech").build())
                .channel(Channel.REFERRAL_FORM).consent(ConsentBasis.PROSPECT_CONSENT).build();
    }

    @Test
    @DisplayName("an in-memory database works with plain, unpooled connections")
    void memoryDatabase() {
        JdbcDataSource ds = dataSource("jdbc:h2:mem:demo-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
        ReferralEngine engine = ReferralEngine.builder().store(JdbcReferralStore.builder(ds).build())
                .matchKeySecret(JdbcStoreSuite.SECRET).build();

        Advocate joe = engine.registerAdvocate(AdvocateRegistration.of("ext-2", "Joe", "", AdvocateKind.CUSTOMER));

        assertThat(engine.advocateByExternalId("ext-2")).contains(joe);
    }
}
