package io.referrals.core.eligibility;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.net.IDN;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The <a href="https://publicsuffix.org/">Public Suffix List</a>: the suffixes under which independent parties
 * register domains ({@code com}, {@code co.uk}, {@code com.vn}, every {@code *.ck} but {@code www.ck},
 * {@code github.io}), which tells the registrable part of a domain, the part one company owns: {@code acme.com.vn} for
 * {@code sales.acme.com.vn}. The eligibility checks use it to tell whether an advocate and a prospect work for the same
 * company, and to key a prospect's company.
 *
 * <p>{@link #bundled()} is a snapshot of the list taken on {@value #BUNDLED_SNAPSHOT} (publicsuffix/list commit
 * e8c9a2b), shipped unchanged as the resource {@code io/referrals/core/eligibility/public_suffix_list.dat} under its
 * licence, the Mozilla Public License 2.0. It is parsed once, on first use. A host that keeps its own, newer copy passes
 * it to {@link EligibilitySettings.Builder#publicSuffixes} after reading it with {@link #read(Path)},
 * {@link #read(InputStream)} or {@link #parse(Reader)}.
 *
 * <p>Both sections of the list apply, ICANN and PRIVATE. The private section names domains under which a provider
 * hands out subdomains to its customers ({@code github.io}, {@code herokuapp.com}, {@code blogspot.com}): two
 * customers there are two companies, and treating the provider's domain as one company would reject referrals between
 * them as same-company referrals and merge their prospects. A host that wants the ICANN section only passes a list
 * holding that section.
 *
 * <p>Rules follow the list's format and algorithm: a wildcard rule {@code *.ck} makes every label under {@code ck} a
 * public suffix, an exception rule {@code !www.ck} takes precedence over the rules it overrides, and a domain no rule
 * matches has its top-level label as public suffix. Internationalised names are compared in their ASCII (punycode)
 * form, so {@code 食狮.公司.cn} and {@code xn--85x722f.xn--55qx5d.cn} have the same registrable domain, given in ASCII.
 *
 * <p>Immutable and thread-safe; a lookup is a few hash look-ups.
 */
public final class PublicSuffixList {
    /** The date of the bundled snapshot of the list. */
    public static final String BUNDLED_SNAPSHOT = "2026-08-19";
    private static final Logger LOG = LoggerFactory.getLogger(PublicSuffixList.class);
    private static final String BUNDLED_RESOURCE = "public_suffix_list.dat";
    private static final int MAX_DOMAIN_LENGTH = 253;

    /** Plain rules, such as {@code co.uk}. */
    private final Set<String> rules;
    /** Wildcard rules without their {@code *.}: {@code ck} for {@code *.ck}. */
    private final Set<String> wildcards;
    /** Exception rules without their {@code !}: {@code www.ck} for {@code !www.ck}. */
    private final Set<String> exceptions;

    private PublicSuffixList(Set<String> rules, Set<String> wildcards, Set<String> exceptions) {
        this.rules = Set.copyOf(rules);
        this.wildcards = Set.copyOf(wildcards);
        this.exceptions = Set.copyOf(exceptions);
    }

    /** The snapshot shipped with the library (see the class description), parsed on the first call. */
    public static PublicSuffixList bundled() {
        return Bundled.LIST;
    }

    /** Holds the bundled list, so that it is parsed when first asked for (class initialisation is thread-safe). */
    private static final class Bundled {
        static final PublicSuffixList LIST = load();

        private static PublicSuffixList load() {
            try (InputStream in = PublicSuffixList.class.getResourceAsStream(BUNDLED_RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException("missing resource " + BUNDLED_RESOURCE);
                }
                PublicSuffixList list = read(in);
                LOG.debug("public suffix list snapshot {} loaded: {} rules", BUNDLED_SNAPSHOT, list.size());
                return list;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + BUNDLED_RESOURCE, e);
            }
        }
    }

    /**
     * Reads a list in the Public Suffix List format from a UTF-8 file.
     *
     * @throws UncheckedIOException if the file cannot be read
     * @throws IllegalArgumentException as {@link #parse(Reader)}
     */
    public static PublicSuffixList read(Path file) {
        Objects.requireNonNull(file, "file");
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return parse(r);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the public suffix list " + file, e);
        }
    }

    /**
     * Reads a list in the Public Suffix List format from a UTF-8 stream, which the caller closes.
     *
     * @throws UncheckedIOException if the stream cannot be read
     * @throws IllegalArgumentException as {@link #parse(Reader)}
     */
    public static PublicSuffixList read(InputStream in) {
        Objects.requireNonNull(in, "in");
        return parse(new InputStreamReader(in, StandardCharsets.UTF_8));
    }

    /**
     * Parses a list in the Public Suffix List format, which the caller closes: one rule per line, up to the first
     * white space; lines starting with {@code //} and blank lines are skipped; a rule is a domain, optionally starting
     * with {@code *.} (wildcard) or {@code !} (exception). Names may be Unicode or punycode, in any case.
     *
     * @throws IllegalArgumentException naming the line of a rule that is not a domain, or if the text holds no rule
     * @throws UncheckedIOException if the reader fails
     */
    public static PublicSuffixList parse(Reader reader) {
        Objects.requireNonNull(reader, "reader");
        Set<String> rules = new HashSet<>();
        Set<String> wildcards = new HashSet<>();
        Set<String> exceptions = new HashSet<>();
        BufferedReader in = reader instanceof BufferedReader b ? b : new BufferedReader(reader);
        int lineNumber = 0;
        try {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                lineNumber++;
                String rule = firstWord(line);
                if (rule.isEmpty() || rule.startsWith("//")) {
                    continue;
                }
                if (rule.startsWith("!")) {
                    String exception = ruleDomain(rule.substring(1), lineNumber);
                    if (exception.indexOf('.') < 0) {
                        throw new IllegalArgumentException("public suffix list line " + lineNumber
                                + ": an exception rule needs two labels or more: " + rule);
                    }
                    exceptions.add(exception);
                } else if (rule.startsWith("*.")) {
                    wildcards.add(ruleDomain(rule.substring(2), lineNumber));
                } else {
                    rules.add(ruleDomain(rule, lineNumber));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the public suffix list", e);
        }
        if (rules.isEmpty() && wildcards.isEmpty()) {
            throw new IllegalArgumentException("the public suffix list holds no rule");
        }
        return new PublicSuffixList(rules, wildcards, exceptions);
    }

    /** The number of rules. */
    public int size() {
        return rules.size() + wildcards.size() + exceptions.size();
    }

    /**
     * The registrable domain of {@code domain}: its public suffix and one more label, in lower-case ASCII (punycode).
     * {@code mail.acme.com.vn} gives {@code acme.com.vn}, {@code a.b.test.ck} gives {@code b.test.ck} (rule
     * {@code *.ck}), {@code www.www.ck} gives {@code www.ck} (exception {@code !www.ck}). Empty when {@code domain} is
     * itself a public suffix, has an empty label (a leading, trailing or doubled dot) or is not a valid domain name.
     * Accepts any string.
     */
    public String registrableDomain(String domain) {
        Objects.requireNonNull(domain, "domain");
        String d = ascii(domain);
        if (d.isEmpty()) {
            return "";
        }
        int suffixStart = publicSuffixStart(d);
        if (suffixStart == 0) {
            return "";
        }
        return d.substring(d.lastIndexOf('.', suffixStart - 2) + 1);
    }

    /**
     * The public suffix of {@code domain}, in lower-case ASCII: {@code com.vn} for {@code acme.com.vn}, the top-level
     * label when no rule matches, all of it when it is itself a public suffix. Empty when {@code domain} is not a valid
     * domain name. Accepts any string.
     */
    public String publicSuffix(String domain) {
        Objects.requireNonNull(domain, "domain");
        String d = ascii(domain);
        return d.isEmpty() ? "" : d.substring(publicSuffixStart(d));
    }

    /** Where the public suffix starts in {@code d}, a normalised domain: 0 when all of {@code d} is public. */
    private int publicSuffixStart(String d) {
        // the suffixes of d, longest first, each at the index after a dot (or 0)
        for (int start = 0; start >= 0; start = nextLabel(d, start)) {
            if (exceptions.contains(d.substring(start))) {
                // an exception rule prevails: its leftmost label is not part of the public suffix
                return nextLabel(d, start);
            }
        }
        for (int start = 0; start >= 0; start = nextLabel(d, start)) {
            int parent = nextLabel(d, start);
            if (rules.contains(d.substring(start)) || parent >= 0 && wildcards.contains(d.substring(parent))) {
                return start;
            }
        }
        // no rule matches: the prevailing rule is "*", the top-level label
        return d.lastIndexOf('.') + 1;
    }

    /** The index of the label after the one starting at {@code start}, or -1 for the last label. */
    private static int nextLabel(String d, int start) {
        int dot = d.indexOf('.', start);
        return dot < 0 ? -1 : dot + 1;
    }

    /**
     * {@code domain} in lower-case ASCII (punycode), of letters, digits, hyphens and underscores, without empty labels;
     * empty if it is not such a domain name.
     */
    private static String ascii(String domain) {
        String d = domain.strip();
        if (!isAscii(d)) {
            try {
                d = IDN.toASCII(d, IDN.ALLOW_UNASSIGNED);
            } catch (IllegalArgumentException e) {
                return "";
            }
        }
        d = d.toLowerCase(Locale.ROOT);
        if (d.isEmpty() || d.length() > MAX_DOMAIN_LENGTH || d.startsWith(".") || d.endsWith(".")
                || d.contains("..") || !isHostName(d)) {
            return "";
        }
        return d;
    }

    /** Letters, digits, hyphens and underscores in labels of at most 63 characters. */
    private static boolean isHostName(String d) {
        int label = 0;
        for (int i = 0; i < d.length(); i++) {
            char c = d.charAt(i);
            if (c == '.') {
                label = 0;
            } else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_') {
                if (++label > 63) {
                    return false;
                }
            } else {
                return false;
            }
        }
        return true;
    }

    /** A rule's domain in lower-case ASCII. */
    private static String ruleDomain(String rule, int line) {
        String d = rule;
        if (!isAscii(d)) {
            try {
                d = IDN.toASCII(d, IDN.ALLOW_UNASSIGNED);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("public suffix list line " + line + ": not a domain name", e);
            }
        }
        d = d.toLowerCase(Locale.ROOT);
        if (d.isEmpty() || d.startsWith(".") || d.endsWith(".") || d.contains("..") || d.contains("*")
                || d.contains("!")) {
            throw new IllegalArgumentException("public suffix list line " + line + ": not a rule: " + rule);
        }
        return d;
    }

    private static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) > 0x7f) {
                return false;
            }
        }
        return true;
    }

    private static String firstWord(String line) {
        String s = line.strip();
        for (int i = 0; i < s.length(); i++) {
            if (Character.isWhitespace(s.charAt(i))) {
                return s.substring(0, i);
            }
        }
        return s;
    }
}
