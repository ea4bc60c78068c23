// Drives lthn-ml's OpenAI-compatible server with the official openai npm client.
// Usage: node openai-client.mjs <base-url> <model-id>
// Prints one line per check; exits non-zero on the first failure.
import OpenAI from "openai";

const [baseURL, model] = process.argv.slice(2);
const client = new OpenAI({ baseURL: baseURL + "/v1", apiKey: "unused", maxRetries: 0, timeout: 20000 });

function check(name, ok, detail) {
  if (!ok) {
    console.log(`FAIL ${name}: ${detail}`);
    process.exit(1);
  }
  console.log(`ok ${name}`);
}

const plain = await client.chat.completions.create({
  model,
  messages: [{ role: "user", content: "hello" }],
});
check("chat", plain.choices[0].message.content === "Hello from lthn-ml", JSON.stringify(plain));
check("chat usage", plain.usage && plain.usage.completion_tokens === 3, JSON.stringify(plain.usage));
check("chat model", plain.model === model, plain.model);

const stream = await client.chat.completions.create({
  model,
  messages: [{ role: "user", content: "hello" }],
  stream: true,
  stream_options: { include_usage: true },
});
let text = "";
let usage = null;
let finish = null;
for await (const chunk of stream) {
  if (chunk.choices.length > 0) {
    text += chunk.choices[0].delta.content ?? "";
    finish = chunk.choices[0].finish_reason ?? finish;
  }
  if (chunk.usage) usage = chunk.usage;
}
check("stream text", text === "Hello from lthn-ml", text);
check("stream finish", finish === "stop", finish);
check("stream usage", usage && usage.completion_tokens === 3, JSON.stringify(usage));

const completion = await client.completions.create({ model, prompt: "say", max_tokens: 16 });
check("completion", completion.choices[0].text === "Hello from lthn-ml", JSON.stringify(completion));

try {
  await client.chat.completions.create({ model, messages: "not a list" });
  check("bad request", false, "no error");
} catch (e) {
  check("bad request", e instanceof OpenAI.APIError && e.status === 400, String(e));
  check("bad request message", String(e.message).includes("messages"), e.message);
}

const models = await client.models.list();
check("models", models.data.some((m) => m.id === model), JSON.stringify(models.data));
