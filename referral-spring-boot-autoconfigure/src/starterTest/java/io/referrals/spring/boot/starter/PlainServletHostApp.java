package io.referrals.spring.boot.starter;

import io.referrals.core.ReferralEngine;
import io.referrals.core.eligibility.EligibilityPolicy;
import io.referrals.core.eligibility.VelocityLimit;
import io.referrals.core.model.ProgramId;
import io.referrals.spring.boot.autoconfigure.ReferralEngineCustomizer;
import io.referrals.spring.boot.autoconfigure.portal.PortalAdvocateResolver;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.Base64;
import java.util.Map;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;

/**
 * A host of the portal without Spring Security (its auto-configuration excluded, on both Spring Boot lines): the
 * user comes from the servlet request, as a container's own authentication gives it, here a filter that checks HTTP
 * Basic credentials and answers {@code isUserInRole}. The portal then reads the principal and roles through the
 * servlet API, and its own CSRF token is the only one.
 */
@SpringBootConfiguration
@EnableAutoConfiguration(excludeName = {
        "org.springframework.boot.autoconfigure.security.servlet.SecurityAutoConfiguration",
        "org.springframework.boot.autoconfigure.security.servlet.SecurityFilterAutoConfiguration",
        "org.springframework.boot.autoconfigure.security.servlet.UserDetailsServiceAutoConfiguration",
        "org.springframework.boot.actuate.autoconfigure.security.servlet.ManagementWebSecurityAutoConfiguration",
        "org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration",
        "org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration",
        "org.springframework.boot.security.autoconfigure.actuate.web.servlet.ManagementWebSecurityAutoConfiguration",
        "org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterAutoConfiguration",
        "org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration" })
public class PlainServletHostApp {
    /** User name to roles; every user's password is {@link PortalHostApp#PASSWORD}. */
    private static final Map<String, String> ROLES = Map.of("ana", "USER", "ben", "USER", "carl", "USER", "root",
            "ROLE_REFERRAL_ADMIN");

    @Bean
    public PortalAdvocateResolver portalAdvocateResolver(ReferralEngine engine) {
        return PortalAdvocateResolver.byExternalId(engine);
    }

    @Bean
    public ReferralEngineCustomizer partnersVelocity() {
        return b -> b.eligibilityPolicy(ProgramId.of("partners"),
                EligibilityPolicy.builder().advocateLimits(VelocityLimit.perHour(2)).build());
    }

    /** The "container's" authentication: HTTP Basic against the fixed users; anyone else stays anonymous. */
    @Bean
    public FilterRegistrationBean<Filter> containerAuthentication() {
        Filter f = (request, response, chain) -> {
            HttpServletRequest http = (HttpServletRequest) request;
            String user = user(http.getHeader("Authorization"));
            if (user == null) {
                chain.doFilter(request, response);
                return;
            }
            Principal principal = () -> user;
            chain.doFilter(new HttpServletRequestWrapper(http) {
                @Override
                public Principal getUserPrincipal() {
                    return principal;
                }

                @Override
                public String getRemoteUser() {
                    return user;
                }

                @Override
                public boolean isUserInRole(String role) {
                    return ROLES.get(user).equals(role);
                }
            }, response);
        };
        return new FilterRegistrationBean<>(f);
    }

    private static String user(String authorization) {
        if (authorization == null || !authorization.startsWith("Basic ")) {
            return null;
        }
        String decoded = new String(Base64.getDecoder().decode(authorization.substring(6)), StandardCharsets.UTF_8);
        int colon = decoded.indexOf(':');
        String name = colon < 0 ? "" : decoded.substring(0, colon);
        return ROLES.containsKey(name) && decoded.substring(colon + 1).equals(PortalHostApp.PASSWORD) ? name : null;
    }
}
