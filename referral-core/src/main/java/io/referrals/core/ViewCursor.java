package io.referrals.core;

import io.referrals.core.error.ValidationException;
import io.referrals.core.storage.Before;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.Base64;
import java.util.zip.CRC32;

/**
 * The opaque cursors of the advocate's view: a {@link Before} position and the list it belongs to, with a checksum, in
 * URL-safe base64 without padding. A cursor of one list is refused by another. A cursor is not a secret and not a
 * capability: the advocate is always named by the caller, so a forged cursor can only move within that advocate's
 * own list.
 */
final class ViewCursor {
    /** The longest cursor accepted; longer input is refused before decoding. */
    static final int MAX_LENGTH = 400;

    /** The lists of the view, each with its own cursor tag. */
    enum Feed {
        REFERRALS("r"), REWARDS("w"), POINTS("p");

        final String tag;

        Feed(String tag) {
            this.tag = tag;
        }
    }

    private ViewCursor() {
    }

    static String encode(Feed list, Before before) {
        String body = list.tag + '|' + before.at().getEpochSecond() + '|' + before.at().getNano() + '|' + before.id();
        String raw = check(body) + '|' + body;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The position {@code cursor} encodes; the empty string is the first page.
     *
     * @throws ValidationException {@code cursor} {@code invalid} when it is not a cursor of {@code list}
     */
    static Before decode(Feed list, String cursor) {
        if (cursor.isEmpty()) {
            return Before.first();
        }
        if (cursor.length() > MAX_LENGTH) {
            throw invalid();
        }
        try {
            String raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            int bar = raw.indexOf('|');
            String body = bar < 0 ? "" : raw.substring(bar + 1);
            String[] parts = body.split("\\|", 4);
            if (bar < 0 || !raw.substring(0, bar).equals(check(body)) || parts.length != 4
                    || !parts[0].equals(list.tag) || parts[3].isEmpty()) {
                throw invalid();
            }
            Instant at = Instant.ofEpochSecond(Long.parseLong(parts[1]), Long.parseLong(parts[2]));
            return new Before(at, parts[3]);
        } catch (IllegalArgumentException | DateTimeException | ArithmeticException e) {
            throw invalid();
        }
    }

    /** A checksum that tells a cursor from a mistyped or truncated one (not a protection against forgery). */
    private static String check(String body) {
        CRC32 crc = new CRC32();
        crc.update(body.getBytes(StandardCharsets.UTF_8));
        return Long.toHexString(crc.getValue());
    }

    private static ValidationException invalid() {
        return ValidationException.of("cursor", "invalid", "not a cursor of this list: pass back the next cursor of "
                + "the page before, unchanged");
    }
}
