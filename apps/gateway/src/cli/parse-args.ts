import type { AdminAction, AdminCommand } from './admin-commands';
import type { ServeFlags } from '../env/gateway-env';

export type CliCommand =
  | { readonly name: 'serve'; readonly flags: ServeFlags }
  | AdminCommand
  | { readonly name: 'keys-new'; readonly id: string }
  | { readonly name: 'config-validate'; readonly file: string }
  | { readonly name: 'doctor'; readonly flags: { readonly config?: string; readonly url?: string } }
  | { readonly name: 'help' }
  | { readonly name: 'version' };

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export const USAGE = `Usage: turnout <command> [options]

Commands:
  serve     start the gateway
            --config PATH   config file (env TURNOUT_CONFIG; else the first that exists of
                            ./config/turnout.yaml and /etc/turnout/turnout.yaml)
            --port N        listen port (env PORT; default 4000)
            --host H        listen address (env HOST; default 127.0.0.1)
            --workers N     processes sharing the port, or auto: one per CPU
                            (env TURNOUT_WORKERS; default 1, a single process)
            --log-format F  json or pretty (env TURNOUT_LOG_FORMAT; default pretty on
                            a terminal, JSON otherwise); TURNOUT_LOG_LEVEL=debug for more
  config export [--out FILE]          write the live config as YAML (headed by its revision)
  config import FILE [--if-match REV] [--force]
                                      replace the live config; the revision in the file's
                                      header (or --if-match) must still be current (409 if not)
  config push FILE / config pull      the same as import FILE / export (to stdout)
  config validate FILE                offline: would the gateway accept this file? Errors
                                      name line:column, and the key meant for an unknown one
  doctor [--config PATH] [--url URL]  ask every provider of the config what the gateway would
                                      (reachable, key, /v1/messages, models, context window),
                                      print the Claude Code settings; exit 1 on any problem
                                      (--url: the gateway address for those settings)
  config history [--limit N]          the last revisions, newest first
  config rollback REV                 make the content of revision REV live again
  routes explain MODEL                which route, provider, mode and upstream model MODEL gets
            the config, routes, keys and audit commands talk to the admin API of a running gateway:
            --url URL       gateway (env TURNOUT_URL; default http://127.0.0.1:4000)
            --token T       admin token (env TURNOUT_ADMIN_TOKEN)
  keys new [--id ID]                  offline: make a gateway API key for the config file:
                                      prints it once, and the entry that stores only its SHA-256
  keys create --name N [--owner O] [--models GLOB,GLOB] [--rpm N] [--tpm N] [--expires ISO]
              [--daily-tokens N] [--monthly-tokens N] [--daily-usd X] [--monthly-usd X]
                                      a key stored in Redis (REDIS_URL): the secret is printed
                                      once; in file mode the gateway says keys are read-only
  keys list / keys show ID            keys (config and stored), never their secrets
  keys revoke ID / keys rotate ID     revoke at once on every replica / a new secret
  keys usage ID [--days N]            the key's daily requests, tokens and cost
  audit [--limit N]                   admin writes (config, keys): who, what, when
  help      show this text (also --help or -h after any command)
  version   print the version (also --version after any command)
`;

/** Subcommand → admin action, with how many positional arguments it takes. */
const ADMIN_ACTIONS: Readonly<Record<string, { action: AdminAction; args: number; flags: readonly string[] }>> = {
  'config export': { action: 'export', args: 0, flags: ['out'] },
  'config import': { action: 'import', args: 1, flags: ['if-match', 'force'] },
  // The names the start-up warning about a config file that differs from Redis gives.
  'config push': { action: 'import', args: 1, flags: ['if-match', 'force'] },
  'config pull': { action: 'export', args: 0, flags: ['out'] },
  'config history': { action: 'history', args: 0, flags: ['limit'] },
  'config rollback': { action: 'rollback', args: 1, flags: [] },
  'routes explain': { action: 'explain', args: 1, flags: [] },
  'keys create': { action: 'keys-create', args: 0, flags: ['name', 'owner', 'models', 'rpm', 'tpm', 'expires', 'daily-tokens', 'monthly-tokens', 'daily-usd', 'monthly-usd'] },
  'keys list': { action: 'keys-list', args: 0, flags: [] },
  'keys show': { action: 'keys-show', args: 1, flags: [] },
  'keys revoke': { action: 'keys-revoke', args: 1, flags: [] },
  'keys rotate': { action: 'keys-rotate', args: 1, flags: [] },
  'keys usage': { action: 'keys-usage', args: 1, flags: ['days'] },
  'audit ': { action: 'audit', args: 0, flags: ['limit'] },
};

