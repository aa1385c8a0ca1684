package io.referrals.spring.boot.starter;

import static org.assertj.core.api.Assertions.assertThat;

import io.referrals.core.ReferralEngine;
import io.referrals.core.model.ProgramId;
import io.referrals.spring.boot.starter.HostApp.HostService;
import io.referrals.spring.boot.starter.HostApp.Notifier;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A host that runs its own migrations: the shipped scripts run from the host's Flyway (Spring Boot's), next to the
 * host's own scripts, with the table prefix as a Flyway placeholder; the store then neither migrates nor validates.
 */
public abstract class FlywayHostMigrationsContract {

    /** A fresh database for the test. */
    protected abstract TestDb database();

    /** The folder of the shipped scripts for the database, e.g. {@code postgresql}. */
    protected abstract String scriptFolder();

    @Test
    @DisplayName("the shipped scripts run from the host's Flyway with the prefix as a placeholder, and the store works"
            + " on the schema they made")
    void hostFlywayRunsTheShippedScripts() {
        TestDb db = database();
        try (ConfigurableApplicationContext app = StarterContract.start(db, "spring.flyway.enabled=true",
                "spring.flyway.locations=classpath:db/referrals/" + scriptFolder() + ",classpath:host-migrations",
                "spring.flyway.placeholders.prefix=crm_", "referrals.store.table-prefix=crm_",
                "referrals.store.migration=NONE", "referrals.programs.customers.name=Customer referrals")) {
            Flyway flyway = app.getBean(Flyway.class);
            assertThat(List.of(flyway.info().applied())).extracting(m -> m.getVersion().getVersion())
                    .containsExactly("1", "2", "3", "4", "5", "6", "7", "8", "100");
            assertThat(db.count("SELECT COUNT(*) FROM crm_program")).isEqualTo(1);
            assertThat(db.count("SELECT COUNT(*) FROM information_schema.tables WHERE LOWER(table_name) ="
                    + " 'crm_schema_history'")).as("the store migrated nothing itself").isZero();

            HostService host = app.getBean(HostService.class);
            host.advocateWithCode("crm-7", "customers", "FLY-7");
            var id = host.refer("fly-7", "p@initech.example", false);
            StarterContract.await("the notification", () -> app.getBean(Notifier.class).told.contains(id.value()));
            assertThat(app.getBean(ReferralEngine.class).program(ProgramId.of("customers"))).isPresent();
        } finally {
            db.close();
        }
    }
}
