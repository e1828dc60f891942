package dev.choreo.inventory.catalogue;

import dev.choreo.inventory.web.Identifiers;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Pattern;
import java.math.BigDecimal;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/** The catalogue with the stock of each product. */
@RestController
@RequestMapping(path = "/products", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "Catalogue", description = "Products, prices and stock")
class CatalogueController {

    private final CatalogueRepository catalogue;

    CatalogueController(CatalogueRepository catalogue) {
        this.catalogue = catalogue;
    }

    @GetMapping
    @Operation(summary = "The catalogue: every product with its price and the units available to order")
    List<ProductSummary> products() {
        return catalogue.findAll().stream().map(ProductSummary::of).toList();
    }

    @GetMapping("/{sku}")
    @Operation(summary = "One product with its stock: available + reserved + shipped = stocked")
    @ApiResponse(responseCode = "200", description = "the product")
    @ApiResponse(responseCode = "400", description = "the SKU is not well-formed",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "404", description = "no product has this SKU",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemDetail.class)))
    ProductDetails product(@Parameter(description = "the product's SKU", example = "SKU-KEYBOARD")
            @PathVariable @Pattern(regexp = Identifiers.SKU, message = Identifiers.SKU_MESSAGE) String sku) {
        return catalogue.find(sku).map(ProductDetails::of).orElseThrow(
                () -> new ResponseStatusException(HttpStatus.NOT_FOUND, "No product has SKU '" + sku + "'"));
    }

    /** A product as the catalogue lists it. */
    record ProductSummary(String sku, String name, BigDecimal price, String currency, int available) {

        static ProductSummary of(ProductStock p) {
            return new ProductSummary(p.sku(), p.name(), p.price(), p.currency(), p.available());
        }
    }

    /** A product with all its stock counts. */
    record ProductDetails(String sku, String name, BigDecimal price, String currency,
            @Schema(description = "units that can be ordered") int available,
            @Schema(description = "units held for orders in flight") int reserved,
            @Schema(description = "units that left the warehouse") int shipped,
            @Schema(description = "every unit ever stocked: available + reserved + shipped") int stocked) {

        static ProductDetails of(ProductStock p) {
            return new ProductDetails(p.sku(), p.name(), p.price(), p.currency(), p.available(), p.reserved(),
                    p.shipped(), p.stocked());
        }
    }
}
