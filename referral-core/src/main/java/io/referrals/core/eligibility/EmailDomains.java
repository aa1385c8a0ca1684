package io.referrals.core.eligibility;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Domain knowledge shipped with the library, read once from resources of this package: free-mail providers
 * ({@code free-mail-domains.txt}) and disposable-email domains ({@code disposable-domains.txt}); registrable domains
 * come from the {@link PublicSuffixList}, the {@linkplain PublicSuffixList#bundled() bundled} one unless a method takes
 * another. Stateless and thread-safe. Every method accepts any string and answers {@code false} or empty for what is
 * not a domain.
 */
public final class EmailDomains {
    private static final Set<String> FREE_MAIL = load("free-mail-domains.txt");
    private static final Set<String> DISPOSABLE = load("disposable-domains.txt");

    private EmailDomains() {
    }

    /** The shipped free-mail domains. */
    public static Set<String> freeMailDomains() {
        return FREE_MAIL;
    }

    /** The shipped disposable-email domains. */
    public static Set<String> disposableDomains() {
        return DISPOSABLE;
    }

    /** True if {@code domain} or a parent of it is a free-mail provider. */
    public static boolean isFreeMail(String domain) {
        return within(domain, FREE_MAIL);
    }

    /** True if {@code domain} or a parent of it is a shipped disposable-email domain. */
    public static boolean isDisposable(String domain) {
        return within(domain, DISPOSABLE);
    }

    /**
     * True if {@code domain} (lower-cased) equals one of {@code domains} or is a subdomain of one.
     */
    public static boolean within(String domain, Set<String> domains) {
        Objects.requireNonNull(domain, "domain");
        String d = domain.strip().toLowerCase(Locale.ROOT);
        while (!d.isEmpty()) {
            if (domains.contains(d)) {
                return true;
            }
            int dot = d.indexOf('.');
            if (dot < 0) {
                return false;
            }
            d = d.substring(dot + 1);
        }
        return false;
    }

    /**
     * The registrable part of a domain by the {@linkplain PublicSuffixList#bundled() bundled} public suffix list, in
     * lower-case ASCII: {@code mail.eu.acme.com} gives {@code acme.com}, {@code sales.acme.co.uk} gives
     * {@code acme.co.uk}, {@code hn.acme.com.vn} gives {@code acme.com.vn}. Empty for a public suffix, a single label,
     * empty labels or what is not a domain name (see {@link PublicSuffixList#registrableDomain}).
     */
    public static String registrableDomain(String domain) {
        return PublicSuffixList.bundled().registrableDomain(domain);
    }

    /**
     * The company domain of an address or a company domain by the bundled public suffix list: registrable, and empty
     * for free mail (which says nothing about an employer).
     */
    public static String companyDomain(String domain) {
        return companyDomain(domain, PublicSuffixList.bundled());
    }

    /**
     * The company domain of an address or a company domain by {@code suffixes}: its registrable domain (lower-case
     * ASCII), and empty for free mail (which says nothing about an employer) or what is not a domain name.
     */
    public static String companyDomain(String domain, PublicSuffixList suffixes) {
        Objects.requireNonNull(suffixes, "suffixes");
        String r = suffixes.registrableDomain(domain);
        return r.isEmpty() || isFreeMail(r) ? "" : r;
    }

    private static Set<String> load(String name) {
        Set<String> out = new HashSet<>();
        try (InputStream in = EmailDomains.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                String l = line.strip().toLowerCase(Locale.ROOT);
                if (!l.isEmpty() && !l.startsWith("#")) {
                    out.add(l);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Set.copyOf(out);
    }
}
