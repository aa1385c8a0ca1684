package io.referrals.spring.boot.starter;

import org.junit.jupiter.api.DisplayName;
import org.springframework.context.ApplicationContext;

@DisplayName("Spring Boot 4 starter on PostgreSQL")
class Boot4PostgreSqlStarterTest extends StarterContract {

    @Override
    protected TestDb database() {
        return TestDb.postgres();
    }

    @Override
    protected HealthView health(ApplicationContext context) {
        return Boot4Health.of(context);
    }
}
