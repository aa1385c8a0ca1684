package io.referrals.storage.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class DialectTest {

    @Test
    @DisplayName("the dialect follows the product name and version the driver reports")
    void detection() {
        assertThat(Dialect.of("H2", "2.3.232 (2024-08-11)")).contains(Dialect.H2);
        assertThat(Dialect.of("PostgreSQL", "15.19 (Debian 15.19-0+deb12u1)")).contains(Dialect.POSTGRESQL);
        assertThat(Dialect.of("MariaDB", "10.11.19-MariaDB-0+deb12u1")).contains(Dialect.MARIADB);
    }

    @Test
    @DisplayName("a MariaDB server seen through a MySQL driver is MariaDB; MySQL itself and others are not supported")
    void mySql() {
        assertThat(Dialect.of("MySQL", "5.5.5-10.11.19-MariaDB-0+deb12u1")).contains(Dialect.MARIADB);
        assertThat(Dialect.of("MySQL", "8.0.36")).isEmpty();
        assertThat(Dialect.of("Microsoft SQL Server", "16.00.1000")).isEmpty();
    }
}
