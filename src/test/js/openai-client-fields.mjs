// Drives `ml serve` in front of a scripted OpenAI-compatible upstream with the official openai
// npm client: tools (whole, streamed, and the tool turn back), json_schema, logprobs and n.
// Usage: node openai-client-fields.mjs <base-url> <model-id>
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

const tools = [
  {
    type: "function",
    function: {
      name: "get_weather",
      description: "Current weather in a city",
      parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"], additionalProperties: false },
      strict: true,
    },
  },
];
const ask = { role: "user", content: "Weather in Paris?" };

const called = await client.chat.completions.create({ model, messages: [ask], tools, tool_choice: "required" });
const call = called.choices[0].message.tool_calls?.[0];
check("tools finish", called.choices[0].finish_reason === "tool_calls", JSON.stringify(called));
check("tools call", call && call.type === "function" && call.function.name === "get_weather", JSON.stringify(call));
check("tools arguments", JSON.parse(call.function.arguments).city === "Paris", call.function.arguments);

const answered = await client.chat.completions.create({
  model,
  messages: [ask, called.choices[0].message, { role: "tool", tool_call_id: call.id, content: '{"temp":21}' }],
  tools,
});
check("tool result", answered.choices[0].message.content === "It is 21 degrees in Paris", JSON.stringify(answered));

const streamed = await client.chat.completions.create({ model, messages: [ask], tools, stream: true });
const parts = {};
let streamFinish = null;
for await (const chunk of streamed) {
  for (const c of chunk.choices) {
    for (const t of c.delta.tool_calls ?? []) {
      parts[t.index] ??= { id: "", name: "", arguments: "" };
      if (t.id) parts[t.index].id = t.id;
      if (t.function?.name) parts[t.index].name = t.function.name;
      parts[t.index].arguments += t.function?.arguments ?? "";
    }
    streamFinish = c.finish_reason ?? streamFinish;
  }
}
check("stream tools", parts[0]?.name === "get_weather" && JSON.parse(parts[0].arguments).city === "Paris", JSON.stringify(parts));
check("stream tools finish", streamFinish === "tool_calls", streamFinish);

const structured = await client.chat.completions.create({
  model,
  messages: [ask],
  response_format: {
    type: "json_schema",
    json_schema: {
      name: "weather",
      strict: true,
      schema: {
        type: "object",
        properties: { city: { type: "string" }, temp: { type: "integer" } },
        required: ["city", "temp"],
        additionalProperties: false,
      },
    },
  },
});
const weather = JSON.parse(structured.choices[0].message.content);
check("json_schema", weather.city === "Paris" && weather.temp === 21, structured.choices[0].message.content);

const probs = await client.chat.completions.create({ model, messages: [ask], logprobs: true, top_logprobs: 2 });
const tokens = probs.choices[0].logprobs?.content ?? [];
check("logprobs", tokens.length === 2 && tokens[0].token === "Sun" && tokens[0].logprob < 0, JSON.stringify(probs.choices[0].logprobs));
check("top_logprobs", tokens.every((t) => t.top_logprobs.length === 2), JSON.stringify(tokens));

const several = await client.chat.completions.create({ model, messages: [ask], n: 3 });
check("n", several.choices.length === 3 && several.choices.map((c) => c.index).join() === "0,1,2", JSON.stringify(several.choices));
check("n texts", several.choices[2].message.content === "choice 2", JSON.stringify(several.choices));

const severalStreamed = await client.chat.completions.create({ model, messages: [ask], n: 2, stream: true });
const texts = ["", ""];
for await (const chunk of severalStreamed) for (const c of chunk.choices) texts[c.index] += c.delta.content ?? "";
check("n stream", texts[0] === "choice 0" && texts[1] === "choice 1", JSON.stringify(texts));
