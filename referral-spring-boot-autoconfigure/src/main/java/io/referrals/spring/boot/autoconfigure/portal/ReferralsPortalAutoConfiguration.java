package io.referrals.spring.boot.autoconfigure.portal;

import io.referrals.core.AdvocateViews;
import io.referrals.core.ProgramInsights;
import io.referrals.core.ReferralEngine;
import io.referrals.spring.boot.autoconfigure.ReferralsAdvocateViewsAutoConfiguration;
import java.util.regex.Pattern;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.web.servlet.DispatcherServlet;

/**
 * The advocate portal, on with {@code referrals.portal.enabled=true} in a servlet web application: pages and JSON
 * endpoints under {@code referrals.portal.base-path} for the signed-in advocate (their view, share links, the
 * refer-a-colleague form) and for program admins (the review queue, the program report). Authentication is the
 * host's; a {@link PortalAdvocateResolver} bean, which the host must define, maps its user to an advocate. Spring
 * Security is used when present (authorities, CSRF token) and never required.
 */
@AutoConfiguration(after = ReferralsAdvocateViewsAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({ DispatcherServlet.class, ReferralEngine.class })
@ConditionalOnProperty(prefix = "referrals.portal", name = "enabled", havingValue = "true")
@ConditionalOnBean({ ReferralEngine.class, AdvocateViews.class })
@EnableConfigurationProperties(PortalProperties.class)
public class ReferralsPortalAutoConfiguration {
    private static final Pattern BASE_PATH = Pattern.compile("(/[A-Za-z0-9._~-]+)+");

    /**
     * The portal's pages and endpoints.
     *
     * @throws IllegalStateException if no {@link PortalAdvocateResolver} bean exists, or a property is malformed
     */
    @Bean
    PortalController referralsPortalController(ReferralEngine engine, AdvocateViews views,
            ObjectProvider<ProgramInsights> insights, PortalProperties properties,
            ObjectProvider<PortalAdvocateResolver> resolver) {
        if (!BASE_PATH.matcher(properties.getBasePath()).matches()) {
            throw new IllegalStateException("referrals.portal.base-path must be a path such as /referrals, without a"
                    + " trailing slash");
        }
        if (properties.getPageSize() < 1 || properties.getPageSize() > AdvocateViews.MAX_PAGE_SIZE) {
            throw new IllegalStateException("referrals.portal.page-size must be 1 to " + AdvocateViews.MAX_PAGE_SIZE);
        }
        if (properties.getAdminAuthority() == null || properties.getAdminAuthority().isBlank()) {
            throw new IllegalStateException("referrals.portal.admin-authority must not be blank");
        }
        PortalAdvocateResolver r = resolver.getIfAvailable();
        if (r == null) {
            throw new IllegalStateException("referrals.portal.enabled=true needs a PortalAdvocateResolver bean that maps"
                    + " your signed-in users to advocates, e.g. PortalAdvocateResolver.byExternalId(engine)");
        }
        return new PortalController(engine, views,
                insights.getIfAvailable(() -> engine.extension(ProgramInsights.extension())), properties, r);
    }
}
