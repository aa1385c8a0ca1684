package io.referrals.examples.boot;

import io.referrals.core.ReferralEngine;
import io.referrals.core.model.Advocate;
import io.referrals.spring.boot.autoconfigure.portal.PortalAdvocateResolver;
import java.util.Map;
import java.util.Optional;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;

/**
 * The sample's sign-in: Spring Security with form login and three in-memory users, all with the password
 * {@value #DEMO_PASSWORD} (a demo only: a real host has its own users). {@code jane} and {@code omar} are advocates;
 * {@code admin} holds {@code ROLE_REFERRAL_ADMIN}, the portal's default admin authority. The portal (under
 * {@code /referrals/}) needs a signed-in user; the machine-to-machine endpoints of the sample (capture by code, the
 * CRM webhook, notifications, Actuator) stay open and outside CSRF protection, as a real host would protect them with
 * its own API credentials.
 */
@Configuration(proxyBeanMethods = false)
public class SampleSecurity {
    /** The password of every demo user. */
    public static final String DEMO_PASSWORD = "referrals";

    /** Portal user name to the advocate's id in the CRM. */
    private static final Map<String, String> ADVOCATES = Map.of("jane", "crm-42", "omar", "crm-43");

    /** Maps a signed-in user to their advocate: the host decides who is who. */
    @Bean
    public PortalAdvocateResolver portalAdvocateResolver(ReferralEngine engine) {
        return principal -> Optional.ofNullable(ADVOCATES.get(principal.getName()))
                .flatMap(engine::advocateByExternalId).map(Advocate::id);
    }

    @Bean
    public SecurityFilterChain sampleFilterChain(HttpSecurity http) throws Exception {
        http.authorizeHttpRequests(a -> a
                        .requestMatchers(HttpMethod.POST, "/referrals", "/crm/webhook").permitAll()
                        .requestMatchers("/notifications", "/actuator/**", "/error").permitAll()
                        .anyRequest().authenticated())
                .csrf(c -> c.ignoringRequestMatchers("/referrals", "/crm/webhook"))
                .formLogin(f -> f.defaultSuccessUrl("/referrals/", false))
                .httpBasic(Customizer.withDefaults());
        return http.build();
    }

    @Bean
    public UserDetailsService sampleUsers() {
        String password = "{noop}" + DEMO_PASSWORD;
        return new InMemoryUserDetailsManager(
                User.withUsername("jane").password(password).roles("USER").build(),
                User.withUsername("omar").password(password).roles("USER").build(),
                User.withUsername("admin").password(password).roles("REFERRAL_ADMIN").build());
    }
}
