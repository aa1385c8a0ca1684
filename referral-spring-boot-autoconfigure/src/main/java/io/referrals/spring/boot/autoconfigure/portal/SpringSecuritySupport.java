package io.referrals.spring.boot.autoconfigure.portal;

import jakarta.servlet.http.HttpServletRequest;
import java.security.Principal;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.web.csrf.CsrfToken;

/**
 * What the portal reads from Spring Security when the host has it: the user's authorities and the request's CSRF
 * token. Called only when Spring Security is on the class path ({@link PortalAccess#SPRING_SECURITY}), so hosts
 * without it never load this class.
 */
final class SpringSecuritySupport {

    private SpringSecuritySupport() {
    }

    /** Whether {@code principal}'s authorities hold {@code authority}, or empty when it is no Spring Security user. */
    static Optional<Boolean> hasAuthority(Principal principal, String authority) {
        if (principal instanceof Authentication a) {
            for (GrantedAuthority g : a.getAuthorities()) {
                if (authority.equals(g.getAuthority())) {
                    return Optional.of(true);
                }
            }
            return Optional.of(false);
        }
        return Optional.empty();
    }

    /** Spring Security's CSRF token for the request (header name, parameter name, token), when its filter ran. */
    static Optional<Map<String, String>> csrf(HttpServletRequest request) {
        if (request.getAttribute(CsrfToken.class.getName()) instanceof CsrfToken t) {
            Map<String, String> m = new LinkedHashMap<>();
            m.put("header", t.getHeaderName());
            m.put("parameter", t.getParameterName());
            m.put("token", t.getToken());
            return Optional.of(m);
        }
        return Optional.empty();
    }
}
