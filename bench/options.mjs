// Command-line options shared by the bench scripts.

/** `--name VALUE`, or `fallback` when absent. */
export function option(name, fallback) {
  const at = process.argv.indexOf(`--${name}`);
  return at === -1 ? fallback : process.argv[at + 1];
}

/** `NAME=VALUE` strings as an environment object (the value may itself hold `=`). */
export function envFromAssignments(assignments) {
  return Object.fromEntries(assignments.filter(Boolean).map((pair) => pair.split(/=(.*)/s).slice(0, 2)));
}

/** Every `--env NAME=VALUE` given (repeatable): extra environment for the gateway under test. */
export function envOptions() {
  return envFromAssignments(process.argv.filter((_arg, i) => process.argv[i - 1] === '--env'));
}
