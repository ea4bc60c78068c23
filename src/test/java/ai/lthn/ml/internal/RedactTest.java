package ai.lthn.ml.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RedactTest {
    @Test
    void userinfoAndSecretQueryValuesAreHidden() {
        assertThat(Redact.url("http://admin:s3cret@influx.lan:8086/")).isEqualTo("http://***@influx.lan:8086/");
        assertThat(Redact.url("https://tok@host/v1?db=x&p=s3cret&Token=abc&u=admin#frag"))
                .isEqualTo("https://***@host/v1?db=x&p=***&Token=***&u=admin#frag");
        assertThat(Redact.url("http://a:b:c@d@host")).isEqualTo("http://***@host");
        assertThat(Redact.url("http://127.0.0.1:8086/write?db=m&precision=ns"))
                .isEqualTo("http://127.0.0.1:8086/write?db=m&precision=ns");
        assertThat(Redact.url("not a url?api_key=zzz")).isEqualTo("not a url?api_key=***");
        assertThat(Redact.url(null)).isNull();
    }

    @Test
    void urlsInsideTextAreHidden() {
        assertThat(Redact.urlsIn("POST http://u:pw@h:1/write: refused; see https://x/?token=t1 and more"))
                .isEqualTo("POST http://***@h:1/write: refused; see https://x/?token=*** and more");
        assertThat(Redact.urlsIn("no url here")).isEqualTo("no url here");
    }
}
