package io.referrals.spring.boot.autoconfigure.portal;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Pattern;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseCookie;

/**
 * The portal's own CSRF protection, a double-submit token: a random token in an HttpOnly, SameSite=Strict cookie
 * scoped to the portal's path, which every form post must repeat in the {@value #HEADER} header. A page of another
 * site can neither read the token nor send the header. It is checked whether or not Spring Security's CSRF
 * protection also runs (the pages then send both tokens), so the portal stays protected when a host turns Spring
 * Security's off or leaves the portal's paths out of it.
 */
final class PortalCsrf {
    static final String COOKIE = "REFERRALS_PORTAL_CSRF";
    static final String HEADER = "X-Referrals-Csrf";
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{43}");

    private final SecureRandom random = new SecureRandom();
    private final String path;

    PortalCsrf(String path) {
        this.path = path;
    }

    /** The request's token, issuing a new one in a cookie when it has none. */
    String token(HttpServletRequest request, HttpServletResponse response) {
        String current = cookie(request);
        if (current != null) {
            return current;
        }
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        response.addHeader(HttpHeaders.SET_COOKIE, ResponseCookie.from(COOKIE, token).path(path).httpOnly(true)
                .secure(request.isSecure()).sameSite("Strict").build().toString());
        return token;
    }

    /** True when the request repeats its cookie's token in the header. */
    boolean accepts(HttpServletRequest request) {
        String cookie = cookie(request);
        String header = request.getHeader(HEADER);
        return cookie != null && header != null && MessageDigest.isEqual(cookie.getBytes(StandardCharsets.US_ASCII),
                header.strip().getBytes(StandardCharsets.US_ASCII));
    }

    private static String cookie(HttpServletRequest request) {
        Cookie[] cookies = request.getCookies();
        if (cookies == null) {
            return null;
        }
        for (Cookie c : cookies) {
            if (COOKIE.equals(c.getName()) && c.getValue() != null && TOKEN.matcher(c.getValue()).matches()) {
                return c.getValue();
            }
        }
        return null;
    }
}
