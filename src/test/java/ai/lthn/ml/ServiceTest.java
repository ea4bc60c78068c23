package ai.lthn.ml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.lthn.ml.testing.FakeBackend;
import org.junit.jupiter.api.Test;

class ServiceTest {

    @Test
    void generatesWithTheNamedBackend() {
        var a = FakeBackend.replying("from a");
        var service = Service.builder().backend("a", a).build();
        assertThat(service.generate("a", "p", GenOpts.defaults())).isEqualTo("from a");
        assertThat(a.prompts()).containsExactly("p");
    }

    @Test
    void fallsBackToTheDefaultBackendWhenTheNameIsUnknownOrEmpty() {
        var ollama = FakeBackend.replying("from ollama");
        var service = Service.builder().backend("ollama", ollama).build();
        assertThat(service.generate("missing", "p", GenOpts.defaults())).isEqualTo("from ollama");
        assertThat(service.generate("", "p", GenOpts.defaults())).isEqualTo("from ollama");
        assertThat(service.defaultBackendName()).isEqualTo("ollama");
    }

    @Test
    void aConfiguredDefaultReplacesOllama() {
        var service = Service.builder()
                .backend("local", FakeBackend.replying("local"))
                .defaultBackend("local")
                .build();
        assertThat(service.generate("x", "p", GenOpts.defaults())).isEqualTo("local");
    }

    @Test
    void noBackendAtAllIsAnErrorNamingTheRequest() {
        var service = Service.builder().build();
        assertThatThrownBy(() -> service.generate("judge", "p", GenOpts.defaults()))
                .isInstanceOf(BackendUnavailableException.class)
                .hasMessage("no backend available (requested: \"judge\")");
    }

    @Test
    void registryIsSortedAndReplaceable() {
        var service = Service.builder().build();
        service.registerBackend("b", FakeBackend.replying("1"));
        service.registerBackend("a", FakeBackend.replying("2"));
        service.registerBackend("b", FakeBackend.replying("3"));
        assertThat(service.backendNames()).containsExactly("a", "b");
        assertThat(service.backend("b")).get().extracting(x -> x.generate("p")).isEqualTo("3");
        assertThat(service.defaultBackend()).isEmpty();
    }
}
