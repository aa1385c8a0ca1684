package io.referrals.spring.boot4;

import io.referrals.spring.boot.autoconfigure.OutboxMonitor;
import io.referrals.spring.boot.autoconfigure.ReferralsAutoConfiguration;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;

/**
 * The "referrals" health indicator on Spring Boot 4, when Actuator's health support is present; off with
 * {@code management.health.referrals.enabled=false}.
 */
@AutoConfiguration(after = ReferralsAutoConfiguration.class)
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnBean(OutboxMonitor.class)
@ConditionalOnProperty(prefix = "management.health.referrals", name = "enabled", matchIfMissing = true)
public class ReferralsHealthAutoConfiguration {

    /** The indicator, named "referrals" in the health endpoint. */
    @Bean
    @ConditionalOnMissingBean(name = "referralsHealthIndicator")
    public ReferralsHealthIndicator referralsHealthIndicator(OutboxMonitor monitor) {
        return new ReferralsHealthIndicator(monitor);
    }
}
