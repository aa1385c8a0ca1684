package io.referrals.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("The demo")
class DemoTest {

    private static String run(Path dir) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Demo.run(new PrintStream(bytes, true, StandardCharsets.UTF_8), dir.resolve("report.html"));
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static List<String> section(String out, String title) {
        String rest = out.substring(out.indexOf("== " + title) + title.length() + 3);
        int end = rest.indexOf("\n== ");
        return (end < 0 ? rest : rest.substring(0, end)).lines().filter(l -> !l.isBlank()).toList();
    }

    @Test
    @DisplayName("tells advocates what happened and when, in words, never with internal event numbers")
    void notificationsInWords(@TempDir Path dir) throws Exception {
        String out = run(dir);

        List<String> notifications = section(out, "Notifications a host would send");
        assertThat(notifications).isNotEmpty().noneMatch(n -> n.matches(".*#\\d.*"))
                .noneMatch(n -> n.contains("update"));
        assertThat(notifications).contains(
                "   to Jane Doe: our team reached out to Initech on 4 March 2026",
                "   to Jane Doe: we signed Initech on 19 April 2026",
                "   to Raj Patel: we could not close a deal with Umbrella on 1 May 2026");
        assertThat(Files.readString(dir.resolve("report.html"))).contains("<h1>Customer referrals</h1>");
    }

    @Test
    @DisplayName("ends with Jane's own view: her link, her referral's status and her rewards, without the prospect's "
            + "name or e-mail")
    void advocateView(@TempDir Path dir) {
        String out = run(dir);

        List<String> view = section(out, "Jane Doe's advocate view");
        assertThat(view).contains(
                "   Customer referrals: [https://www.example.com/refer?utm_source=advocate&ref=JANE-ACME]",
                "   referral Initech        Became a customer  since 19 April 2026");
        assertThat(view).anyMatch(l -> l.equals("   reward   1,000 points   Received"));
        assertThat(view).anyMatch(l -> l.startsWith("   points   "));
        assertThat(String.join("\n", view)).doesNotContain("Peter", "peter@initech.example", "Umbrella", "Raj");
    }

    @Test
    @DisplayName("explains a lost referral's missing rewards as lost, at which stage, and what reopening would do")
    void lostReferralExplained(@TempDir Path dir) {
        String out = run(dir);

        assertThat(out).doesNotContain("has not reached");
        assertThat(out).contains("   no reward from customer-double: Your referral was lost at 'meeting_held' on "
                + "2026-05-01, before reaching 'won': the program pays nothing for it unless it is reopened.");
    }
}
