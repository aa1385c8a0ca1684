package io.referrals.spring.boot.starter;

import io.referrals.spring.boot3.ReferralsHealthIndicator;
import org.springframework.context.ApplicationContext;

/** Reads the health indicator of this Spring Boot line. */
final class Boot3Health {

    private Boot3Health() {
    }

    static StarterContract.HealthView of(ApplicationContext context) {
        var health = context.getBean("referralsHealthIndicator", ReferralsHealthIndicator.class).health();
        return new StarterContract.HealthView(health.getStatus().getCode(), health.getDetails());
    }
}
