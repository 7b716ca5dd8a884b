import { parseArgs, UsageError } from './parse-args';

describe('parseArgs', () => {
  it('parses serve with every flag, in both spellings', () => {
    expect(parseArgs(['serve', '--config', 'c.yaml', '--port=4100', '--host', '0.0.0.0'])).toEqual({
      name: 'serve',
      flags: { config: 'c.yaml', port: '4100', host: '0.0.0.0' },
    });
  });

  it('parses serve --workers as a count or auto', () => {
    expect(parseArgs(['serve', '--workers', '4'])).toEqual({ name: 'serve', flags: { workers: '4' } });
    expect(parseArgs(['serve', '--workers=auto'])).toEqual({ name: 'serve', flags: { workers: 'auto' } });
  });

  it('parses serve without flags', () => {
    expect(parseArgs(['serve'])).toEqual({ name: 'serve', flags: {} });
  });

  it.each([[[]], [['help']], [['--help']], [['-h']]])('shows help for %j', (argv) => {
    expect(parseArgs(argv)).toEqual({ name: 'help' });
  });

  it('prints the version', () => {
    expect(parseArgs(['--version'])).toEqual({ name: 'version' });
  });

  it.each([
    [['start'], 'unknown command "start"'],
    [['serve', '--verbose'], 'unknown option "--verbose" for serve'],
    [['serve', '--port'], '--port needs a value'],
    [['serve', '--workers'], '--workers needs a value'],
    [['serve', 'extra'], 'unknown option "extra" for serve'],
  ])('rejects %j', (argv, message) => {
    expect(() => parseArgs(argv)).toThrow(new UsageError(message));
  });

  it('parses the admin subcommands with their arguments and flags', () => {
    expect(parseArgs(['config', 'export', '--out', 'live.yaml', '--url', 'http://gw:4000'])).toEqual({
      name: 'admin',
      action: 'export',
      args: [],
      flags: { out: 'live.yaml', url: 'http://gw:4000' },
    });
    expect(parseArgs(['config', 'import', 'new.yaml', '--if-match=7', '--token', 't'])).toEqual({
      name: 'admin',
      action: 'import',
      args: ['new.yaml'],
      flags: { 'if-match': '7', token: 't' },
    });
    expect(parseArgs(['config', 'import', 'new.yaml', '--force'])).toMatchObject({ flags: { force: 'true' } });
    expect(parseArgs(['config', 'rollback', '3'])).toMatchObject({ action: 'rollback', args: ['3'] });
    expect(parseArgs(['routes', 'explain', 'claude-haiku-4-5'])).toMatchObject({ action: 'explain', args: ['claude-haiku-4-5'] });
    expect(parseArgs(['config', 'history', '--limit', '5'])).toMatchObject({ action: 'history', flags: { limit: '5' } });
  });

  it.each([
    [['config'], 'unknown command "config"'],
    [['config', 'delete'], 'unknown command "config delete"'],
    [['config', 'import'], 'config import takes 1 argument(s), got 0'],
    [['config', 'rollback', 'latest'], 'config rollback needs a revision number'],
    [['config', 'export', '--force'], 'unknown option "--force" for config export'],
  ])('rejects admin usage %j', (argv, message) => {
    expect(() => parseArgs(argv)).toThrow(new UsageError(message));
  });

  it.each([
    [['serve', '--help']],
    [['serve', '--port', '4100', '-h']],
    [['config', 'export', '--help']],
    [['config', 'validate', '--help']],
    [['routes', 'explain', '-h']],
    [['keys', 'new', '--help']],
    [['doctor', '--help']],
  ])('answers --help after any command: %j', (argv) => {
    expect(parseArgs(argv)).toEqual({ name: 'help' });
  });

  it.each([[['serve', '--version']], [['config', 'history', '--version']], [['doctor', '--version']], [['keys', 'new', '--version']]])('answers --version after any command: %j', (argv) => {
    expect(parseArgs(argv)).toEqual({ name: 'version' });
  });

  it('parses keys create|list|show|revoke|rotate|usage and audit as admin commands; keys new stays offline', () => {
    expect(parseArgs(['keys', 'create', '--name', 'alice', '--models=claude-*,gpt-*', '--daily-usd', '5'])).toEqual({
      name: 'admin',
      action: 'keys-create',
      args: [],
      flags: { name: 'alice', models: 'claude-*,gpt-*', 'daily-usd': '5' },
    });
    expect(parseArgs(['keys', 'revoke', 'key_0123456789ab', '--url', 'http://g:4000'])).toMatchObject({ action: 'keys-revoke', args: ['key_0123456789ab'], flags: { url: 'http://g:4000' } });
    expect(parseArgs(['keys', 'usage', 'key_1', '--days', '30'])).toMatchObject({ action: 'keys-usage', flags: { days: '30' } });
    expect(parseArgs(['audit', '--limit', '5'])).toEqual({ name: 'admin', action: 'audit', args: [], flags: { limit: '5' } });
    expect(parseArgs(['keys', 'new', '--id', 'bob'])).toEqual({ name: 'keys-new', id: 'bob' });
    expect(() => parseArgs(['keys', 'show'])).toThrow('keys show takes 1 argument(s), got 0');
    expect(() => parseArgs(['keys', 'create', '--secret', 'x'])).toThrow('unknown option "--secret" for keys create');
  });

  it('parses config validate as an offline command, and doctor with its flags', () => {
    expect(parseArgs(['config', 'validate', 'c.yaml'])).toEqual({ name: 'config-validate', file: 'c.yaml' });
    expect(() => parseArgs(['config', 'validate'])).toThrow(new UsageError('config validate takes 1 argument: the config file'));
    expect(() => parseArgs(['config', 'validate', 'c.yaml', '--url', 'http://x'])).toThrow(UsageError);
    expect(parseArgs(['doctor'])).toEqual({ name: 'doctor', flags: {} });
    expect(parseArgs(['doctor', '--config=c.yaml', '--url', 'http://gw:4000'])).toEqual({ name: 'doctor', flags: { config: 'c.yaml', url: 'http://gw:4000' } });
    expect(() => parseArgs(['doctor', '--port', '1'])).toThrow(new UsageError('unknown option "--port" for doctor'));
  });
});
