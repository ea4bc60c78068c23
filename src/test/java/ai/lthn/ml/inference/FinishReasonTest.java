package ai.lthn.ml.inference;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FinishReasonTest {
    @Test
    void everyReasonReadsBackFromItsWireName() {
        for (FinishReason r : FinishReason.values())
            assertThat(FinishReason.fromWire(r.wireName())).isEqualTo(r);
        assertThat(FinishReason.TOOL_CALLS.wireName()).isEqualTo("tool_calls");
        assertThat(FinishReason.CONTENT_FILTER.wireName()).isEqualTo("content_filter");
    }

    @Test
    void theLegacyFunctionCallIsAToolCallAndStrangersAreUnknown() {
        assertThat(FinishReason.fromWire("function_call")).isEqualTo(FinishReason.TOOL_CALLS);
        assertThat(FinishReason.fromWire("eos")).isEqualTo(FinishReason.UNKNOWN);
        assertThat(FinishReason.fromWire(null)).isEqualTo(FinishReason.UNKNOWN);
    }
}
