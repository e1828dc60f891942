package dev.choreo.notification.notify;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/** Read side of the notifications. Errors are RFC 9457 problem details. */
@RestController
@RequestMapping(path = "/notifications", produces = "application/json")
@Tag(name = "Notifications", description = "What customers were told about their orders")
class NotificationController {

    /** Ids as the suite mints them ({@code ord-<uuid>}, {@code ntf-<uuid>}, {@code c-42}) and similar. */
    static final String ID = "[A-Za-z0-9][A-Za-z0-9._:-]{0,99}";

    private final NotificationRepository notifications;

    NotificationController(NotificationRepository notifications) {
        this.notifications = notifications;
    }

    @GetMapping("/{notificationId}")
    @Operation(summary = "One notification")
    @ApiResponse(responseCode = "200", description = "the notification")
    @ApiResponse(responseCode = "400", description = "malformed notification id",
            content = @Content(mediaType = "application/problem+json",
                    schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "404", description = "no such notification",
            content = @Content(mediaType = "application/problem+json",
                    schema = @Schema(implementation = ProblemDetail.class)))
    NotificationView notification(@PathVariable @Pattern(regexp = ID) String notificationId) {
        return notifications.find(notificationId).map(NotificationView::of)
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND,
                        "No notification " + notificationId));
    }

    @GetMapping
    @Operation(summary = "Notifications, newest first, optionally of one order or one customer")
    @ApiResponse(responseCode = "200", description = "up to limit notifications; empty if none match")
    @ApiResponse(responseCode = "400", description = "malformed filter or limit out of range",
            content = @Content(mediaType = "application/problem+json",
                    schema = @Schema(implementation = ProblemDetail.class)))
    List<NotificationView> notifications(
            @Parameter(description = "only this order's") @RequestParam(required = false) @Pattern(regexp = ID)
            String orderId,
            @Parameter(description = "only this customer's") @RequestParam(required = false) @Pattern(regexp = ID)
            String customerId,
            @Parameter(description = "how many, 1 to 100") @RequestParam(defaultValue = "20") @Min(1) @Max(100)
            int limit) {
        return notifications.search(orderId, customerId, limit).stream().map(NotificationView::of).toList();
    }
}
