package dev.choreo.observability;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PromQlTest {

    @Test
    void findsTheMetricsButNotFunctionsLabelsKeywordsOrDurations() {
        assertThat(PromQl.metricNames("histogram_quantile(0.95, sum by (le, step) (rate(choreo_step_duration_seconds_bucket[$__rate_interval])))"))
                .containsExactly("choreo_step_duration_seconds_bucket");
        assertThat(PromQl.metricNames("sum by (g) (rate(a_total{error!=\"none\"}[5m])) or sum by (g) (rate(b_total[1m])) * 0"))
                .containsExactly("a_total", "b_total");
        assertThat(PromQl.metricNames("count(up{job=\"choreo\"} == 0) or vector(0)")).containsExactly("up");
        assertThat(PromQl.metricNames("sum(increase(x_total{outcome=\"COMPLETED\"}[1h])) offset 5m")).containsExactly("x_total");
    }

    @Test
    void replacesGrafanasRangeVariables() {
        assertThat(PromQl.forEvaluation("rate(a[$__rate_interval]) + rate(b[${__interval}]) + c[$__range]", "2m"))
                .isEqualTo("rate(a[2m]) + rate(b[2m]) + c[2m]");
    }
}
