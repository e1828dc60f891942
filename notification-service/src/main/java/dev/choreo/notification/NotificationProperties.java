package dev.choreo.notification;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of notification-service, under {@code choreo.notification}.
 *
 * @param channel  the {@link dev.choreo.notification.channel.NotificationChannel} customers are told through, by
 *                 name; named in {@code CustomerNotified}. The service ships {@code email} (recorded and logged)
 * @param shopName who signs the messages
 */
@Validated
@ConfigurationProperties("choreo.notification")
public record NotificationProperties(
        @NotBlank @Pattern(regexp = "[a-z][a-z0-9-]{0,29}") String channel,
        @NotBlank @Size(max = 60) String shopName) {
}
