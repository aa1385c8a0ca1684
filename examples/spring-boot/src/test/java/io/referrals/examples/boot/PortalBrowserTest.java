package io.referrals.examples.boot;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The portal in a real browser: Debian's headless Chromium, driven through its own chromedriver (the paths are given,
 * so Selenium never downloads a browser or a driver), against the sample application on H2 with its demo data and
 * its sign-in. Screenshots of each step are kept in {@code target/portal-screenshots}. Without Chromium the class is
 * skipped with the reason printed; with {@code CI=true} it fails instead. With {@code -Dportal.screenshot=<file>} it
 * also writes the dashboard screenshot the README shows.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@DisplayName("The portal in headless Chromium")
class PortalBrowserTest {
    private static final Path CHROMIUM = Path.of(env("REF_TEST_CHROMIUM", "/usr/bin/chromium"));
    private static final Path CHROMEDRIVER = Path.of(env("REF_TEST_CHROMEDRIVER", "/usr/bin/chromedriver"));
    private static final Path SHOTS = Path.of("target", "portal-screenshots");
    private static final Duration WAIT = Duration.ofSeconds(15);

    private ConfigurableApplicationContext app;
    private String base;
    private final List<WebDriver> drivers = new ArrayList<>();
    private final List<Path> profiles = new ArrayList<>();

