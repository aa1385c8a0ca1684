package io.referrals.core.privacy;

import static io.referrals.core.eligibility.Fixture.PROGRAM;
import static io.referrals.core.eligibility.Fixture.request;
import static org.assertj.core.api.Assertions.assertThat;

import io.referrals.core.CaptureRequest;
import io.referrals.core.CaptureResult;
import io.referrals.core.TransitionRequest;
import io.referrals.core.eligibility.Fixture;
import io.referrals.core.eligibility.Signals;
import io.referrals.core.error.ReferralException;
import io.referrals.core.event.ReferralListener;
import io.referrals.core.event.ReferralSubmitted;
import io.referrals.core.model.Advocate;
import io.referrals.core.model.Channel;
import io.referrals.core.model.ConsentBasis;
import io.referrals.core.model.Prospect;
import io.referrals.core.model.Referral;
import io.referrals.core.model.Stage;
import io.referrals.core.model.TransitionCause;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("No personal data in logs or exception messages")
class NoPersonalDataInLogsTest {
    private static final String EMAIL = "quentin.vexley@umbrella-holdings.com";
    private static final String NAME = "Quentin Vexley";

    @Test
    void a_full_scenario_logs_at_debug_and_fails_in_many_ways_without_revealing_the_prospect() {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.err;
        List<String> messages = new ArrayList<>();
        System.setErr(new PrintStream(new Tee(captured, original), true, StandardCharsets.UTF_8));
        try {
            scenario(messages);
        } finally {
            System.setErr(original);
        }
        String log = captured.toString(StandardCharsets.UTF_8);
        assertThat(log).as("the scenario produced log output").contains("DEBUG", "WARN");
        for (String text : List.of(log, String.join("\n", messages))) {
            String l = text.toLowerCase(Locale.ROOT);
            assertThat(l).doesNotContain(EMAIL.toLowerCase(Locale.ROOT), "quentin", "vexley", "umbrella");
        }
        assertThat(messages).hasSizeGreaterThanOrEqualTo(4);
    }

    private static void scenario(List<String> messages) {
        Fixture f = new Fixture(b -> b.listener(new ReferralListener() {
            @Override
            public void onReferralSubmitted(ReferralSubmitted event) {
                throw new IllegalStateException("listener failed for " + event.referral().referralId());
            }
        }));
        Prospect quentin = Prospect.builder().fullName(NAME).email(EMAIL).company("Umbrella Holdings")
                .companyDomain("umbrella-holdings.com").phone("+44 20 7946 0000").build();
        Advocate a = f.customer("a", "a@alpha.com");
        Advocate b = f.customer("b", "b@beta.com");
        Advocate self = f.customer("self", EMAIL);

        Referral r = f.engine.capture(request(a, quentin).idempotencyKey("idem-1").build())
                .acceptedReferral();
        f.capture(b, quentin);
        f.capture(self, quentin);
        Referral flagged = f.engine.capture(request(b, Prospect.builder().fullName(NAME)
                .email("q.vexley@umbrella-holdings.com").company("Umbrella Holdings").build())
                .signals(Signals.ip("192.0.2.9")).advocateSignals(Signals.ip("192.0.2.9")).build()).acceptedReferral();
        f.engine.approveReferral(flagged.id(), "reviewer", "checked");
        f.engine.transition(new TransitionRequest(r.id(), Stage.CONTACTED, TransitionCause.rep("rep-1"), "", ""));
        f.engine.applyCrmStage(r.id(), "No Such Stage", TransitionCause.crm("salesforce"), "");

        expectFailure(messages, () -> f.engine.capture(request(a, quentin).idempotencyKey("idem-1")
                .note("different").build()));
        expectFailure(messages, () -> f.engine.capture(request(a, Prospect.builder().fullName(NAME + "\u202e")
                .email(EMAIL + ".") .company("Umbrella Holdings\u200b").companyDomain("umbrella-holdings")
                .phone("call " + NAME).build()).build()));
        expectFailure(messages, () -> f.engine.capture(CaptureRequest.builder().code("UMBRELLA-QV")
                .prospect(quentin).channel(Channel.LINK_OR_CODE).consent(ConsentBasis.NONE).build()));
        expectFailure(messages, () -> f.engine.eraseProspect(NAME));
        expectFailure(messages, () -> f.engine.transition(new TransitionRequest(r.id(), Stage.SUBMITTED,
                TransitionCause.rep("rep-1"), "", "")));
        expectFailure(messages, () -> f.engine.approveReferral(r.id(), "reviewer", ""));

        f.engine.exportProspect(EMAIL);
        f.engine.exportAdvocate(self.id());
        f.engine.eraseProspect(EMAIL);
        f.engine.eraseAdvocate(self.id());
        f.engine.referrals(io.referrals.core.storage.ReferralQuery.builder().program(PROGRAM).build())
                .forEach(x -> messages.add(x.toString()));
    }

    private static void expectFailure(List<String> messages, Supplier<?> op) {
        try {
            Object result = op.get();
            messages.add(String.valueOf(result instanceof CaptureResult.Refused refused ? refused.reason() : ""));
        } catch (ReferralException e) {
            messages.add(e.getMessage());
            messages.add(e.toString());
        }
    }

    /** Writes to two streams. */
    private static final class Tee extends OutputStream {
        private final OutputStream a;
        private final OutputStream b;

        Tee(OutputStream a, OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public void write(int c) {
            try {
                a.write(c);
                b.write(c);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        @Override
        public void write(byte[] buf, int off, int len) {
            try {
                a.write(buf, off, len);
                b.write(buf, off, len);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }
}
