package dev.choreo.order.web;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** A payment card number: 12 to 19 digits, nothing else, passing the Luhn check. {@code null} is valid. */
@Documented
@Constraint(validatedBy = CardNumber.Validator.class)
@Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT, ElementType.TYPE_USE})
@Retention(RetentionPolicy.RUNTIME)
public @interface CardNumber {

    String message() default "must be a valid card number";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    class Validator implements ConstraintValidator<CardNumber, String> {

        @Override
        public boolean isValid(String number, ConstraintValidatorContext context) {
            if (number == null || number.isEmpty()) {
                return true; // @NotBlank says it
            }
            String problem = problem(number);
            if (problem == null) {
                return true;
            }
            context.disableDefaultConstraintViolation();
            context.buildConstraintViolationWithTemplate(problem).addConstraintViolation();
            return false;
        }

        /** Why the number is not a card number, or {@code null}; the messages contain no input. */
        static String problem(String number) {
            if (!number.chars().allMatch(c -> c >= '0' && c <= '9')) {
                return "must contain digits only";
            }
            if (number.length() < 12 || number.length() > 19) {
                return "must have 12 to 19 digits";
            }
            return luhn(number) ? null : "is not a valid card number (Luhn check failed)";
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
