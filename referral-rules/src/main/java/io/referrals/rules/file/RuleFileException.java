package io.referrals.rules.file;

import io.referrals.core.error.ReferralException;
import java.util.List;
import java.util.Objects;

/**
 * A rule file was refused. {@link #problems()} lists every problem found, each with its place in the file; nothing
 * was loaded.
 */
public final class RuleFileException extends ReferralException {
    private static final long serialVersionUID = 1L;

    private final transient List<Problem> problems;

    /**
     * One problem.
     *
     * @param source the file's name
     * @param path where in the document, for example {@code rules[2].advocate.points}; {@code $} for the root
     * @param line the line, from 1; 0 if unknown
     * @param column the column, from 1; 0 if unknown
     * @param code a stable code: {@code unknown_field}, {@code wrong_type}, {@code required}, {@code invalid_value},
     *     {@code out_of_range} (a number beyond what its field holds), {@code unknown_stage}, {@code unknown_program},
     *     {@code unknown_rule}, {@code duplicate_id}, {@code syntax}...
     * @param message what is wrong, in words
     */
    public record Problem(String source, String path, int line, int column, String code, String message) {
        public Problem {
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(code, "code");
            Objects.requireNonNull(message, "message");
        }

        @Override
        public String toString() {
            return source + ":" + line + ":" + column + ": " + path + ": " + message + " (" + code + ")";
        }
    }

    public RuleFileException(List<Problem> problems) {
        super(describe(problems));
        this.problems = List.copyOf(problems);
        if (this.problems.isEmpty()) {
            throw new IllegalArgumentException("a rule file failure needs at least one problem");
        }
    }

    /** The problems, in document order as found; never empty. */
    public List<Problem> problems() {
        return problems;
    }

    private static String describe(List<Problem> problems) {
        StringBuilder sb = new StringBuilder("invalid rule file: ");
        for (int i = 0; i < problems.size(); i++) {
            if (i > 0) {
                sb.append("; ");
            }
            sb.append(problems.get(i));
        }
        return sb.toString();
    }
}
