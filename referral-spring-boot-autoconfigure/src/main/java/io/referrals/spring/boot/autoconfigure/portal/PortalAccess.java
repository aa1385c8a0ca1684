package io.referrals.spring.boot.autoconfigure.portal;

import io.referrals.core.model.AdvocateId;
import jakarta.servlet.http.HttpServletRequest;
import java.security.Principal;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.springframework.util.ClassUtils;

/**
 * Who is asking: the host's authenticated user, the advocate the {@link PortalAdvocateResolver} makes of them, and
 * whether they hold the admin authority (their Spring Security authorities when the host uses Spring Security, else
 * the servlet container's {@code isUserInRole}).
 */
final class PortalAccess {
    static final boolean SPRING_SECURITY = ClassUtils.isPresent("org.springframework.security.web.csrf.CsrfToken",
            PortalAccess.class.getClassLoader());

    private final PortalAdvocateResolver resolver;
    private final String adminAuthority;

    PortalAccess(PortalAdvocateResolver resolver, String adminAuthority) {
        this.resolver = resolver;
        this.adminAuthority = adminAuthority;
    }

    /** The signed-in user, or {@link Unauthenticated} (401). */
    Principal user(HttpServletRequest request) {
        Principal p = request.getUserPrincipal();
        if (p == null) {
            throw new Unauthenticated();
        }
        return p;
    }

    /** The signed-in user's advocate, or {@link Forbidden} (403) when the user is none. */
    AdvocateId advocate(HttpServletRequest request) {
        return advocateOf(user(request)).orElseThrow(() -> new Forbidden("you are not an advocate of any program"));
    }

    Optional<AdvocateId> advocateOf(Principal user) {
        return Objects.requireNonNull(resolver.advocateOf(user), "the PortalAdvocateResolver returned null");
    }

    /** The signed-in admin's name, or {@link Forbidden} (403) for anyone else. */
    String admin(HttpServletRequest request) {
        Principal p = user(request);
        if (!isAdmin(request, p)) {
            throw new Forbidden("program admins only");
        }
        return p.getName();
    }

    boolean isAdmin(HttpServletRequest request, Principal p) {
        if (SPRING_SECURITY) {
            Optional<Boolean> held = SpringSecuritySupport.hasAuthority(p, adminAuthority);
            if (held.isPresent()) {
                return held.get();
            }
        }
        return request.isUserInRole(adminAuthority);
    }

    /** Spring Security's CSRF token of the request, when Spring Security's filter ran. */
    static Optional<Map<String, String>> springCsrf(HttpServletRequest request) {
        return SPRING_SECURITY ? SpringSecuritySupport.csrf(request) : Optional.empty();
    }

    /** No signed-in user: 401. */
    static final class Unauthenticated extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Unauthenticated() {
            super("sign in first", null, false, false);
        }
    }

    /** Signed in, but not allowed: 403. */
    static final class Forbidden extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Forbidden(String message) {
            super(message, null, false, false);
        }
    }
}
