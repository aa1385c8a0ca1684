package io.referrals.core.view;

import io.referrals.core.model.AdvocateId;
import io.referrals.core.model.ProgramId;
import io.referrals.core.storage.StoreTransaction;
import java.util.List;
import java.util.Locale;

/**
 * Reports how far an advocate is toward the next reward, tier or contest rank of a program: registered by an
 * extension with {@link io.referrals.core.extension.Installation#progress}, and asked by
 * {@link io.referrals.core.AdvocateViews} for each program card. Must be thread-safe.
 *
 * <p>It reads what it needs through {@code tx}, the view's own read transaction, and must not write. It should do
 * bounded work: a few store reads per program, however long the advocate's history. A source that throws is logged
 * at WARN and left out of the view.
 */
@FunctionalInterface
public interface ProgressSource {

    /**
     * The advocate's progress in the program, with texts in {@code locale} where the source has them (English
     * otherwise); empty when there is nothing to report.
     */
    List<Progress> progress(StoreTransaction tx, AdvocateId advocateId, ProgramId programId, Locale locale);
}
