package io.referrals.examples.boot;

import io.referrals.core.CaptureResult;
import io.referrals.core.TransitionResult;
import io.referrals.core.error.NotFoundException;
import io.referrals.core.error.ValidationException;
import io.referrals.examples.boot.ReferralDesk.CrmStageChange;
import io.referrals.examples.boot.ReferralDesk.CrmUnavailableException;
import io.referrals.examples.boot.ReferralDesk.ReferralForm;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The sample's HTTP surface: referral capture by code, the CRM webhook, and the notifications sent so far. */
@RestController
public class ReferralController {
    private final ReferralDesk desk;
    private final AdvocateNotifier notifier;

    public ReferralController(ReferralDesk desk, AdvocateNotifier notifier) {
        this.desk = desk;
        this.notifier = notifier;
    }

    /** Captures a referral: 201 with its id and stage, 200 with the reason when refused or rejected. */
    @PostMapping("/referrals")
    public ResponseEntity<Map<String, Object>> capture(@RequestBody ReferralForm form,
            @RequestParam(name = "failAfterCapture", defaultValue = "false") boolean failAfterCapture) {
        CaptureResult result = desk.capture(form, failAfterCapture);
        if (result instanceof CaptureResult.Accepted a) {
            return ResponseEntity.status(HttpStatus.CREATED).body(Map.of("referralId", a.referral().id().value(),
                    "stage", a.referral().stage().name()));
        }
        if (result instanceof CaptureResult.Rejected r) {
            return ResponseEntity.ok(Map.of("referralId", r.referral().id().value(), "rejected",
                    r.reasons().stream().map(x -> x.code()).toList()));
        }
        return ResponseEntity.ok(Map.of("refused", ((CaptureResult.Refused) result).reason().code()));
    }

    /** The CRM's webhook: applies a stage name to a referral. */
    @PostMapping("/crm/webhook")
    public ResponseEntity<Map<String, Object>> crmStage(@RequestBody CrmStageChange change) {
        TransitionResult result = desk.applyCrmStage(change);
        if (result instanceof TransitionResult.UnmappedCrmStage u) {
            return ResponseEntity.status(422).body(Map.of("unmappedStage", u.crmStage()));
        }
        return ResponseEntity.ok(Map.of("stage", result.referral().stage().name()));
    }

    /** The notifications the advocate notifier sent (the sample keeps them in memory). */
    @GetMapping("/notifications")
    public List<String> notifications() {
        return notifier.sent();
    }

    @ExceptionHandler(CrmUnavailableException.class)
    ResponseEntity<Map<String, Object>> crmDown(CrmUnavailableException e) {
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).body(Map.of("error", e.getMessage()));
    }

    @ExceptionHandler(ValidationException.class)
    ResponseEntity<Map<String, Object>> invalid(ValidationException e) {
        return ResponseEntity.badRequest().body(Map.of("error", e.getMessage()));
    }

    @ExceptionHandler(NotFoundException.class)
    ResponseEntity<Map<String, Object>> notFound(NotFoundException e) {
        return ResponseEntity.status(HttpStatus.NOT_FOUND).body(Map.of("error", e.getMessage()));
    }
}
