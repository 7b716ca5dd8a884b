import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { rewriteModelField } from './rewrite-model-field';

const FIXTURES = join(__dirname, '..', '..', '..', 'test', 'fixtures');
const rewrite = (text: string, model = 'new-model'): string => rewriteModelField(Buffer.from(text, 'utf8'), model).toString('utf8');

describe('rewriteModelField', () => {
  it('replaces only the value and keeps spacing, key order, number spellings and unknown fields', () => {
    const body = '{ "max_tokens" : 1.0e1,"model":"native-model" ,"messages":[{"role":"user","content":"caf\\u00e9"}],"x_future_field":{"keep":[1, 2.50]}}';
    expect(rewrite(body, 'big-model')).toBe(body.replace('"native-model"', '"big-model"'));
  });

  it('handles whitespace and newlines around the colon', () => {
    expect(rewrite('{\n  "model"\t :\r\n  "a",\n  "x": 1\n}')).toBe('{\n  "model"\t :\r\n  "new-model",\n  "x": 1\n}');
  });

  it('writes the new value JSON-escaped', () => {
    const out = rewrite('{"model":"a"}', 'we"ird\\name\u2028é');
    expect(JSON.parse(out)).toEqual({ model: 'we"ird\\name\u2028é' });
  });

  it('leaves "model" keys inside nested objects, arrays and strings alone', () => {
    const body =
      '{"metadata":{"model":"m1"},"messages":[{"role":"user","content":[{"type":"text","text":"\\"model\\":\\"x\\""}]},{"model":"m2"}],' +
      '"tools":[{"input_schema":{"properties":{"model":{"type":"string"}}}}],"model":"top","after":"\\\\"}';
    const out = rewrite(body);
    expect(out).toBe(body.replace('"model":"top"', '"model":"new-model"'));
  });

  it('is not fooled by escaped quotes and backslash runs before a quote', () => {
    const body = '{"a":"x\\\\","model":"m","b":"\\\\\\"model\\":1"}';
    expect(JSON.parse(body)).toEqual({ a: 'x\\', model: 'm', b: '\\"model":1' });
    expect(JSON.parse(rewrite(body))).toEqual({ a: 'x\\', model: 'new-model', b: '\\"model":1' });
  });

  it('reads escaped key spellings as the key they spell', () => {
    expect(rewrite('{"mod\\u0065l":"m"}')).toBe('{"mod\\u0065l":"new-model"}');
    expect(rewrite('{"\\u006d\\u006F\\u0064\\u0065\\u006c" : "m"}')).toBe('{"\\u006d\\u006F\\u0064\\u0065\\u006c" : "new-model"}');
  });

  it('does not match keys that only start or end like model', () => {
    const body = '{"models":"a","model_id":"b","xmodel":"c","Model":"d"}';
    expect(rewrite(body)).toBe(body);
  });

  it('replaces a non-string model value too (the upstream gets a name, as routing decided)', () => {
    expect(rewrite('{"model":null,"x":[1]}')).toBe('{"model":"new-model","x":[1]}');
    expect(rewrite('{"model":{"a":[1,{"b":"}"}]}}')).toBe('{"model":"new-model"}');
  });

  it('rewrites every top-level duplicate, since readers disagree on which one wins', () => {
    expect(rewrite('{"model":"a","x":1,"model":"b"}')).toBe('{"model":"new-model","x":1,"model":"new-model"}');
  });

  it('returns the same Buffer when there is nothing to rewrite or the bytes are not one JSON object', () => {
    for (const text of ['{}', '{"x":1}', '[{"model":"a"}]', '"model"', '', 'not json', '{"model":"a"', '{"model":"a"} {"b":1}', '{"model" "a"}', '{"model":"a",}', '{"model":"unterminated}']) {
      const input = Buffer.from(text);
      expect(rewriteModelField(input, 'x')).toBe(input);
    }
  });

  it('accepts a leading BOM and surrounding whitespace', () => {
    const body = '\ufeff \n{"model":"a"}\n';
    expect(rewrite(body)).toBe('\ufeff \n{"model":"new-model"}\n');
  });

  it('keeps multi-byte text byte for byte', () => {
    const body = '{"messages":[{"content":"日本語 🎉 \\ud83c\\udf89"}],"model":"ü-model","z":"ß"}';
    expect(rewrite(body, 'ö')).toBe(body.replace('"ü-model"', '"ö"'));
  });

  it('rewrites a real Claude Code body (tool schemas with a "model" property) and a real Anthropic Message', () => {
    const request = readFileSync(join(FIXTURES, 'claude-code', 'c-thinking-tool-turn.body.json'));
    const out = rewriteModelField(request, 'qwen3-coder');
    const original = JSON.parse(request.toString('utf8')) as Record<string, unknown>;
    expect(JSON.parse(out.toString('utf8'))).toEqual({ ...original, model: 'qwen3-coder' });
    expect(out.length - request.length).toBe('"qwen3-coder"'.length - JSON.stringify(original.model).length);

    const message = readFileSync(join(FIXTURES, 'llama-server', 'messages-basic.response.json'), 'utf8');
    expect(rewrite(message, 'native-model')).toBe(message.replace('"model":"tiny"', '"model":"native-model"'));
  });

  it('handles a 10 MB body full of nested "model" strings in one linear pass', () => {
    const block = '{"type":"text","text":"\\"model\\": \\\\\\"x\\\\\\" {[\\"model\\"]}","metadata":{"model":"nested"}},';
    const blocks = block.repeat(Math.ceil((10 * 1024 * 1024) / block.length));
    const body = Buffer.from(`{"messages":[{"role":"user","content":[${blocks}{"type":"text","text":"end"}]}],"model":"client-model","max_tokens":5}`);
    expect(body.length).toBeGreaterThan(10 * 1024 * 1024);
    const out = rewriteModelField(body, 'upstream-model');
    expect(out.subarray(out.length - 60).toString()).toContain('"model":"upstream-model","max_tokens":5}');
    expect(out.length).toBe(body.length + '"upstream-model"'.length - '"client-model"'.length);
    expect(out.subarray(0, 1000).equals(body.subarray(0, 1000))).toBe(true);
  });
});
