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
    expect(promtool('check', 'rules', join(PROMETHEUS_CONFIG, 'alerts.yml'))).toContain('SUCCESS: 4 rules found');
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
