package io.referrals.spring.boot.starter;

import io.referrals.core.ReferralEngine;
import io.referrals.core.eligibility.EligibilityPolicy;
import io.referrals.core.eligibility.VelocityLimit;
import io.referrals.core.model.ProgramId;
import io.referrals.spring.boot.autoconfigure.ReferralEngineCustomizer;
import io.referrals.spring.boot.autoconfigure.portal.PortalAdvocateResolver;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;

/**
 * The host of the portal's tests: Spring Security with HTTP Basic and four users (advocates "ana" and "ben", the admin
 * "root", and "carl", who is no advocate), user names resolved to advocates by external id, and the "partners"
 * program limited to two referrals per advocate and hour. With {@code test.spring-csrf=false} the host switches
 * Spring Security's CSRF protection off, leaving the portal's own.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class PortalHostApp {
    static final String PASSWORD = "secret";

    @Bean
    public PortalAdvocateResolver portalAdvocateResolver(ReferralEngine engine) {
        return PortalAdvocateResolver.byExternalId(engine);
    }

    @Bean
    public ReferralEngineCustomizer partnersVelocity() {
        return b -> b.eligibilityPolicy(ProgramId.of("partners"),
                EligibilityPolicy.builder().advocateLimits(VelocityLimit.perHour(2)).build());
    }

    @Bean
    public SecurityFilterChain portalSecurity(HttpSecurity http, Environment env) throws Exception {
        http.authorizeHttpRequests(a -> a.requestMatchers("/error").permitAll().anyRequest().authenticated()).httpBasic(Customizer.withDefaults());
        if (!env.getProperty("test.spring-csrf", Boolean.class, true)) {
            http.csrf(c -> c.disable());
        }
        return http.build();
    }

    @Bean
    public UserDetailsService users() {
        return new InMemoryUserDetailsManager(
                User.withUsername("ana").password("{noop}" + PASSWORD).roles("USER").build(),
                User.withUsername("ben").password("{noop}" + PASSWORD).roles("USER").build(),
                User.withUsername("carl").password("{noop}" + PASSWORD).roles("USER").build(),
                User.withUsername("root").password("{noop}" + PASSWORD).roles("REFERRAL_ADMIN").build());
    }
}
