package dev.choreo.order.web;

import dev.choreo.events.Limits;
import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A payment provider's token for a card ({@link Limits#PAYMENT_TOKEN_PATTERN}, as {@code tok_visa}), and not a
 * card number in disguise: a token holding a run of 13 to 19 digits that passes the Luhn check is refused, so a
 * client that pastes the card number into the token cannot send it on. {@code null} is valid.
 */
@Documented
@Constraint(validatedBy = PaymentToken.Validator.class)
@Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT, ElementType.TYPE_USE})
@Retention(RetentionPolicy.RUNTIME)
public @interface PaymentToken {

    String message() default "must be a payment provider's token";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    class Validator implements ConstraintValidator<PaymentToken, String> {

        private static final Pattern DIGIT_RUN = Pattern.compile("\\d{13,19}");

        @Override
        public boolean isValid(String token, ConstraintValidatorContext context) {
            if (token == null || token.isEmpty()) {
                return true; // @NotBlank says it
            }
            String problem = problem(token);
            if (problem == null) {
                return true;
            }
            context.disableDefaultConstraintViolation();
            context.buildConstraintViolationWithTemplate(problem).addConstraintViolation();
            return false;
        }

        /** Why the value is not a token, or {@code null}; the messages contain no input. */
        static String problem(String token) {
            if (!token.matches(Limits.PAYMENT_TOKEN_PATTERN)) {
                return "must be a payment provider's token such as tok_visa (" + Limits.PAYMENT_TOKEN_PATTERN
                        + "); card numbers are not accepted";
            }
            Matcher digits = DIGIT_RUN.matcher(token);
            while (digits.find()) {
                if (luhn(digits.group())) {
                    return "must be a payment provider's token, not a card number";
                }
            }
            return null;
        }

        static boolean luhn(String digits) {
            int sum = 0;
            boolean twice = false;
            for (int i = digits.length() - 1; i >= 0; i--) {
                int digit = digits.charAt(i) - '0';
                if (twice) {
                    digit *= 2;
                    if (digit > 9) {
                        digit -= 9;
                    }
                }
                sum += digit;
                twice = !twice;
            }
            return sum % 10 == 0;
        }
    }
}
