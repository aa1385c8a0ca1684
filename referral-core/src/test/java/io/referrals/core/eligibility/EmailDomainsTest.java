package io.referrals.core.eligibility;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Shipped domain lists")
class EmailDomainsTest {

    @Test
    void the_registrable_domain_drops_subdomains_and_respects_multi_label_suffixes() {
        assertThat(EmailDomains.registrableDomain("mail.eu.acme.com")).isEqualTo("acme.com");
        assertThat(EmailDomains.registrableDomain("sales.acme.co.uk")).isEqualTo("acme.co.uk");
        assertThat(EmailDomains.registrableDomain("co.uk")).isEmpty();
        assertThat(EmailDomains.registrableDomain("localhost")).isEmpty();
        assertThat(EmailDomains.registrableDomain("a..com")).isEmpty();
    }

    @Test
    void free_mail_never_counts_as_a_company_domain() {
        assertThat(EmailDomains.isFreeMail("gmail.com")).isTrue();
        assertThat(EmailDomains.companyDomain("gmail.com")).isEmpty();
        assertThat(EmailDomains.companyDomain("eu.yahoo.co.uk")).isEmpty();
        assertThat(EmailDomains.companyDomain("eu.initech.com")).isEqualTo("initech.com");
    }

    @Test
    void every_shipped_free_mail_domain_is_free_mail_under_the_public_suffix_list() {
        for (String d : EmailDomains.freeMailDomains()) {
            assertThat(EmailDomains.companyDomain(d)).as(d).isEmpty();
            assertThat(EmailDomains.companyDomain("eu." + d)).as(d).isEmpty();
        }
        assertThat(EmailDomains.companyDomain("hn.acme.com.vn")).isEqualTo("acme.com.vn");
    }

    @Test
    void the_shipped_disposable_list_is_loaded_and_matches_subdomains() {
        assertThat(EmailDomains.disposableDomains()).hasSizeGreaterThan(50).contains("mailinator.com");
        assertThat(EmailDomains.isDisposable("x.mailinator.com")).isTrue();
        assertThat(EmailDomains.isDisposable("initech.com")).isFalse();
        assertThat(EmailDomains.freeMailDomains()).doesNotContainAnyElementsOf(EmailDomains.disposableDomains());
    }
}
