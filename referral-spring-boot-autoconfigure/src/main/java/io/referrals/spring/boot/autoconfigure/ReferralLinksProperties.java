package io.referrals.spring.boot.autoconfigure;

import io.referrals.core.ReferralLinks;
import java.net.URI;
import org.springframework.boot.context.properties.ConfigurationProperties;

/** The {@code referrals.links.*} properties: where a referral code's share link points. */
@ConfigurationProperties(prefix = "referrals.links")
public class ReferralLinksProperties {

    /**
     * The landing page of share links, for example "https://example.com/refer": a code's link is this page with the
     * code as a query parameter. Unset: codes have no link.
     */
    private URI landingPage;

    /** The name of the query parameter carrying the code; unset: the library's default. */
    private String parameter;

    public URI getLandingPage() {
        return landingPage;
    }

    public void setLandingPage(URI landingPage) {
        this.landingPage = landingPage;
    }

    public String getParameter() {
        return parameter;
    }

    public void setParameter(String parameter) {
        this.parameter = parameter;
    }

    /** The link builder, or null without a landing page. */
    ReferralLinks links() {
        if (landingPage == null) {
            return null;
        }
        ReferralLinks links = ReferralLinks.to(landingPage);
        return parameter == null || parameter.isBlank() ? links : links.parameter(parameter);
    }
}
