package io.referrals.core.view;

import io.referrals.core.model.ProgramId;
import io.referrals.core.model.ProgramKind;
import java.util.List;
import java.util.Objects;

/**
 * A program the advocate is enrolled in.
 *
 * @param programId the program
 * @param name its display name
 * @param kind its audience
 * @param optedOut true when the advocate opted out (their new referrals are refused)
 * @param codes the advocate's active codes in the program, oldest first, with their share links
 * @param progress how far the advocate is toward the next reward, tier or contest rank, as the installed
 *     {@link ProgressSource}s report it; empty without any
 */
public record ProgramCard(ProgramId programId, String name, ProgramKind kind, boolean optedOut, List<ShareCode> codes,
        List<Progress> progress) {

    /** @throws NullPointerException if an argument or an element is null */
    public ProgramCard {
        Objects.requireNonNull(programId, "programId");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        codes = List.copyOf(codes);
        progress = List.copyOf(progress);
    }
}
