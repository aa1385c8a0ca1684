package io.referrals.spring.boot.starter;

import org.junit.jupiter.api.DisplayName;
import org.springframework.context.ApplicationContext;

@DisplayName("Spring Boot 3.5 starter on H2")
class Boot3H2StarterTest extends StarterContract {

    @Override
    protected TestDb database() {
        return TestDb.h2();
    }

    @Override
    protected HealthView health(ApplicationContext context) {
        return Boot3Health.of(context);
    }
}
