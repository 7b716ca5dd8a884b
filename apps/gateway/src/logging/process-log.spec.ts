import { PassThrough } from 'node:stream';
import { createProcessLogger, PinoNestLogger } from './process-log';

function capture(level: 'info' | 'debug' = 'info') {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const nest = new PinoNestLogger(createProcessLogger('json', level, stream));
  const lines = async () => {
    await new Promise((resolve) => setImmediate(resolve));
    return text.split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>);
  };
  return { nest, lines };
}

describe('PinoNestLogger', () => {
  it('writes Nest messages as JSON lines with their context and pino level', async () => {
    const { nest, lines } = capture();
    nest.log('listening', 'Turnout');
    nest.warn('careful', 'ConfigStore');
    nest.error('broke', 'Error: broke\n    at x', 'ExceptionsHandler');
    expect(await lines()).toEqual([
      expect.objectContaining({ level: 30, context: 'Turnout', msg: 'listening' }),
      expect.objectContaining({ level: 40, context: 'ConfigStore', msg: 'careful' }),
      expect.objectContaining({ level: 50, context: 'ExceptionsHandler', msg: 'broke', stack: 'Error: broke\n    at x' }),
    ]);
  });

  it("puts Nest's route mapping and module wiring at debug, hidden at the default level", async () => {
    const quiet = capture('info');
    quiet.nest.log('Mapped {/v1/messages, POST} route', 'RouterExplorer');
    quiet.nest.log('MessagesController {/v1/messages}:', 'RoutesResolver');
    quiet.nest.log('AppModule dependencies initialized', 'InstanceLoader');
    expect(await quiet.lines()).toEqual([]);
    const verbose = capture('debug');
    verbose.nest.log('Mapped {/v1/messages, POST} route', 'RouterExplorer');
    expect(await verbose.lines()).toEqual([expect.objectContaining({ level: 20, context: 'RouterExplorer', msg: 'Mapped {/v1/messages, POST} route' })]);
  });
});
