package io.referrals.core.internal;

import io.referrals.core.error.FieldError;
import io.referrals.core.error.ValidationException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Collects field errors for outside input. Messages never repeat the rejected value, which may be personal data.
 * Not thread-safe; one instance per validation.
 */
public final class InputChecks {
    private static final Pattern LOCAL_PART = Pattern.compile("[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*");
    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    private static final Pattern TLD = Pattern.compile("[a-z]{2,63}|xn--[a-z0-9-]{1,59}");
    private static final Pattern ATTRIBUTE_KEY = Pattern.compile("[A-Za-z][A-Za-z0-9_.-]{0,63}");
    private static final Pattern PHONE = Pattern.compile("\\+?[0-9 ().-]{4,40}");

    private final List<FieldError> errors = new ArrayList<>();

    public List<FieldError> errors() {
        return errors;
    }

    /** Throws a {@link ValidationException} with every error collected, if any. */
    public void throwIfAny() {
        if (!errors.isEmpty()) {
            throw new ValidationException(errors);
        }
    }

    public void add(String field, String code, String message) {
        errors.add(new FieldError(field, code, message));
    }

    /** A required single-line text: not blank, at most {@code max} characters, no control or format characters. */
    public void required(String field, String value, int max) {
        if (value == null || value.isBlank()) {
            add(field, "required", "must not be blank");
        } else {
            line(field, value, max);
        }
    }

    /** An optional single-line text. */
    public void line(String field, String value, int max) {
        if (value == null || value.isEmpty()) {
            return;
        }
        if (value.length() > max) {
            add(field, "too_long", "must be at most " + max + " characters");
        } else if (hasHiddenCharacters(value, false)) {
            add(field, "control_characters", "must not contain control, format or invisible characters");
        }
    }

    /** An optional multi-line text: like {@link #line} but line breaks and tabs are allowed. */
    public void text(String field, String value, int max) {
        if (value == null || value.isEmpty()) {
            return;
        }
        if (value.length() > max) {
            add(field, "too_long", "must be at most " + max + " characters");
        } else if (hasHiddenCharacters(value, true)) {
            add(field, "control_characters", "must not contain control, format or invisible characters");
        }
    }

    /** A required email address. */
    public void email(String field, String value, boolean required) {
        if (value == null || value.isEmpty()) {
            if (required) {
                add(field, "required", "must not be blank");
            }
            return;
        }
        if (!isEmail(value)) {
            add(field, "malformed", "must be an email address such as name@example.com");
        }
    }

    /** An optional domain name such as {@code example.com}. */
    public void domain(String field, String value) {
        if (value == null || value.isEmpty()) {
            return;
        }
        if (!isDomain(value)) {
            add(field, "malformed", "must be a domain name such as example.com");
        }
    }

    public void phone(String field, String value) {
        if (value == null || value.isEmpty()) {
            return;
        }
        if (!PHONE.matcher(value).matches()) {
            add(field, "malformed", "must be a phone number of 4-40 digits, spaces and ()+-.");
        }
    }

    public void attributes(String field, Map<String, String> attributes, int maxEntries, int maxValue) {
        if (attributes.size() > maxEntries) {
            add(field, "too_many", "must have at most " + maxEntries + " entries");
            return;
        }
        for (Map.Entry<String, String> e : attributes.entrySet()) {
            if (!ATTRIBUTE_KEY.matcher(e.getKey()).matches()) {
                add(field, "malformed_key", "keys must be 1-64 letters, digits and _.- starting with a letter");
            } else {
                line(field + "." + e.getKey(), e.getValue(), maxValue);
            }
        }
    }

    public static boolean isEmail(String value) {
        if (value.length() > 254) {
            return false;
        }
        int at = value.lastIndexOf('@');
        if (at < 1 || at != value.indexOf('@')) {
            return false;
        }
        String local = value.substring(0, at);
        return local.length() <= 64 && LOCAL_PART.matcher(local).matches()
                && isDomain(value.substring(at + 1).toLowerCase(java.util.Locale.ROOT));
    }

    public static boolean isDomain(String value) {
        if (value.length() > 253 || value.isEmpty()) {
            return false;
        }
        String[] labels = value.split("\\.", -1);
        if (labels.length < 2) {
            return false;
        }
        for (String label : labels) {
            if (!LABEL.matcher(label).matches()) {
                return false;
            }
        }
        return TLD.matcher(labels[labels.length - 1]).matches();
    }

    /** Code points classified as letters or symbols that render as blank space: Hangul fillers, Braille blank. */
    private static boolean isInvisibleLetter(int cp) {
        return cp == 0x115F || cp == 0x1160 || cp == 0x3164 || cp == 0xFFA0 || cp == 0x2800;
    }

    /**
     * True if the text holds a control character (other than line breaks and tabs when allowed), a format character
     * (zero-width, bidirectional overrides), a blank-rendering letter (Hangul filler), a private-use or unassigned code point, or a lone surrogate.
     */
    public static boolean hasHiddenCharacters(String value, boolean allowLineBreaks) {
        for (int i = 0; i < value.length(); ) {
            int cp = value.codePointAt(i);
            i += Character.charCount(cp);
            if (allowLineBreaks && (cp == '\n' || cp == '\r' || cp == '\t')) {
                continue;
            }
            if (isInvisibleLetter(cp)) {
                return true;
            }
            switch (Character.getType(cp)) {
                case Character.CONTROL, Character.FORMAT, Character.PRIVATE_USE, Character.SURROGATE,
                        Character.UNASSIGNED, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR:
                    return true;
                default:
                    break;
            }
        }
        return false;
    }
}
