package io.referrals.core.model;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A named stage of a program's pipeline. Names are lower-case snake case, 1-40 characters: {@code meeting_held}.
 *
 * @param name the stage name
 */
public record Stage(String name) {
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,39}");

    public static final Stage SUBMITTED = new Stage("submitted");
    public static final Stage CONTACTED = new Stage("contacted");
    public static final Stage MEETING_HELD = new Stage("meeting_held");
    public static final Stage QUALIFIED = new Stage("qualified");
    public static final Stage OPPORTUNITY = new Stage("opportunity");
    public static final Stage WON = new Stage("won");
    public static final Stage LOST = new Stage("lost");
    public static final Stage REJECTED = new Stage("rejected");

    public Stage {
        Objects.requireNonNull(name, "name");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("stage name must be lower-case snake case of 1-40 characters");
        }
    }

    public static Stage of(String name) {
        return new Stage(name);
    }

    /** True when {@code name} would be accepted by {@link #of}. */
    public static boolean isWellFormed(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    @Override
    public String toString() {
        return name;
    }
}
