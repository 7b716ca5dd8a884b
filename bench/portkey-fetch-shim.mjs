// Loaded into the Portkey gateway with `node --import` by bench/peers.mjs, and only there.
// Portkey 1.15.2 on Node streams an Anthropic answer by wrapping the upstream's fetch Response
// (`new Response(stream, upstreamResponse)`); @hono/node-server's lightweight Response keeps the
// upstream's headers object, whose guard is "immutable", and Portkey then appends its
// x-portkey-* headers to it: every streamed /v1/messages request answers 500 ("TypeError:
// immutable", Portkey-AI/gateway issues 1389 and 1550). Re-wrapping each upstream answer once
// gives it ordinary response headers; the body stream is handed over untouched, not buffered.
// Node's own Response, taken before @hono/node-server replaces the global one.
const NodeResponse = globalThis.Response;
const upstreamFetch = globalThis.fetch;
globalThis.fetch = async (...args) => {
  const answer = await upstreamFetch(...args);
  return new NodeResponse(answer.body, answer);
};
