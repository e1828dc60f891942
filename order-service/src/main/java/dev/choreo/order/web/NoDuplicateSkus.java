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
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Each SKU appears on one line of an order; the violation names the repeated line, e.g. {@code items[2].sku}. */
@Documented
@Constraint(validatedBy = NoDuplicateSkus.Validator.class)
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
public @interface NoDuplicateSkus {

    String message() default "repeats the SKU of an earlier line: order each SKU once with its total quantity";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    class Validator implements ConstraintValidator<NoDuplicateSkus, PlaceOrderRequest> {

        @Override
        public boolean isValid(PlaceOrderRequest request, ConstraintValidatorContext context) {
            List<PlaceOrderRequest.Item> items = request == null ? null : request.items();
            if (items == null) {
                return true;
            }
            Map<String, Integer> firstLine = new HashMap<>();
            boolean valid = true;
            for (int i = 0; i < items.size(); i++) {
                PlaceOrderRequest.Item item = items.get(i);
                if (item == null || item.sku() == null || item.sku().isBlank()) {
                    continue;
                }
                Integer first = firstLine.putIfAbsent(item.sku(), i);
                if (first != null) {
                    if (valid) {
                        context.disableDefaultConstraintViolation();
                    }
                    valid = false;
                    // the message template holds no input, so nothing the client sent is interpolated
                    context.buildConstraintViolationWithTemplate(
                                    "repeats the SKU of items[" + first + "]: order each SKU once with its total quantity")
                            .addPropertyNode("items").addPropertyNode("sku").inIterable().atIndex(i)
                            .addConstraintViolation();
                }
            }
            return valid;
        }
    }
}
