package io.referrals.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The host-transaction example")
class HostTransactionExampleTest {

    @Test
    @DisplayName("commits the referral with the host's lead, drops it with the host's rollback, delivers after commit")
    void referralsShareTheHostsFate() throws Exception {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:host-tx-example;DB_CLOSE_DELAY=-1");
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        HostTransactionExample example = new HostTransactionExample(h2,
                new PrintStream(buffer, true, StandardCharsets.UTF_8));

        example.run("ex_");

        String out = buffer.toString(StandardCharsets.UTF_8);
        assertThat(out).contains("host transaction rolled back: 23505", "leads in the host's table: 1",
                "referrals stored: 1");
        assertThat(example.delivered()).containsExactly("Initech");
    }
}
