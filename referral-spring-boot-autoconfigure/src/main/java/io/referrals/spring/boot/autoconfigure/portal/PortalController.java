package io.referrals.spring.boot.autoconfigure.portal;

import io.referrals.core.AdvocateViews;
import io.referrals.core.CaptureRequest;
import io.referrals.core.CaptureResult;
import io.referrals.core.ProgramInsights;
import io.referrals.core.ReferralEngine;
import io.referrals.core.eligibility.EligibilityReasons;
import io.referrals.core.eligibility.Signals;
import io.referrals.core.error.ConflictException;
import io.referrals.core.error.FieldError;
import io.referrals.core.error.NotFoundException;
import io.referrals.core.error.ValidationException;
import io.referrals.core.insights.InsightsQuery;
import io.referrals.core.insights.ProgramReport;
import io.referrals.core.insights.ReportPeriod;
import io.referrals.core.insights.Valuation;
import io.referrals.core.json.JsonWriter;
import io.referrals.core.model.Advocate;
import io.referrals.core.model.AdvocateId;
import io.referrals.core.model.Channel;
import io.referrals.core.model.ConsentBasis;
import io.referrals.core.model.Program;
import io.referrals.core.model.ProgramId;
import io.referrals.core.model.Prospect;
import io.referrals.core.model.Reason;
import io.referrals.core.model.Referral;
import io.referrals.core.model.ReferralId;
import io.referrals.core.model.ReviewStatus;
import io.referrals.core.view.ProgramCard;
import io.referrals.core.view.ShareCode;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.Principal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The portal's pages and JSON endpoints, under {@code referrals.portal.base-path}. Every advocate endpoint works on
 * the advocate the {@link PortalAdvocateResolver} makes of the signed-in user and takes no advocate id: there is no
 * way to name another advocate's data. Admin endpoints need the admin authority. Every POST needs the portal's CSRF
 * token ({@link PortalCsrf}), besides Spring Security's when the host has it. JSON is written with the library's
 * own writer, so the host's ObjectMapper settings never change the portal's answers.
 */
@RestController
@RequestMapping("${referrals.portal.base-path:/referrals}")
class PortalController {
    private static final Logger LOG = LoggerFactory.getLogger(PortalController.class);
    private static final String PAGES = "io/referrals/spring/boot/autoconfigure/portal/static/";
    private static final Pattern REQUEST_ID = Pattern.compile("[A-Za-z0-9-]{8,64}");
    private static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
            + " connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";
    private static final Map<String, String> FORM_FIELDS = Map.of("prospect.fullName", "name", "prospect.email",
            "email", "prospect.company", "company", "prospect.jobTitle", "jobTitle", "prospect.phone", "phone",
            "prospect", "name", "note", "note", "programId", "program", "program", "program", "consent", "consent");

    private final ReferralEngine engine;
    private final AdvocateViews views;
    private final ProgramInsights insights;
    private final PortalProperties properties;
    private final PortalAccess access;
    private final PortalCsrf csrf;
    private final Map<String, byte[]> assets = new ConcurrentHashMap<>();

    PortalController(ReferralEngine engine, AdvocateViews views, ProgramInsights insights,
            PortalProperties properties, PortalAdvocateResolver resolver) {
        this.engine = engine;
        this.views = views;
        this.insights = insights;
        this.properties = properties;
        this.access = new PortalAccess(resolver, properties.getAdminAuthority());
        this.csrf = new PortalCsrf(properties.getBasePath());
    }

    // ---- pages ----------------------------------------------------------------------------------------------------

    @GetMapping("")
    ResponseEntity<Void> root() {
        return ResponseEntity.status(HttpStatus.FOUND).header(HttpHeaders.LOCATION, properties.getBasePath() + "/")
                .build();
    }

    /** The advocate's dashboard. */
    @GetMapping("/")
    ResponseEntity<byte[]> dashboard() {
        return page("dashboard.html");
    }

    /** The admin's review queue. */
    @GetMapping("/admin")
    ResponseEntity<byte[]> admin() {
        return page("admin.html");
    }

    /** The program report. */
    @GetMapping("/report")
    ResponseEntity<byte[]> report() {
        return page("report.html");
    }