    @BeforeAll
    void start() throws IOException {
        requireChromium();
        Files.createDirectories(SHOTS);
        String db = "portal_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        app = new SpringApplicationBuilder(ReferralSampleApplication.class).run(
                "--spring.datasource.url=jdbc:h2:mem:" + db + ";DB_CLOSE_DELAY=-1", "--server.port=0",
                "--referrals.outbox.poll-interval=1h", "--referrals.rewards.processing-interval=1h");
        base = "http://localhost:" + app.getEnvironment().getProperty("local.server.port");
    }

    @AfterEach
    void closeBrowsers() {
        drivers.forEach(WebDriver::quit);
        drivers.clear();
        for (Path p : profiles) {
            try (Stream<Path> files = Files.walk(p)) {
                files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        profiles.clear();
    }

    @AfterAll
    void stop() {
        if (app != null) {
            app.close();
        }
    }

    private static void requireChromium() {
        String missing = !Files.isExecutable(CHROMIUM) ? CHROMIUM.toString()
                : !Files.isExecutable(CHROMEDRIVER) ? CHROMEDRIVER.toString() : null;
        if (missing == null) {
            return;
        }
        String reason = "portal browser tests skipped: " + missing + " is missing (apt-get install chromium"
                + " chromium-driver, or set REF_TEST_CHROMIUM and REF_TEST_CHROMEDRIVER)";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new IllegalStateException("CI=true, so a missing browser fails the build: " + reason);
        }
        System.err.println("[examples-spring-boot] " + reason);
        Assumptions.abort(reason);
    }

    /** A fresh headless Chromium with a profile of its own, signed in as {@code user}. */
    private WebDriver signIn(String user, int width, int height) throws IOException {
        Path profile = Files.createTempDirectory("portal-chromium-");
        profiles.add(profile);
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile()).addArguments("--headless=new",
                "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--no-first-run", "--disable-dev-shm-usage", "--user-data-dir=" + profile,
                "--window-size=" + width + "," + height, "--lang=en-US");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        WebDriver driver = new ChromeDriver(service, options);
        drivers.add(driver);
        driver.manage().window().setSize(new Dimension(width, height));
        driver.get(base + "/referrals/");
        WebDriverWait wait = new WebDriverWait(driver, WAIT);
        wait.until(ExpectedConditions.presenceOfElementLocated(By.name("username"))).sendKeys(user);
        driver.findElement(By.name("password")).sendKeys(SampleSecurity.DEMO_PASSWORD);
        driver.findElement(By.cssSelector("button[type=submit], input[type=submit]")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("who"), "Signed in as " + user));
        return driver;
    }

    private static WebDriverWait waiting(WebDriver driver) {
        return new WebDriverWait(driver, WAIT);
    }

    private static void screenshot(WebDriver driver, String name) {
        try {
            Path shot = ((ChromeDriver) driver).getScreenshotAs(OutputType.FILE).toPath();
            Files.copy(shot, SHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The text of the company's row in the referral list, and its status badge's classes, once it is listed. */
    private static String[] referralRow(WebDriver driver, String company) {
        return waiting(driver).ignoring(StaleElementReferenceException.class)
                .until(d -> d.findElements(By.cssSelector("#referrals tbody tr")).stream()
                        .filter(r -> r.findElement(By.cssSelector("td")).getText().equals(company)).findFirst()
                        .map(r -> new String[] {r.getText(), r.findElement(By.cssSelector(".badge"))
                                .getDomAttribute("class")})
                        .orElse(null));
    }

    @Test
    @Order(1)
    @DisplayName("an advocate refers a colleague: a bad e-mail shows its error next to the field, then the referral is"
            + " listed")
    void advocateRefersAColleague() throws IOException {
        WebDriver jane = signIn("jane", 1200, 1500);
        waiting(jane).until(ExpectedConditions.textToBePresentInElementLocated(By.id("greeting"), "Hello Jane"));
        referralRow(jane, "Initech");
        assertThat(referralRow(jane, "Hooli")[1]).as("the demo's flagged referral").contains("UNDER_REVIEW");
        assertThat(jane.findElement(By.cssSelector("#share input")).getDomProperty("value"))
                .isEqualTo("https://www.example.com/refer?ref=JANE-ACME");
        screenshot(jane, "1-dashboard");
        String docs = System.getProperty("portal.screenshot");
        if (docs != null && !docs.isBlank()) {
            Path target = Path.of(docs);
            Files.createDirectories(target.toAbsolutePath().getParent());
            Files.copy(SHOTS.resolve("1-dashboard.png"), target, StandardCopyOption.REPLACE_EXISTING);
        }

        jane.findElement(By.id("name")).sendKeys("Bruce Wayne");
        jane.findElement(By.id("email")).sendKeys("bruce-at-wayne");
        jane.findElement(By.id("company")).sendKeys("Wayne Enterprises");
        jane.findElement(By.id("consent")).click();
        jane.findElement(By.id("submit")).click();
        WebElement error = waiting(jane).until(ExpectedConditions.visibilityOfElementLocated(By.id("err-email")));
        assertThat(error.getText()).contains("email address");
        assertThat(jane.findElement(By.id("email")).getDomAttribute("aria-invalid")).isEqualTo("true");
        assertThat(jane.findElement(By.id("err-company")).getText()).isEmpty();
        screenshot(jane, "2-field-error");

        WebElement email = jane.findElement(By.id("email"));
        email.clear();
        email.sendKeys("bruce@wayne.example");
        jane.findElement(By.id("submit")).click();
        waiting(jane).until(ExpectedConditions.textToBePresentInElementLocated(By.id("result"), "Thank you"));
        assertThat(referralRow(jane, "Wayne Enterprises")[0]).contains("Wayne Enterprises");
        assertThat(jane.findElement(By.id("err-email")).getText()).isEmpty();
        screenshot(jane, "3-referral-listed");

        jane.manage().window().setSize(new Dimension(390, 1600));
        jane.navigate().refresh();
        referralRow(jane, "Wayne Enterprises");
        screenshot(jane, "4-phone-width");
    }

    @Test
    @Order(2)
    @DisplayName("an admin approves a flagged referral, and the advocate's page shows it moved on")
    void adminApprovesAFlaggedReferral() throws IOException {
        WebDriver jane = signIn("jane", 1200, 1500);
        assertThat(referralRow(jane, "Hooli")[1]).contains("UNDER_REVIEW");

        WebDriver admin = signIn("admin", 1200, 1200);
        admin.get(base + "/referrals/admin");
        WebElement approve = waiting(admin).until(ExpectedConditions.elementToBeClickable(
                By.cssSelector("button[aria-label='Approve the referral of Hooli']")));
        screenshot(admin, "5-review-queue");
        approve.click();
        waiting(admin).until(ExpectedConditions.textToBePresentInElementLocated(By.id("result"), "Approved: Hooli."));
        screenshot(admin, "6-approved");
        admin.get(base + "/referrals/report");
        waiting(admin).until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#funnel svg rect")));
        screenshot(admin, "7-report");

        jane.navigate().refresh();
        waiting(jane).until(d -> !referralRow(d, "Hooli")[1].contains("UNDER_REVIEW"));
        screenshot(jane, "8-after-approval");
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }
}
