// Drives lthn-ml's server in front of an upstream with the official openai npm client:
// models.list(), models.retrieve() and embeddings.create() (the client asks for base64 by default
// and decodes it; float is asked for explicitly too).
// Usage: node openai-embeddings.mjs <base-url> <served-model-id>
// Prints one line per check; exits non-zero on the first failure.
import OpenAI from "openai";

const [baseURL, served] = process.argv.slice(2);
const client = new OpenAI({ baseURL: baseURL + "/v1", apiKey: "unused", maxRetries: 0, timeout: 20000 });

function check(name, ok, detail) {
  if (!ok) {
    console.log(`FAIL ${name}: ${detail}`);
    process.exit(1);
  }
  console.log(`ok ${name}`);
}

const ids = [];
for await (const m of client.models.list()) ids.push(m.id);
check("models list", JSON.stringify(ids) === JSON.stringify([served, "upstream-a", "upstream-b"]), JSON.stringify(ids));
const one = await client.models.retrieve("upstream-b");
check("models retrieve", one.id === "upstream-b" && one.object === "model", JSON.stringify(one));

const b64 = await client.embeddings.create({ model: "embedder", input: ["first", "second"] });
check("embeddings default", b64.data.length === 2 && b64.data[1].index === 1, JSON.stringify(b64));
check(
  "embeddings vectors",
  JSON.stringify(Array.from(b64.data[0].embedding)) === "[0.5,-1.25]" &&
    JSON.stringify(Array.from(b64.data[1].embedding)) === "[2,4]",
  JSON.stringify(b64.data),
);
check("embeddings model", b64.model === "embedder", b64.model);
check("embeddings usage", b64.usage.prompt_tokens === 3 && b64.usage.total_tokens === 3, JSON.stringify(b64.usage));

const floats = await client.embeddings.create({ model: "embedder", input: "only", encoding_format: "float" });
check("embeddings float", JSON.stringify(floats.data[0].embedding) === "[0.5,-1.25]", JSON.stringify(floats.data));

try {
  await client.embeddings.create({ model: "embedder", input: "x", dimensions: 8 });
  check("embeddings dimensions refused", false, "no error");
} catch (e) {
  check("embeddings dimensions refused", e.status === 400 && /dimensions/.test(e.message), `${e.status} ${e.message}`);
}
