package io.referrals.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("ReferralLinks")
class ReferralLinksTest {

    @Test
    @DisplayName("adds the code as the ref parameter of a URL without a query")
    void plainUrl() {
        URI link = ReferralLinks.to(URI.create("https://example.com/refer")).link("K7QD-MX2P");

        assertThat(link).hasToString("https://example.com/refer?ref=K7QD-MX2P");
        assertThat(link.getQuery()).isEqualTo("ref=K7QD-MX2P");
    }

    @Test
    @DisplayName("keeps the landing URL's own query")
    void existingQuery() {
        URI link = ReferralLinks.to(URI.create("https://example.com/refer?utm_source=advocate&utm_medium=email"))
                .link("JANE-ACME");

        assertThat(link).hasToString("https://example.com/refer?utm_source=advocate&utm_medium=email&ref=JANE-ACME");
    }

    @Test
    @DisplayName("does not double a trailing ? or &")
    void trailingSeparators() {
        assertThat(ReferralLinks.to(URI.create("https://example.com/r?")).link("ABCD"))
                .hasToString("https://example.com/r?ref=ABCD");
        assertThat(ReferralLinks.to(URI.create("https://example.com/r?a=1&")).link("ABCD"))
                .hasToString("https://example.com/r?a=1&ref=ABCD");
    }

    @Test
    @DisplayName("keeps the fragment after the query")
    void fragment() {
        URI link = ReferralLinks.to(URI.create("https://example.com/landing?x=1#signup")).link("ABCD");

        assertThat(link).hasToString("https://example.com/landing?x=1&ref=ABCD#signup");
        assertThat(link.getFragment()).isEqualTo("signup");
        assertThat(ReferralLinks.to(URI.create("http://example.com/#top")).link("ABCD"))
                .hasToString("http://example.com/?ref=ABCD#top");
    }

    @Test
    @DisplayName("encodes the code so that it cannot break out of its parameter")
    void encoding() {
        URI link = ReferralLinks.to(URI.create("https://example.com/r")).link("JANE ACME&admin=1#x");

        assertThat(link.getRawQuery()).isEqualTo("ref=JANE+ACME%26admin%3D1%23x");
        assertThat(link.getRawFragment()).isNull();
    }

    @Test
    @DisplayName("uses a custom parameter name, and refuses a name that is not a plain token")
    void parameterName() {
        ReferralLinks links = ReferralLinks.to(URI.create("https://example.com/r")).parameter("invite_code");

        assertThat(links.link("ABCD")).hasToString("https://example.com/r?invite_code=ABCD");
        assertThatThrownBy(() -> links.parameter("a b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> links.parameter("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> links.parameter("x&y=1")).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/refer", "example.com/refer", "mailto:jane@example.com", "ftp://example.com/r",
            "javascript:alert(1)", "https:///no-host", "file:///etc/passwd"})
    @DisplayName("a landing URL that is not an absolute http(s) URL with a host is refused")
    void badLandingUrls(String url) {
        assertThatThrownBy(() -> ReferralLinks.to(URI.create(url))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    @DisplayName("the engine builds links for issued codes when given a link builder")
    void engineLinks() {
        TestWorld w = new TestWorld(b -> b.links(ReferralLinks.to(URI.create("https://acme.example/join"))));
        var program = w.activeProgram();
        var advocate = w.enrolledAdvocate(program);

        var code = w.engine.issueVanityCode(advocate.id(), program.id(), "JANE-ACME");

        assertThat(w.engine.link(code)).contains(URI.create("https://acme.example/join?ref=JANE-ACME"));
        assertThat(new TestWorld().engine.link(code)).isEmpty();
        assertThat(w.listener.events(io.referrals.core.event.CodeIssued.class))
                .singleElement()
                .satisfies(e -> assertThat(e.link()).isEqualTo("https://acme.example/join?ref=JANE-ACME"));
    }
}
