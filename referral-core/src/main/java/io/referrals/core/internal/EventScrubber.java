package io.referrals.core.internal;

import io.referrals.core.event.AdvocateSummary;
import io.referrals.core.event.ReferralEvent;
import io.referrals.core.event.ReferralSummary;
import io.referrals.core.model.AdvocateId;
import io.referrals.core.model.ReferralId;
import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * Rewrites stored events for erasure. Events are records; the scrubber walks their record components (recursively) and
 * replaces the summaries that carry personal data, so events added by other parts of the library are covered as long
 * as they carry an {@link AdvocateSummary} or {@link ReferralSummary}. Stateless and thread-safe.
 */
public final class EventScrubber {
    /** The display name an erased advocate is shown with. */
    public static final String ERASED = "erased";

    private EventScrubber() {
    }

    /** The event without the advocate's personal data, or the same instance when it carries none. */
    public static ReferralEvent withoutAdvocate(ReferralEvent event, AdvocateId id) {
        AdvocateSummary erased = new AdvocateSummary(id, erasedExternalId(id), ERASED, "", true);
        return (ReferralEvent) rewrite(event, v -> v instanceof AdvocateSummary a && a.id().equals(id)
                && !a.equals(erased) ? erased : v);
    }

    /** The event without the prospect's data of referral {@code id}, or the same instance when it carries none. */
    public static ReferralEvent withoutProspect(ReferralEvent event, ReferralId id) {
        return (ReferralEvent) rewrite(event, v -> v instanceof ReferralSummary s && s.referralId().equals(id)
                && !s.prospectCompany().isEmpty()
                ? new ReferralSummary(s.referralId(), s.programId(), s.programName(), s.advocate(), "", s.stage(),
                        s.terminal(), s.channel(), s.consent())
                : v);
    }

    /** The external id an erased advocate gets: derived from the library id only. */
    public static String erasedExternalId(AdvocateId id) {
        return "erased-" + id.value();
    }

    private static Object rewrite(Object value, UnaryOperator<Object> f) {
        Object mapped = f.apply(value);
        if (mapped != value || !(value instanceof Record r)) {
            return mapped;
        }
        RecordComponent[] components = r.getClass().getRecordComponents();
        Object[] args = new Object[components.length];
        Class<?>[] types = new Class<?>[components.length];
        boolean changed = false;
        try {
            for (int i = 0; i < components.length; i++) {
                Object v = components[i].getAccessor().invoke(r);
                args[i] = v == null ? null : rewrite(v, f);
                types[i] = components[i].getType();
                changed |= args[i] != v;
            }
            if (!changed) {
                return value;
            }
            Constructor<?> c = r.getClass().getDeclaredConstructor(types);
            return Objects.requireNonNull(c.newInstance(args));
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot rewrite a " + r.getClass().getName(), e);
        }
    }
}
