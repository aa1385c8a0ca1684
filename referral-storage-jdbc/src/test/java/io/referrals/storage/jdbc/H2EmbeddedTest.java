package io.referrals.storage.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.referrals.core.AdvocateRegistration;
import io.referrals.core.ReferralEngine;
import io.referrals.core.model.Advocate;
import io.referrals.core.model.AdvocateKind;
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
        Advocate jane = ReferralEngine.builder().store(first).build()
                .registerAdvocate(AdvocateRegistration.of("ext-1", "Jane", "jane@acme.example", AdvocateKind.PARTNER));

        JdbcReferralStore second = JdbcReferralStore.builder(dataSource(url)).build();

        assertThat(ReferralEngine.builder().store(second).build().advocate(jane.id())).contains(jane);
    }

    @Test
    @DisplayName("an in-memory database works with plain, unpooled connections")
    void memoryDatabase() {
        JdbcDataSource ds = dataSource("jdbc:h2:mem:demo-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
        ReferralEngine engine = ReferralEngine.builder().store(JdbcReferralStore.builder(ds).build()).build();

        Advocate joe = engine.registerAdvocate(AdvocateRegistration.of("ext-2", "Joe", "", AdvocateKind.CUSTOMER));

        assertThat(engine.advocateByExternalId("ext-2")).contains(joe);
    }
}
