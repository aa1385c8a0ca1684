package io.referrals.examples.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.referrals.core.ReferralEngine;
import io.referrals.core.insights.ProgramReport;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProgramReportPageTest {

    @Test
    void writesASelfContainedPageWithAnSvgFunnelAndPrintsASummary(@TempDir Path dir) throws Exception {
        ReferralEngine engine = ProgramReportExample.seeded();
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        Path file = dir.resolve("reports/program.html");
        ProgramReport report = ProgramReportPage.write(engine, ProgramReportExample.PROGRAM, file,
                new PrintStream(console, true, StandardCharsets.UTF_8));

        assertThat(report.submitted()).isEqualTo(12);
        assertThat(report.won()).isEqualTo(3);
        assertThat(report.timeToWon().median()).isPositive();
        String html = Files.readString(file);
        assertThat(html).startsWith("<!DOCTYPE html>").contains("<svg", "</svg>", "Customer referrals",
                "Top advocates by won referrals");
        // six funnel bars, no external assets, no scripts
        assertThat(html.split("<rect ", -1)).hasSize(7);
        assertThat(html).doesNotContain("<script", "<link", "src=", "url(", "@import");
        assertThat(html.replace("xmlns=\"http://www.w3.org/2000/svg\"", "")).doesNotContain("http://", "https://");
        // names are escaped
        assertThat(html).doesNotContain("Ana <Admin>");
        String out = console.toString(StandardCharsets.UTF_8);
        assertThat(out).contains("== Program report: Customer referrals", "referrals 12, won 3", "ROI");
    }
}
