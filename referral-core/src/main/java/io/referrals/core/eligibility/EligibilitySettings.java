package io.referrals.core.eligibility;

import io.referrals.core.model.AdvocateId;
import io.referrals.core.privacy.MatchKeys;
import java.util.HashSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Host-wide inputs of the eligibility checks: the host's own company domains (its employees), blocklists of emails,
 * domains and advocates, extra disposable-email domains on top of the shipped list, the host's lead/customer lookup,
 * and the public suffix list that tells a company's registrable domain. Immutable and thread-safe; build with
 * {@link #builder()}. Blocked emails are compared after
 * {@link MatchKeys#normalizeEmail normalisation}; blocked and host domains match the domain and its subdomains.
 */
public final class EligibilitySettings {
    /** No host domains, no blocklists, the shipped disposable list only, no lookup. */
    public static final EligibilitySettings NONE = builder().build();

    private final Set<String> hostDomains;
    private final Set<String> blockedEmails;
    private final Set<String> blockedDomains;
    private final Set<AdvocateId> blockedAdvocates;
    private final Set<String> disposableDomains;
    private final ProspectLookup lookup;
    private final PublicSuffixList publicSuffixes;

    private EligibilitySettings(Builder b) {
        this.hostDomains = Set.copyOf(b.hostDomains);
        this.blockedEmails = Set.copyOf(b.blockedEmails);
        this.blockedDomains = Set.copyOf(b.blockedDomains);
        this.blockedAdvocates = Set.copyOf(b.blockedAdvocates);
        this.disposableDomains = Set.copyOf(b.disposableDomains);
        this.lookup = b.lookup;
        this.publicSuffixes = b.publicSuffixes;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The host's own company domains, lower case. */
    public Set<String> hostDomains() {
        return hostDomains;
    }

    /** Blocked prospect emails, normalised. */
    public Set<String> blockedEmails() {
        return blockedEmails;
    }

    /** Blocked prospect domains (email or company domain), lower case. */
    public Set<String> blockedDomains() {
        return blockedDomains;
    }

    public Set<AdvocateId> blockedAdvocates() {
        return blockedAdvocates;
    }

    /** Disposable-email domains added by the host, lower case; the shipped list always applies too. */
    public Set<String> extraDisposableDomains() {
        return disposableDomains;
    }

    public ProspectLookup lookup() {
        return lookup;
    }

    /**
     * The public suffix list by which the checks tell a company's registrable domain (same company, account-level
     * ownership, the prospect's company key): the host's, or the {@linkplain PublicSuffixList#bundled() bundled} one.
     */
    public PublicSuffixList publicSuffixes() {
        return publicSuffixes == null ? PublicSuffixList.bundled() : publicSuffixes;
    }

    /** Builds {@link EligibilitySettings}. Not thread-safe. */
    public static final class Builder {
        private final Set<String> hostDomains = new HashSet<>();
        private final Set<String> blockedEmails = new HashSet<>();
        private final Set<String> blockedDomains = new HashSet<>();
        private final Set<AdvocateId> blockedAdvocates = new HashSet<>();
        private final Set<String> disposableDomains = new HashSet<>();
        private ProspectLookup lookup = ProspectLookup.NONE;
        private PublicSuffixList publicSuffixes;

        private Builder() {
        }

        /** @throws IllegalArgumentException for a blank domain */
        public Builder hostDomain(String domain) {
            hostDomains.add(domain(domain));
            return this;
        }

        /** @throws IllegalArgumentException for a value without a local part and domain */
        public Builder blockEmail(String email) {
            String n = MatchKeys.normalizeEmail(Objects.requireNonNull(email, "email"));
            if (n.isEmpty()) {
                throw new IllegalArgumentException("not an email address");
            }
            blockedEmails.add(n);
            return this;
        }

        public Builder blockDomain(String domain) {
            blockedDomains.add(domain(domain));
            return this;
        }

        public Builder blockAdvocate(AdvocateId advocate) {
            blockedAdvocates.add(Objects.requireNonNull(advocate, "advocate"));
            return this;
        }

        /** Adds a disposable-email domain to the shipped list. */
        public Builder disposableDomain(String domain) {
            disposableDomains.add(domain(domain));
            return this;
        }

        public Builder lookup(ProspectLookup lookup) {
            this.lookup = Objects.requireNonNull(lookup, "lookup");
            return this;
        }

        /**
         * The host's own public suffix list, a newer copy than the {@linkplain PublicSuffixList#bundled() bundled}
         * snapshot for one (read it with {@link PublicSuffixList#read(java.nio.file.Path)}). The default is the
         * bundled list. Changing the list changes the company keys of new referrals under the suffixes that changed,
         * and so which earlier referrals they match.
         */
        public Builder publicSuffixes(PublicSuffixList list) {
            this.publicSuffixes = Objects.requireNonNull(list, "list");
            return this;
        }

        public EligibilitySettings build() {
            return new EligibilitySettings(this);
        }

        private static String domain(String d) {
            Objects.requireNonNull(d, "domain");
            String v = d.strip().toLowerCase(Locale.ROOT);
            if (v.isEmpty()) {
                throw new IllegalArgumentException("a domain must not be blank");
            }
            return v;
        }
    }
}
