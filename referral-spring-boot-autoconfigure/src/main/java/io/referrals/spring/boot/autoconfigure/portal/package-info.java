/**
 * The advocate portal of the Spring Boot starters ({@code referrals.portal.enabled=true}): self-contained pages and
 * JSON endpoints for advocates and program admins, on the host's authentication. Hosts use
 * {@link io.referrals.spring.boot.autoconfigure.portal.PortalAdvocateResolver} and the {@code referrals.portal.*}
 * properties; everything else here may change at any time.
 */
package io.referrals.spring.boot.autoconfigure.portal;
