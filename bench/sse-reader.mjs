// Compares the project's SSE reader (SseFrameReader, via parseSseBatches) with eventsource-parser
// on the translation hot path: a 256-chunk OpenAI stream, cut into reads of 200 B, 1400 B (one
// MTU-ish packet) and 16 KiB. CPU time (process.cpuUsage) per stream, median of 7 rounds, the two
// readers alternating so machine drift hits both. `npm run build` first (reads dist/).
import { createParser } from 'eventsource-parser';
import { parseSseBatches } from '../dist/libs/sse/src/parse-sse.js';

async function* eventsourceParserBatches(bytes) {
  const decoder = new TextDecoder('utf-8');
  let ready = [];
  const parser = createParser({ onEvent: (message) => ready.push({ event: message.event, data: message.data }) });
  for await (const chunk of bytes) {
    parser.feed(decoder.decode(chunk, { stream: true }));
    if (ready.length > 0) {
      yield ready;
      ready = [];
    }
  }
}

const frame = (i) =>
  `data: {"id":"chatcmpl-abc","object":"chat.completion.chunk","created":1700000000,"model":"m","system_fingerprint":"b1","choices":[{"index":0,"delta":{"content":" word${i}"},"finish_reason":null}]}\n\n`;
const stream = Buffer.from(Array.from({ length: 256 }, (_, i) => frame(i)).join('') + 'data: [DONE]\n\n');
const reads = (size) => Array.from({ length: Math.ceil(stream.length / size) }, (_, i) => stream.subarray(i * size, (i + 1) * size));
async function* source(pieces) {
  yield* pieces;
}
async function consume(reader, pieces) {
  let events = 0;
  for await (const batch of reader(source(pieces))) events += batch.length;
  if (events !== 257) throw new Error(`read ${events} events`);
}

const readers = { 'SseFrameReader': parseSseBatches, 'eventsource-parser': eventsourceParserBatches };
const STREAMS_PER_ROUND = 300;
const results = [];
for (const size of [200, 1400, 16384]) {
  const pieces = reads(size);
  const rounds = { 'SseFrameReader': [], 'eventsource-parser': [] };
  for (const reader of Object.values(readers)) for (let i = 0; i < 200; i++) await consume(reader, pieces);
  for (let round = 0; round < 7; round++) {
    for (const [name, reader] of Object.entries(readers)) {
      const start = process.cpuUsage();
      for (let i = 0; i < STREAMS_PER_ROUND; i++) await consume(reader, pieces);
      const used = process.cpuUsage(start);
      rounds[name].push((used.user + used.system) / STREAMS_PER_ROUND);
    }
  }
  const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  const ours = median(rounds['SseFrameReader']);
  const theirs = median(rounds['eventsource-parser']);
  results.push({ read_bytes: size, sse_frame_reader_us: +ours.toFixed(1), eventsource_parser_us: +theirs.toFixed(1), ratio: +(ours / theirs).toFixed(2) });
}
console.table(results);
