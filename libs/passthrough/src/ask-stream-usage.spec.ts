import { askStreamUsage } from './ask-stream-usage';

describe('askStreamUsage', () => {
  it('inserts the member first and keeps every other byte', () => {
    const body = '\ufeff { "model" : "m","stream":true,"messages":[{"role":"user","content":"caf\\u00e9 {stream_options}"}],"x":1.0}';
    const out = askStreamUsage(Buffer.from(body))!.toString('utf8');
    expect(out).toBe(body.replace('{ "model"', '{"stream_options":{"include_usage":true}, "model"'));
    expect(JSON.parse(out.slice(1))).toMatchObject({ stream_options: { include_usage: true }, model: 'm', x: 1 });
  });

  it('leaves the client\'s own stream_options alone, nested look-alikes do not count', () => {
    expect(askStreamUsage(Buffer.from('{"model":"m","stream_options":{"include_usage":false}}'))).toBeUndefined();
    expect(askStreamUsage(Buffer.from('{"model":"m","metadata":{"stream_options":1}}'))?.toString()).toBe('{"stream_options":{"include_usage":true},"model":"m","metadata":{"stream_options":1}}');
  });

  it('does nothing to what is not a JSON object, or an empty one', () => {
    expect(askStreamUsage(Buffer.from('[1]'))).toBeUndefined();
    expect(askStreamUsage(Buffer.from('{ }'))).toBeUndefined();
  });
});
