package io.referrals.spring.boot.starter;

import org.junit.jupiter.api.DisplayName;
import org.springframework.context.ApplicationContext;

@DisplayName("Spring Boot 4 starter on H2")
class Boot4H2StarterTest extends StarterContract {

    @Override
    protected TestDb database() {
        return TestDb.h2();
    }

    @Override
    protected HealthView health(ApplicationContext context) {
        return Boot4Health.of(context);
    }
}
