package io.referrals.spring.boot.autoconfigure;

import io.referrals.core.AdvocateViews;
import io.referrals.core.ReferralEngine;
import io.referrals.core.ReferralLinks;
import io.referrals.core.extension.Extension;
import java.util.Optional;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Lazy;

/**
 * The advocate's view ({@link AdvocateViews}), always installed on the starter's engine, portal or not: it is
 * read-only and costs nothing until called, and a host that builds its own advocate pages needs it as much as the
 * portal does. With {@code referrals.links.landing-page}, the engine and the view give each code its share link. The
 * extension reaches the starter's engine through a {@link ReferralEngineCustomizer}; a host with an engine bean of its
 * own installs it there itself.
 */
@AutoConfiguration(after = ReferralsAutoConfiguration.class)
@ConditionalOnClass(AdvocateViews.class)
@ConditionalOnBean(ReferralEngine.class)
@EnableConfigurationProperties(ReferralLinksProperties.class)
public class ReferralsAdvocateViewsAutoConfiguration {

    /** Installs the view on the engine (and the share links, when configured). */
    @Bean
    ReferralEngineCustomizer referralsAdvocateViewsInstaller(AdvocateViewsExtension views) {
        return b -> {
            views.links().ifPresent(b::links);
            b.install(views.extension());
        };
    }

    /** The extension the installer puts on the engine; the handle of {@link #referralAdvocateViews}. */
    @Bean
    @ConditionalOnMissingBean
    AdvocateViewsExtension referralsAdvocateViewsExtension(ReferralLinksProperties properties) {
        AdvocateViews.Builder b = AdvocateViews.builder();
        ReferralLinks links = properties.links();
        if (links != null) {
            b.links(links);
        }
        return new AdvocateViewsExtension(b.build(), links);
    }

    /**
     * What an advocate sees: their programs, codes, referrals, rewards and points, page by page. Lazy, so that a host
     * with an engine bean of its own (which the installer does not reach) starts as before unless it uses this bean.
     *
     * @throws IllegalStateException if the engine bean is the host's own and lacks the extension
     */
    @Bean
    @Lazy
    @ConditionalOnMissingBean
    public AdvocateViews referralAdvocateViews(ReferralEngine engine, AdvocateViewsExtension views) {
        try {
            return engine.extension(views.extension());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("the ReferralEngine bean is your own, so the starter could not install the"
                    + " advocate's view on it: install AdvocateViews.builder().build() on your engine and define an"
                    + " AdvocateViews bean from it", e);
        }
    }

    /** The advocate-view extension and the share links it was built with. */
    static final class AdvocateViewsExtension {
        private final Extension<AdvocateViews> extension;
        private final ReferralLinks links;

        AdvocateViewsExtension(Extension<AdvocateViews> extension, ReferralLinks links) {
            this.extension = extension;
            this.links = links;
        }

        Extension<AdvocateViews> extension() {
            return extension;
        }

        Optional<ReferralLinks> links() {
            return Optional.ofNullable(links);
        }
    }
}
