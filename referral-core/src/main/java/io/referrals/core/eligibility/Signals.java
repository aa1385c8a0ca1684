package io.referrals.core.eligibility;

/**
 * Technical signals of one party of a capture, passed by the host: IP address, user agent, device id. They are only
 * ever signals: shared values between advocate and prospect flag a referral (by default) and never reject it unless
 * the program says so. They are personal data: the engine compares them during the capture, stores them only as keyed
 * hashes (failed-lookup counters) and never logs them. Unknown values are empty; the engine validates lengths and
 * characters at capture ({@code signals.ip} at most 64, {@code signals.userAgent} 512, {@code signals.deviceId} 128).
 *
 * @param ip the IP address as text
 * @param userAgent the user agent string
 * @param deviceId a device or browser fingerprint id
 */
public record Signals(String ip, String userAgent, String deviceId) {
    /** No signals. */
    public static final Signals NONE = new Signals("", "", "");

    public Signals {
        ip = ip == null ? "" : ip;
        userAgent = userAgent == null ? "" : userAgent;
        deviceId = deviceId == null ? "" : deviceId;
    }

    public static Signals ip(String ip) {
        return new Signals(ip, "", "");
    }

    /** True when no signal is known. */
    public boolean isEmpty() {
        return ip.isBlank() && userAgent.isBlank() && deviceId.isBlank();
    }

    /** Never the values, which are personal data. */
    @Override
    public String toString() {
        return "Signals[ip=" + !ip.isEmpty() + ", userAgent=" + !userAgent.isEmpty() + ", deviceId="
                + !deviceId.isEmpty() + "]";
    }
}
