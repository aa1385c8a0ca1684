package io.referrals.core.error;

import java.util.List;

/**
 * Input was refused. {@link #errors()} names every bad field at once, so a form can show them all; nothing was
 * written.
 */
public final class ValidationException extends ReferralException {
    private static final long serialVersionUID = 1L;

    private final transient List<FieldError> errors;

    public ValidationException(List<FieldError> errors) {
        super(describe(errors));
        this.errors = List.copyOf(errors);
        if (this.errors.isEmpty()) {
            throw new IllegalArgumentException("a validation failure needs at least one field error");
        }
    }

    /** Convenience for a single bad field. */
    public static ValidationException of(String field, String code, String message) {
        return new ValidationException(List.of(new FieldError(field, code, message)));
    }

    /** The rejected fields, in the order they were checked; never empty. */
    public List<FieldError> errors() {
        return errors;
    }

    private static String describe(List<FieldError> errors) {
        StringBuilder sb = new StringBuilder("invalid input: ");
        for (int i = 0; i < errors.size(); i++) {
            if (i > 0) {
                sb.append("; ");
            }
            sb.append(errors.get(i));
        }
        return sb.toString();
    }
}
