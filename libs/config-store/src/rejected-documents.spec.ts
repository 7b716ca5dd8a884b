import { RejectedDocuments } from './rejected-documents';

function recordingLogger() {
  const warnings: string[] = [];
  return { warnings, log: () => undefined, warn: (message: string) => warnings.push(message) };
}

describe('RejectedDocuments', () => {
  it('counts and logs each distinct document once, however often it is read again', () => {
    const logger = recordingLogger();
    const rejected = new RejectedDocuments(logger);
    const bad = JSON.stringify({ revision: 5, config: {} });
    rejected.record(bad, 'providers: must be an array', 4);
    rejected.record(bad, 'providers: must be an array', 4);
    expect(rejected.total).toBe(1);
    expect(logger.warnings).toEqual(['config store: stored revision 5 rejected, keeping revision 4: providers: must be an array']);
    rejected.record(JSON.stringify({ revision: 6, config: {} }), 'routes: missing', 4);
    expect(rejected.total).toBe(2);
  });

  it('names what it can of a document that is not even JSON', () => {
    const logger = recordingLogger();
    const rejected = new RejectedDocuments(logger);
    rejected.record('{not json', 'stored document is not JSON', undefined);
    expect(logger.warnings).toEqual(['config store: stored revision ? rejected, no config in force yet: stored document is not JSON']);
    expect(rejected.pending).toEqual({ revision: undefined, message: 'stored document is not JSON' });
  });

  it('pending is the rejection Redis holds now, until a good document (or none) replaces it', () => {
    const rejected = new RejectedDocuments(recordingLogger());
    rejected.record(JSON.stringify({ revision: 2 }), 'bad', 1);
    expect(rejected.pending).toEqual({ revision: 2, message: 'bad' });
    rejected.clear();
    expect(rejected.pending).toBeUndefined();
    expect(rejected.total).toBe(1);
  });
});
