import { describeVersion, meetsRequirement, type VersionRequirement } from './version-requirement';

const semver = (minimum: string): VersionRequirement => ({ scheme: 'semver', minimum, evidence: 'test' });
const build = (minimum: string): VersionRequirement => ({ scheme: 'llama-build', minimum, evidence: 'test' });

describe('meetsRequirement', () => {
  it.each([
    ['0.14.0', '0.14.0', true],
    ['0.14.1', '0.14.0', true],
    ['0.9.0', '0.14.0', false], // a string compare would say true
    ['0.13.9', '0.14.0', false],
    ['1.0.0', '0.14.0', true],
    ['v0.14.2', '0.14.0', true],
    ['0.14.0-rc1', '0.14.0', false],
    ['0.14.1-rc0', '0.14.0', true],
    ['0.11.0+cu128', '0.11.0', true],
    ['0.10.2rc2.dev123+g1a2b3c', '0.11.0', false],
    ['0.11.1.dev5+gabcdef', '0.11.0', true],
    ['0.11.0.post1', '0.11.0', true],
    ['0.11', '0.11.0', true],
  ])('semver %s against >= %s is %s', (version, minimum, expected) => {
    expect(meetsRequirement(version, semver(minimum))).toBe(expected);
  });

  it.each([
    ['b7250-abc1234', 'b7250', true],
    ['b10107-0a50d99', 'b7250', true], // a string compare would say false
    ['b6543-1e2a3b4', 'b7250', false],
    ['b7249', 'b7250', false],
  ])('llama build %s against >= %s is %s', (version, minimum, expected) => {
    expect(meetsRequirement(version, build(minimum))).toBe(expected);
  });

  it.each([
    ['b0-unknown', build('b7250')], // the recorded llama-server fixture: a source build
    ['unknown', build('b7250')],
    ['0.0.0', semver('0.14.0')], // Ollama built from source
    ['', semver('0.14.0')],
    ['latest', semver('0.14.0')],
  ])('cannot tell for %j', (version, requirement) => {
    expect(meetsRequirement(version, requirement)).toBeUndefined();
  });
});

describe('describeVersion', () => {
  it('calls a llama.cpp version a build and leaves others alone', () => {
    expect(describeVersion('b6543', 'llama-build')).toBe('build b6543');
    expect(describeVersion('0.12.3', 'semver')).toBe('0.12.3');
    expect(describeVersion('0.4.0 or newer', undefined)).toBe('0.4.0 or newer');
  });
});
