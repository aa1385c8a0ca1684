package io.referrals.spring.boot.autoconfigure.portal;

import java.util.Currency;
import java.util.Locale;
import org.springframework.boot.context.properties.ConfigurationProperties;

/** The {@code referrals.portal.*} properties: the opt-in advocate portal. */
@ConfigurationProperties(prefix = "referrals.portal")
public class PortalProperties {

    /** Serves the advocate portal (pages and JSON endpoints). Needs a PortalAdvocateResolver bean. */
    private boolean enabled;

    /** Where the portal lives: its pages at "{base-path}/", its JSON endpoints under "{base-path}/api". */
    private String basePath = "/referrals";

    /** The authority (e.g. a role "ROLE_..." in Spring Security) that marks program admins. */
    private String adminAuthority = "ROLE_REFERRAL_ADMIN";

    /** Lines per page of the advocate's lists, 1 to 100. */
    private int pageSize = 10;

    /** The currency of the program report's money figures. */
    private Currency reportCurrency = Currency.getInstance("EUR");

    /** The locale of the labels when the request names none the library knows. */
    private Locale defaultLocale = Locale.ENGLISH;

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public String getBasePath() {
        return basePath;
    }

    public void setBasePath(String basePath) {
        this.basePath = basePath;
    }

    public String getAdminAuthority() {
        return adminAuthority;
    }

    public void setAdminAuthority(String adminAuthority) {
        this.adminAuthority = adminAuthority;
    }

    public int getPageSize() {
        return pageSize;
    }

    public void setPageSize(int pageSize) {
        this.pageSize = pageSize;
    }

    public Currency getReportCurrency() {
        return reportCurrency;
    }

    public void setReportCurrency(Currency reportCurrency) {
        this.reportCurrency = reportCurrency;
    }

    public Locale getDefaultLocale() {
        return defaultLocale;
    }

    public void setDefaultLocale(Locale defaultLocale) {
        this.defaultLocale = defaultLocale;
    }
}
