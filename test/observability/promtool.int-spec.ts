import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const PROMETHEUS_CONFIG = join(__dirname, '..', '..', 'config', 'prometheus');

/** promtool (from Debian's prometheus package, installed by .ci/run) is the judge of the shipped files. */
function promtool(...args: string[]): string {
  return execFileSync('promtool', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

describe('shipped Prometheus files', () => {
  it('the alert rules pass promtool check rules', () => {
    expect(promtool('check', 'rules', join(PROMETHEUS_CONFIG, 'alerts.yml'))).toContain('SUCCESS: 10 rules found');
  });

  it('the scrape config passes promtool check config, with its rule file', () => {
    // The shipped file points at the container path; check a copy that points next to it.
    const dir = mkdtempSync(join(tmpdir(), 'turnout-promtool-'));
    try {
      const config = readFileSync(join(PROMETHEUS_CONFIG, 'prometheus.yml'), 'utf8').replace('/etc/prometheus/alerts.yml', join(dir, 'alerts.yml'));
      writeFileSync(join(dir, 'prometheus.yml'), config);
      copyFileSync(join(PROMETHEUS_CONFIG, 'alerts.yml'), join(dir, 'alerts.yml'));
      expect(promtool('check', 'config', join(dir, 'prometheus.yml'))).toContain('is valid prometheus config file syntax');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('every alert rule passes its promtool unit tests (alerts.test.yml), and each rule has one', () => {
    expect(promtool('test', 'rules', join(PROMETHEUS_CONFIG, 'alerts.test.yml'))).toContain('SUCCESS');
    const rules = readFileSync(join(PROMETHEUS_CONFIG, 'alerts.yml'), 'utf8');
    const tests = readFileSync(join(PROMETHEUS_CONFIG, 'alerts.test.yml'), 'utf8');
    const alerts = [...rules.matchAll(/^\s+- alert: (\w+)$/gm)].map((match) => match[1] as string);
    expect(alerts).toHaveLength(10);
    // Every rule has a case where it fires.
    for (const alert of alerts) expect(tests).toMatch(new RegExp(`alertname: ${alert}\\n\\s+exp_alerts:\\n\\s+- exp_labels`));
  });

  it('promtool test rules fails when a rule stops firing, so the test above can fail', () => {
    const dir = mkdtempSync(join(tmpdir(), 'turnout-promtool-'));
    try {
      // The same tests against rules whose Redis threshold can never be met.
      const rules = readFileSync(join(PROMETHEUS_CONFIG, 'alerts.yml'), 'utf8').replace('expr: turnout_redis_up == 0', 'expr: turnout_redis_up < 0');
      writeFileSync(join(dir, 'alerts.yml'), rules);
      copyFileSync(join(PROMETHEUS_CONFIG, 'alerts.test.yml'), join(dir, 'alerts.test.yml'));
      expect(() => promtool('test', 'rules', join(dir, 'alerts.test.yml'))).toThrow(/TurnoutRedisUnreachable/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('promtool rejects a broken rule, so the checks above can fail', () => {
    const dir = mkdtempSync(join(tmpdir(), 'turnout-promtool-'));
    try {
      writeFileSync(join(dir, 'bad.yml'), 'groups:\n  - name: x\n    rules:\n      - alert: Broken\n        expr: sum(rate(x[5m]) > \n');
      expect(() => promtool('check', 'rules', join(dir, 'bad.yml'))).toThrow();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
