package io.sabot.protocol;

import com.fasterxml.jackson.databind.ObjectMapper;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JsonTest {
    private static final ObjectMapper JACKSON = new ObjectMapper();

    @Test
    void parsesValues() {
        Map<String, Object> o = Json.parseObject(" {\"a\":1,\"b\":-2.5e1,\"c\":\"x\\n\\u00e9\\\"\",\"d\":[true,false,null,{}],\"e\":{\"f\":[]}} ");
        assertThat(o.get("a")).isEqualTo(1L);
        assertThat(o.get("b")).isEqualTo(-25.0);
        assertThat(o.get("c")).isEqualTo("x\n\u00e9\"");
        assertThat(o.get("d")).isEqualTo(java.util.Arrays.asList(true, false, null, Map.of()));
        assertThat(o.get("e")).isEqualTo(Map.of("f", List.of()));
        assertThat(Json.parse("12345678901234567890")).isEqualTo(1.2345678901234567e19);
    }

    @Test
    void rejectsInvalid() {
        for (String bad : new String[] {"", "{", "{\"a\"}", "{\"a\":}", "[1,]", "{\"a\":1,}", "01", "1.", "-", "tru",
                "\"abc", "\"\t\"", "{} x", "{'a':1}", "[" .repeat(Json.MAX_DEPTH + 2), "\"\\x\"", "\"\\u12\""}) {
            assertThatThrownBy(() -> Json.parse(bad)).as(bad).isInstanceOf(Json.ParseException.class);
        }
        assertThatThrownBy(() -> Json.parseObject("[1]")).isInstanceOf(Json.ParseException.class);
    }

    @Property(tries = 300)
    void quoteRoundTripsAndAgreesWithJackson(@ForAll String s) throws Exception {
        String q = Json.quote(new StringBuilder(), s).toString();
        assertThat(q).doesNotContain("\n");
        assertThat(Json.parse(q)).isEqualTo(s);
        assertThat(JACKSON.readTree(q).asText()).isEqualTo(s);
    }

    @Property(tries = 300)
    void numbersAreValidJson(@ForAll double d) throws Exception {
        String n = Json.number(new StringBuilder(), d).toString();
        assertThat(JACKSON.readTree(n).isNumber()).as(n).isTrue();
        assertThat(Json.parse(n)).isInstanceOf(Number.class);
    }
}
