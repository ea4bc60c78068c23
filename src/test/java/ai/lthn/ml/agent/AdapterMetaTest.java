package ai.lthn.ml.agent;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AdapterMetaTest {
    // go-ml agent_test.go TestAdapterMeta cases plus every family row
    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "adapters-27b-reasoning|gemma-3-27b|G27-reasoning|27b-reasoning",
                "adapters-15k/gemma-3-1b-creative|gemma-3-1b|G1-creative|15k-gemma-3-1b-creative",
                "adapters-completelynewmodel42|completelynewmodel42|completely|completelynewmodel42",
                "27b-fancy|gemma-3-27b|G27-fancy|27b-fancy",
                "adapters-27b|gemma-3-27b|G27|27b",
                "adapters-deepseek-r1-7b|deepseek-r1-7b|R1|deepseek-r1-7b",
                "adapters-vi-12b-x|gemma-3-12b|Vi12-x|vi-12b-x",
                "adapters-vi|gemma-3-1b|Vi1|vi",
                "adapters-lem-gpt-oss|gpt-oss-20b|LGPT|lem-gpt-oss",
                "adapters-gpt-oss--big|gpt-oss-20b|GPT-big|gpt-oss--big",
                "adapters-1b|gemma-3-1b|G1|1b",
                "adapters-12b-math|gemma-3-12b|G12-math|12b-math",
                "adapters-4b|gemma-3-4b|G4|4b",
                "adapters-bench-1b|gemma-3-1b|B1|bench-1b",
                "adapters-book|gemma-3-27b|Book|book",
                "adapters-cross-y|gemma-3-12b|Cross-y|cross-y",
                "adapters-x;touch INJECTED;|x;touch INJECTED;|x;touch IN|x;touch INJECTED;",
                "adapters-ééééééé|ééééééé|ééééé|ééééééé",
                "adapters-xyz|xyz|xyz|xyz",
                "adapters-gpt-oss|gpt-oss-20b|GPT|gpt-oss",
                "adapters-12b|gemma-3-12b|G12|12b",
                "adapters-cross|gemma-3-12b|Cross|cross",
                "adapters-vi-12b|gemma-3-12b|Vi12|vi-12b",
                "adapters-15k/gemma-3-27b|gemma-3-27b|G27|15k-gemma-3-27b",
            })
    void mapsDirectoryNames(String dirname, String tag, String prefix, String stem) {
        assertThat(AdapterMeta.of(dirname)).isEqualTo(new AdapterMeta(tag, prefix, stem));
    }

    @org.junit.jupiter.api.Test
    void tableHasGoMlsSeventeenRowsInOrder() {
        assertThat(AdapterMeta.families()).hasSize(17);
        assertThat(AdapterMeta.families().get(1).dirPrefix()).isEqualTo("27b-");
    }
}