/** Flags that are switches and take no value. */
const SWITCHES = new Set(['force']);

const SERVE_FLAGS = new Set(['config', 'port', 'host', 'workers', 'log-format']);

/** `turnout serve --port 4001` and `--port=4001` both work; unknown flags are an error, not ignored. */
export function parseArgs(argv: readonly string[]): CliCommand {
  const [command, ...rest] = argv;
  // `turnout serve --help`, `turnout config export -h`: help and version answer after any command.
  if (command === undefined || command === 'help' || argv.includes('--help') || argv.includes('-h')) return { name: 'help' };
  if (command === 'version' || argv.includes('--version')) return { name: 'version' };
  if (command === 'config' && rest[0] === 'validate') {
    if (rest.length !== 2 || (rest[1] as string).startsWith('--')) throw new UsageError('config validate takes 1 argument: the config file');
    return { name: 'config-validate', file: rest[1] as string };
  }
  if (command === 'doctor') return { name: 'doctor', flags: parseFlags('doctor', rest, new Set(['config', 'url'])) };
  if (command === 'config' || command === 'routes') return parseAdmin(command, rest);
  if (command === 'keys' && rest[0] === 'new') return parseKeys(rest);
  if (command === 'keys') return parseAdmin(command, rest);
  if (command === 'audit') return parseAdmin(command, ['', ...rest]);
  if (command !== 'serve') throw new UsageError(`unknown command "${command}"`);
  return { name: 'serve', flags: parseFlags('serve', rest, SERVE_FLAGS) };
}

/** `--name value` or `--name=value`, only the names given; anything else is a usage error. */
function parseFlags(command: string, rest: readonly string[], allowed: ReadonlySet<string>): Record<string, string> {
  const flags: Record<string, string> = {};
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i] as string;
    const match = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    if (!match || !allowed.has(match[1] as string)) throw new UsageError(`unknown option "${arg}" for ${command}`);
    const name = match[1] as string;
    const value = match[2] ?? rest[++i];
    if (value === undefined || value === '') throw new UsageError(`--${name} needs a value`);
    flags[name] = value;
  }
  return flags;
}

function parseAdmin(command: string, rest: readonly string[]): AdminCommand {
  const [sub, ...tail] = rest;
  const spec = ADMIN_ACTIONS[`${command} ${sub ?? ''}`];
  if (!spec) throw new UsageError(`unknown command "${command}${sub ? ` ${sub}` : ''}"`);
  const allowed = new Set([...spec.flags, 'url', 'token']);
  const flags: Record<string, string> = {};
  const args: string[] = [];
  for (let i = 0; i < tail.length; i++) {
    const arg = tail[i] as string;
    const match = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    if (!match) {
      args.push(arg);
      continue;
    }
    const name = match[1] as string;
    if (!allowed.has(name)) throw new UsageError(`unknown option "${arg}" for ${command} ${sub}`);
    if (SWITCHES.has(name)) {
      flags[name] = 'true';
      continue;
    }
    const value = match[2] ?? tail[++i];
    if (value === undefined || value === '') throw new UsageError(`--${name} needs a value`);
    flags[name] = value;
  }
  if (args.length !== spec.args) throw new UsageError(`${command} ${sub} takes ${spec.args} argument(s), got ${args.length}`);
  if (spec.action === 'rollback' && !/^\d+$/.test(args[0] as string)) throw new UsageError('config rollback needs a revision number');
  return { name: 'admin', action: spec.action, args, flags };
}

function parseKeys(rest: readonly string[]): CliCommand {
  const [sub, ...tail] = rest;
  if (sub !== 'new') throw new UsageError(`unknown command "keys${sub ? ` ${sub}` : ''}"`);
  let id = 'new-key';
  for (let i = 0; i < tail.length; i++) {
    const match = /^--id(?:=(.*))?$/.exec(tail[i] as string);
    if (!match) throw new UsageError(`unknown option "${tail[i]}" for keys new`);
    const value = match[1] ?? tail[++i];
    if (!value || !/^[a-z0-9-]+$/.test(value)) throw new UsageError('--id needs a value matching [a-z0-9-]+');
    id = value;
  }
  return { name: 'keys-new', id };
}
