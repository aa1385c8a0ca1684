package io.referrals.core;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Builds referral links: the host's landing URL with the code in a query parameter, keeping the URL's own query and
 * fragment. Immutable and thread-safe.
 *
 * <pre>{@code
 * ReferralLinks links = ReferralLinks.to(URI.create("https://example.com/refer?utm_source=advocate"));
 * links.link("K7QD-MX2P") // https://example.com/refer?utm_source=advocate&ref=K7QD-MX2P
 * }</pre>
 */
public final class ReferralLinks {
    private static final Pattern PARAM = Pattern.compile("[A-Za-z0-9_.-]{1,32}");

    private final URI landing;
    private final String parameter;

    private ReferralLinks(URI landing, String parameter) {
        this.landing = landing;
        this.parameter = parameter;
    }

    /**
     * Links to {@code landing} with the code in parameter {@code ref}.
     *
     * @throws IllegalArgumentException unless {@code landing} is an absolute http or https URL
     */
    public static ReferralLinks to(URI landing) {
        Objects.requireNonNull(landing, "landing");
        String scheme = landing.getScheme();
        if (!landing.isAbsolute() || landing.isOpaque() || landing.getHost() == null
                || !("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme))) {
            throw new IllegalArgumentException("the landing URL must be an absolute http(s) URL");
        }
        return new ReferralLinks(landing, "ref");
    }

    /** The same links with the code in {@code name} instead of {@code ref}. */
    public ReferralLinks parameter(String name) {
        Objects.requireNonNull(name, "name");
        if (!PARAM.matcher(name).matches()) {
            throw new IllegalArgumentException("parameter names are 1-32 letters, digits and _.-");
        }
        return new ReferralLinks(landing, name);
    }

    /** The link for {@code code}. */
    public URI link(String code) {
        Objects.requireNonNull(code, "code");
        String s = landing.toString();
        String fragment = "";
        int hash = s.indexOf('#');
        if (hash >= 0) {
            fragment = s.substring(hash);
            s = s.substring(0, hash);
        }
        String sep = s.indexOf('?') < 0 ? "?" : (s.endsWith("?") || s.endsWith("&") ? "" : "&");
        return URI.create(s + sep + parameter + "=" + URLEncoder.encode(code, StandardCharsets.UTF_8) + fragment);
    }
}