    @GetMapping("/assets/{name:[a-z]+\\.(?:css|js)}")
    ResponseEntity<byte[]> asset(@PathVariable("name") String name) {
        MediaType type = name.endsWith(".css") ? new MediaType("text", "css", StandardCharsets.UTF_8)
                : new MediaType("text", "javascript", StandardCharsets.UTF_8);
        return ResponseEntity.ok().contentType(type).cacheControl(CacheControl.noCache())
                .header("X-Content-Type-Options", "nosniff").body(resource(name));
    }

    private ResponseEntity<byte[]> page(String name) {
        return ResponseEntity.ok().contentType(new MediaType("text", "html", StandardCharsets.UTF_8))
                .cacheControl(CacheControl.noStore()).header("Content-Security-Policy", CSP)
                .header("X-Content-Type-Options", "nosniff").header("Referrer-Policy", "same-origin")
                .body(resource(name));
    }

    private byte[] resource(String name) {
        return assets.computeIfAbsent(name, n -> {
            try (InputStream in = PortalController.class.getClassLoader().getResourceAsStream(PAGES + n)) {
                if (in == null) {
                    throw new NotFoundException("page", n);
                }
                return in.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    // ---- session --------------------------------------------------------------------------------------------------

    /**
     * Who is signed in and the tokens a page needs for its posts: the portal's ({@code csrf}) and Spring Security's
     * ({@code springCsrf}, or null without it). Issues the portal's CSRF cookie.
     */
    @GetMapping("/api/session")
    ResponseEntity<String> session(HttpServletRequest request, HttpServletResponse response) {
        Principal user = access.user(request);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("user", user.getName());
        m.put("advocate", access.advocateOf(user).isPresent());
        m.put("admin", access.isAdmin(request, user));
        m.put("csrf", Map.of("header", PortalCsrf.HEADER, "token", csrf.token(request, response)));
        m.put("springCsrf", PortalAccess.springCsrf(request));
        m.put("pageSize", properties.getPageSize());
        return json(HttpStatus.OK, m);
    }

    // ---- the advocate ---------------------------------------------------------------------------------------------

    /** The signed-in advocate's view: programs and codes, and the first page of referrals, rewards and points. */
    @GetMapping("/api/me")
    ResponseEntity<String> me(HttpServletRequest request,
            @RequestParam(name = "pageSize", required = false) Integer pageSize) {
        AdvocateId me = access.advocate(request);
        return json(HttpStatus.OK, views.view(me, locale(request), pageSize(pageSize)));
    }

    /** A further page of the advocate's referrals, after {@code cursor} (the {@code next} of the previous page). */
    @GetMapping("/api/me/referrals")
    ResponseEntity<String> referrals(HttpServletRequest request,
            @RequestParam(name = "cursor", defaultValue = "") String cursor,
            @RequestParam(name = "pageSize", required = false) Integer pageSize) {
        AdvocateId me = access.advocate(request);
        return json(HttpStatus.OK, views.referrals(me, cursor, pageSize(pageSize), locale(request)));
    }

    /** A further page of the advocate's rewards. */
    @GetMapping("/api/me/rewards")
    ResponseEntity<String> rewards(HttpServletRequest request,
            @RequestParam(name = "cursor", defaultValue = "") String cursor,
            @RequestParam(name = "pageSize", required = false) Integer pageSize) {
        AdvocateId me = access.advocate(request);
        return json(HttpStatus.OK, views.rewards(me, cursor, pageSize(pageSize), locale(request)));
    }

    /** A further page of the advocate's points history. */
    @GetMapping("/api/me/points")
    ResponseEntity<String> points(HttpServletRequest request,
            @RequestParam(name = "cursor", defaultValue = "") String cursor,
            @RequestParam(name = "pageSize", required = false) Integer pageSize) {
        AdvocateId me = access.advocate(request);
        return json(HttpStatus.OK, views.points(me, cursor, pageSize(pageSize), locale(request)));
    }

    /** The advocate's share links: one per active code, by program. */
    @GetMapping("/api/me/share")
    ResponseEntity<String> share(HttpServletRequest request) {
        AdvocateId me = access.advocate(request);
        List<Map<String, Object>> links = new ArrayList<>();
        for (ProgramCard card : views.view(me, locale(request), 1).programs()) {
            for (ShareCode code : card.codes()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("programId", card.programId());
                m.put("programName", card.name());
                m.put("code", code.code());
                m.put("link", code.link());
                links.add(m);
            }
        }
        return json(HttpStatus.OK, Map.of("links", links));
    }

    /**
     * Refers a colleague: the form's fields ({@code program}, {@code name}, {@code email}, {@code company},
     * {@code jobTitle}, {@code phone}, {@code note}, {@code consent}, and {@code requestId}, a random id per form that
     * makes a repeated post return the first answer) become a capture by the signed-in advocate, through the referral
     * form channel and the program's eligibility checks and velocity limits. 201 when recorded, 400 with
     * {@code errors} by form field, 422 when not accepted or refused, 429 past a velocity limit.
     */
    @PostMapping("/api/me/referrals")
    ResponseEntity<String> refer(HttpServletRequest request) {
        requireCsrf(request);
        AdvocateId me = access.advocate(request);
        List<FieldError> errors = new ArrayList<>();
        if (!"true".equals(request.getParameter("consent")) && !"on".equals(request.getParameter("consent"))) {
            errors.add(new FieldError("consent", "required", "confirm that your colleague expects to hear from us"));
        }
        ProgramId program = program(me, param(request, "program"), errors);
        CaptureRequest.Builder b = CaptureRequest.builder().advocate(me)
                .consent(ConsentBasis.ADVOCATE_INTRODUCTION)
                .prospect(Prospect.builder().fullName(param(request, "name")).email(param(request, "email"))
                        .company(param(request, "company")).jobTitle(param(request, "jobTitle"))
                        .phone(param(request, "phone")).build())
                .note(param(request, "note"))
                .advocateSignals(new Signals(clip(request.getRemoteAddr(), 64),
                        clip(request.getHeader(HttpHeaders.USER_AGENT), 512), ""));
        if (program != null) {
            b.program(program);
        }
        String requestId = param(request, "requestId");
        if (REQUEST_ID.matcher(requestId).matches()) {
            b.idempotencyKey("portal:" + digest(me.value() + ":" + requestId));
        }
        if (!errors.isEmpty()) {
            // The form's own errors must come with the engine's, and nothing may be recorded: without a channel the
            // capture is invalid, and the engine validates the whole request before it writes anything.
            try {
                engine.capture(b.build());
            } catch (ValidationException e) {
                e.errors().stream().filter(f -> !f.field().equals("channel")).forEach(errors::add);
            }
            return fieldErrors(errors);
        }
        CaptureResult result;
        try {
            result = engine.capture(b.channel(Channel.REFERRAL_FORM).build());
        } catch (ValidationException e) {
            return fieldErrors(e.errors());
        }
        Map<String, Object> m = new LinkedHashMap<>();
        if (result instanceof CaptureResult.Accepted a) {
            m.put("outcome", a.referral().review() == ReviewStatus.FLAGGED ? "under_review" : "submitted");
            m.put("referralId", a.referral().id());
            return json(HttpStatus.CREATED, m);
        }
        List<Reason> reasons = result instanceof CaptureResult.Rejected r ? r.reasons()
                : List.of(((CaptureResult.Refused) result).reason());
        m.put("outcome", result instanceof CaptureResult.Rejected ? "not_accepted" : "refused");
        m.put("reasons", reasons);
        boolean tooMany = reasons.stream().anyMatch(r -> r.code().equals(EligibilityReasons.VELOCITY_ADVOCATE)
                || r.code().equals(EligibilityReasons.VELOCITY_CODE));
        return json(tooMany ? HttpStatus.TOO_MANY_REQUESTS : HttpStatus.UNPROCESSABLE_ENTITY, m);
    }

    /** The program named by the form, or the advocate's only open program when the form names none. */
    private ProgramId program(AdvocateId me, String named, List<FieldError> errors) {
        List<ProgramId> open = engine.enrolments(me).stream().map(en -> en.programId()).toList();
        if (!named.isEmpty()) {
            // only the advocate's own programs: another id would tell whether that program exists, and its name
            Optional<ProgramId> mine = open.stream().filter(id -> id.value().equals(named)).findFirst();
            if (mine.isEmpty()) {
                errors.add(new FieldError("program", "not_enrolled", "choose one of your programs"));
            }
            return mine.orElse(null);
        }
        if (open.size() == 1) {
            return open.get(0);
        }
        errors.add(new FieldError("program", "required", "choose one of your programs"));
        return null;
    }

    /** A short key for an advocate's form post (an advocate id may be long; idempotency keys are bounded). */
    private static String digest(String text) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static ResponseEntity<String> fieldErrors(List<FieldError> all) {
        Map<String, String> byField = new LinkedHashMap<>();
        List<Map<String, String>> list = new ArrayList<>();
        for (FieldError f : all) {
            String field = FORM_FIELDS.getOrDefault(f.field(), "form");
            byField.putIfAbsent(field, f.message());
            list.add(Map.of("field", field, "code", f.code(), "message", f.message()));
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("errors", byField);
        m.put("fieldErrors", list);
        return json(HttpStatus.BAD_REQUEST, m);
    }

    // ---- program admins -------------------------------------------------------------------------------------------

    /** The programs, for the admin pages' choice. */
    @GetMapping("/api/admin/programs")
    ResponseEntity<String> programs(HttpServletRequest request) {
        access.admin(request);
        List<Map<String, Object>> list = new ArrayList<>();
        for (Program p : engine.programs()) {
            list.add(Map.of("id", p.id(), "name", p.name(), "kind", p.kind(), "status", p.status()));
        }
        return json(HttpStatus.OK, Map.of("programs", list));
    }

    /**
     * The review queue: flagged referrals of one program, or of every program, with the findings that flagged them,
     * the advocate and the prospect (admins need both to decide).
     */
    @GetMapping("/api/admin/review")
    ResponseEntity<String> reviewQueue(HttpServletRequest request,
            @RequestParam(name = "program", required = false) String program,
            @RequestParam(name = "limit", defaultValue = "50") int limit) {
        access.admin(request);
        int n = Math.max(1, Math.min(limit, 200));
        List<ProgramId> programs = program == null || program.isBlank()
                ? engine.programs().stream().map(Program::id).toList() : List.of(ProgramId.of(program));
        List<Map<String, Object>> items = new ArrayList<>();
        Map<AdvocateId, String> names = new LinkedHashMap<>();
        for (ProgramId p : programs) {
            for (Referral r : engine.reviewQueue(p, n)) {
                if (items.size() >= n) {
                    break;
                }
                String advocate = names.computeIfAbsent(r.advocateId(),
                        id -> engine.advocate(id).map(Advocate::displayName).orElse(""));
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("id", r.id());
                m.put("programId", r.programId());
                m.put("company", r.prospect().company());
                m.put("prospectName", r.prospect().fullName());
                m.put("prospectEmail", r.prospect().email());
                m.put("advocateId", r.advocateId());
                m.put("advocateName", advocate);
                m.put("submittedAt", r.submittedAt());
                m.put("findings", r.findings());
                items.add(m);
            }
        }
        return json(HttpStatus.OK, Map.of("items", items));
    }

    /** Approves a flagged referral (its pending rewards may proceed); the reviewer is the signed-in admin. */
    @PostMapping("/api/admin/review/{id}/approve")
    ResponseEntity<String> approve(HttpServletRequest request, @PathVariable("id") String id) {
        requireCsrf(request);
        String reviewer = access.admin(request);
        Referral r = engine.approveReferral(referralId(id), clip(reviewer, 128), clip(param(request, "note"), 2000));
        return json(HttpStatus.OK, Map.of("id", r.id(), "review", r.review()));
    }

    /** Denies a flagged referral. */
    @PostMapping("/api/admin/review/{id}/deny")
    ResponseEntity<String> deny(HttpServletRequest request, @PathVariable("id") String id) {
        requireCsrf(request);
        String reviewer = access.admin(request);
        Referral r = engine.denyReferral(referralId(id), clip(reviewer, 128), clip(param(request, "note"), 2000));
        return json(HttpStatus.OK, Map.of("id", r.id(), "review", r.review()));
    }

    /**
     * The program report over {@code [from, to)} (ISO dates, UTC; all time when absent): participation, the funnel,
     * conversion, revenue and incentive cost in {@code referrals.portal.report-currency}, and the top advocates.
     */
    @GetMapping("/api/admin/report")
    ResponseEntity<String> programReport(HttpServletRequest request, @RequestParam("program") String program,
            @RequestParam(name = "from", required = false) String from,
            @RequestParam(name = "to", required = false) String to) {
        access.admin(request);
        ReportPeriod period = ReportPeriod.ALL_TIME;
        if (from != null && !from.isBlank() || to != null && !to.isBlank()) {
            period = ReportPeriod.of(day("from", from, ReportPeriod.ALL_TIME.from()),
                    day("to", to, ReportPeriod.ALL_TIME.to()));
        }
        InsightsQuery query = InsightsQuery.builder(ProgramId.of(program), properties.getReportCurrency())
                .period(period).topAdvocates(5).build();
        ProgramReport r = insights.report(query, Valuation.pointsUnvalued(properties.getReportCurrency()));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("programId", r.programId());
        m.put("programName", r.programName());
        m.put("generatedAt", r.generatedAt());
        m.put("advocatesEnrolled", r.advocatesEnrolled());
        m.put("referringAdvocates", r.referringAdvocates());
        m.put("participation", r.participation().percent());
        m.put("submitted", r.submitted());
        List<Map<String, Object>> funnel = new ArrayList<>();
        for (ProgramReport.FunnelStep s : r.funnel()) {
            funnel.add(Map.of("stage", s.stage(), "reached", s.reached(), "fromPrevious", s.fromPrevious().percent(),
                    "fromSubmitted", s.fromSubmitted().percent()));
        }
        m.put("funnel", funnel);
        m.put("currentStages", r.currentStages());
        m.put("won", r.won());
        m.put("referralToWon", r.referralToWon().percent());
        m.put("revenue", r.revenue());
        m.put("roi", r.roi().percent());
        m.put("topByWon", r.topByWon());
        return json(HttpStatus.OK, m);
    }

    private static Instant day(String name, String value, Instant fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return LocalDate.parse(value.strip()).atStartOfDay(ZoneOffset.UTC).toInstant();
        } catch (DateTimeParseException e) {
            throw ValidationException.of(name, "malformed", "a date such as 2026-01-31");
        }
    }

    // ---- plumbing -------------------------------------------------------------------------------------------------

    private void requireCsrf(HttpServletRequest request) {
        if (!csrf.accepts(request)) {
            throw new PortalAccess.Forbidden("the form's CSRF token is missing or wrong; reload the page");
        }
    }

    private int pageSize(Integer requested) {
        return requested == null ? properties.getPageSize() : requested;
    }

    private Locale locale(HttpServletRequest request) {
        return request.getHeader(HttpHeaders.ACCEPT_LANGUAGE) == null ? properties.getDefaultLocale()
                : request.getLocale();
    }

    private static ReferralId referralId(String id) {
        try {
            return ReferralId.of(id);
        } catch (IllegalArgumentException e) {
            throw new NotFoundException("referral", "(malformed)");
        }
    }

    private static String param(HttpServletRequest request, String name) {
        String v = request.getParameter(name);
        return v == null ? "" : v;
    }

    private static String clip(String s, int max) {
        if (s == null) {
            return "";
        }
        return s.length() <= max ? s : s.substring(0, max);
    }

    static ResponseEntity<String> json(HttpStatus status, Object body) {
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON)
                .cacheControl(CacheControl.noStore()).body(JsonWriter.of(body));
    }

    private static ResponseEntity<String> error(HttpStatus status, String message) {
        return json(status, Map.of("error", message));
    }

    @ExceptionHandler(PortalAccess.Unauthenticated.class)
    ResponseEntity<String> unauthenticated(PortalAccess.Unauthenticated e) {
        return error(HttpStatus.UNAUTHORIZED, e.getMessage());
    }

    @ExceptionHandler(PortalAccess.Forbidden.class)
    ResponseEntity<String> forbidden(PortalAccess.Forbidden e) {
        return error(HttpStatus.FORBIDDEN, e.getMessage());
    }

    @ExceptionHandler(ValidationException.class)
    ResponseEntity<String> invalid(ValidationException e) {
        return fieldErrors(e.errors());
    }

    @ExceptionHandler(NotFoundException.class)
    ResponseEntity<String> notFound(NotFoundException e) {
        return error(HttpStatus.NOT_FOUND, e.kind() + " not found");
    }

    @ExceptionHandler(ConflictException.class)
    ResponseEntity<String> conflict(ConflictException e) {
        LOG.debug("portal request refused with a conflict on {}", e.subject());
        return error(HttpStatus.CONFLICT, e.getMessage());
    }

    @ExceptionHandler(IllegalArgumentException.class)
    ResponseEntity<String> badArgument(IllegalArgumentException e) {
        return error(HttpStatus.BAD_REQUEST, "bad request parameter");
    }
}
