package io.referrals.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.referrals.core.event.EventStreams;
import io.referrals.core.event.ReferralEvent;
import io.referrals.core.event.ReferralListener;
import io.referrals.core.event.ReferralSubmitted;
import io.referrals.core.extension.Extension;
import io.referrals.core.extension.Installation;
import io.referrals.core.hook.ReferralHook;
import io.referrals.core.hook.UnitOfWork;
import io.referrals.core.model.Advocate;
import io.referrals.core.model.Program;
import io.referrals.core.model.Referral;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Extensions install through the engine's builder")
class ExtensionsTest {

    /** A service that counts captures through its own hook and reads through the runner it was given. */
    static final class Counting {
        final List<String> captured = new ArrayList<>();
        final Installation installation;

        Counting(Installation installation) {
            this.installation = installation;
        }
    }

    static final Extension<Counting> COUNTING = installation -> {
        Counting c = new Counting(installation);
        installation.hook(new ReferralHook() {
            @Override
            public void afterCapture(UnitOfWork work, Program program, Advocate advocate, Referral referral) {
                c.captured.add(referral.id().value());
            }
        });
        return c;
    };

    @Test
    @DisplayName("an installed extension's hook runs and its service is the one the engine hands out")
    void installedExtensionRunsAndHandsOutItsService() {
        TestWorld w = new TestWorld(b -> b.install(COUNTING));
        Program p = w.activeProgram();
        Advocate a = w.enrolledAdvocate(p);

        Referral r = w.engine.capture(TestWorld.request(a, p).build()).acceptedReferral();

        Counting service = w.engine.extension(COUNTING);
        assertThat(service.captured).containsExactly(r.id().value());
        Optional<Referral> read = service.installation.transactions().inStore(tx -> tx.referrals().get(r.id()));
        assertThat(read).contains(r);
        assertThat(service.installation.clock()).isSameAs(w.engine.clock());
    }

    @Test
    @DisplayName("asking for an extension that was not installed fails and says how to install it")
    void notInstalledIsRefused() {
        TestWorld w = new TestWorld();

        assertThatThrownBy(() -> w.engine.extension(COUNTING)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not installed").hasMessageContaining("install(extension)");
    }

    @Test
    @DisplayName("installing the same extension twice is refused on the builder")
    void installingTwiceIsRefused() {
        ReferralEngine.Builder b = ReferralEngine.builder().install(COUNTING);

        assertThatThrownBy(() -> b.install(COUNTING)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("installed already");
    }

    @Test
    @DisplayName("a hook registered after install returned is refused, so no extension is half wired")
    void lateHookIsRefused() {
        AtomicReference<Installation> kept = new AtomicReference<>();
        Extension<String> leaky = installation -> {
            kept.set(installation);
            return "service";
        };
        ReferralEngine.builder().install(leaky).build();

        assertThatThrownBy(() -> kept.get().hook(new ReferralHook() { }))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    @DisplayName("an extension that returns no service fails the build with its name")
    void nullServiceFailsTheBuild() {
        Extension<String> broken = installation -> null;

        assertThatThrownBy(() -> ReferralEngine.builder().install(broken).build())
                .isInstanceOf(NullPointerException.class).hasMessageContaining("returned no service");
    }

    @Test
    @DisplayName("the runner keeps a stream's events in order and delivers them after the commit")
    void runnerEmitsInStreamOrder() {
        TestWorld w = new TestWorld();
        Program p = w.activeProgram();
        Advocate a = w.enrolledAdvocate(p);
        Referral r = w.engine.capture(TestWorld.request(a, p).build()).acceptedReferral();
        String stream = EventStreams.of(r.id());
        w.listener.clear();

        w.engine.transactions().inStream(stream, u -> u.emit(stream,
                m -> new ReferralSubmitted(m, ReferralSubmitted.class.cast(w.engine.events(stream).get(0).event())
                        .referral())));

        assertThat(w.engine.events(stream)).extracting(e -> e.event().metadata().sequence())
                .containsExactly(1L, 2L);
        assertThat(w.listener.events()).hasSize(1);
    }

    @Test
    @DisplayName("a listener can take every event through one method, before its per-type method")
    void oneMethodForEveryEvent() {
        List<String> seen = new ArrayList<>();
        TestWorld w = new TestWorld(b -> b.listener(new ReferralListener() {
            @Override
            public void onEvent(ReferralEvent event) {
                seen.add("any:" + event.getClass().getSimpleName());
            }

            @Override
            public void onReferralSubmitted(ReferralSubmitted event) {
                seen.add("submitted");
            }
        }));
        Program p = w.activeProgram();
        Advocate a = w.enrolledAdvocate(p);
        seen.clear();

        w.engine.capture(TestWorld.request(a, p).build());

        assertThat(seen).containsExactly("any:ReferralSubmitted", "submitted");
    }
}
