import { describe, expect, it } from 'vitest';
import {
  checkTemplate,
  goG,
  renderAnnotations,
  renderTemplate,
  TemplateError,
} from '../../src/services/alerting/templates';

const data = { labels: { instance: 'db-1:9100', job: 'node' }, value: 0.12345, threshold: 0.05 };

function refusal(src: string): TemplateError {
  try {
    checkTemplate(src, ['annotations', 'summary']);
  } catch (e) {
    expect(e).toBeInstanceOf(TemplateError);
    const err = e as TemplateError;
    expect(err.appCode).toBe('INVALID_TEMPLATE');
    expect(err.path).toEqual(['annotations', 'summary']);
    return err;
  }
  throw new Error(`expected ${JSON.stringify(src)} to be refused`);
}

describe('annotation templates render as Prometheus would', () => {
  it.each([
    ['plain text', 'Disk is full', 'Disk is full'],
    ['value', 'value {{ $value }}', 'value 0.12345'],
    [
      'labels and threshold',
      '{{ $labels.instance }} of {{$labels.job}} over {{ $threshold }}',
      'db-1:9100 of node over 0.05',
    ],
    ['a missing label is empty', '[{{ $labels.nope }}]', '[]'],
    ['humanizePercentage', '{{ $value | humanizePercentage }}', '12.35%'],
    ['printf', '{{ $value | printf "%.2f" }} req/s', '0.12 req/s'],
    ['printf %% and %v', '{{ $threshold | printf "%v%%" }}', '0.05%'],
    ['pipes chain', '{{ $labels.job | toUpper }}', 'NODE'],
    ['trim markers', 'a  {{- $labels.job -}}  b', 'anodeb'],
  ])('%s', (_, src, out) => {
    expect(renderTemplate(src, data)).toBe(out);
  });

  it.each([
    [0, '0'],
    [1234, '1.234k'],
    [1_500_000, '1.5M'],
    [0.001234, '1.234m'],
    [-2_000, '-2k'],
    [Number.NaN, 'NaN'],
  ])('humanize %s -> %s', (value, out) => {
    expect(renderTemplate('{{ $value | humanize }}', { labels: {}, value })).toBe(out);
  });

  it.each([
    [0, '0s'],
    [1.5, '1.5s'],
    [90, '1m 30s'],
    [3_661, '1h 1m 1s'],
    [90_061, '1d 1h 1m 1s'],
    [0.25, '250ms'],
  ])('humanizeDuration %s -> %s', (value, out) => {
    expect(renderTemplate('{{ $value | humanizeDuration }}', { labels: {}, value })).toBe(out);
  });

  it("formats numbers like Go's %v / %g", () => {
    expect([1e6, 123456, 1e-5, 0.0001, 1 / 3, 2, Number.POSITIVE_INFINITY].map((v) => goG(v))).toEqual([
      '1e+06',
      '123456',
      '1e-05',
      '0.0001',
      '0.3333333333333333',
      '2',
      '+Inf',
    ]);
    expect([12345, 1234.5, 0.5].map((v) => goG(v, 4))).toEqual(['1.234e+04', '1234', '0.5']);
  });

  it('renders nothing for a value that is not there (no data, no threshold)', () => {
    expect(renderTemplate('v={{ $value }} t={{ $threshold }}', { labels: {}, value: null })).toBe('v= t=');
  });

  it('renderAnnotations renders every annotation, keeping the keys', () => {
    expect(
      renderAnnotations(
        {
          summary: '{{ $labels.instance }} is at {{ $value | humanizePercentage }}',
          runbook_url: 'https://x/r',
        },
        data,
      ),
    ).toEqual({ summary: 'db-1:9100 is at 12.35%', runbook_url: 'https://x/r' });
  });
});

describe('templates that are refused (coded error naming the field)', () => {
  it.each([
    ['unclosed action', 'value {{ $value', /unclosed action/],
    ['unknown variable', '{{ $foo }}', /unknown variable \$foo/],
    ['dot access', '{{ .Value }}', /unknown variable \.Value/],
    ['unknown function', '{{ $value | shout }}', /unknown function shout/],
    ['empty action', '{{ }}', /empty action/],
    ['unterminated string', '{{ $value | printf "%.2f }}', /unterminated string/],
    ['printf without a verb', '{{ $value | printf "hello" }}', /exactly one/],
    ['printf with two verbs', '{{ $value | printf "%f %f" }}', /exactly one/],
    ['comments', '{{/* hi */}}', /comments/],
    ['missing pipe', '{{ $value humanize }}', /expected "\|"/],
  ])('%s', (_, src, message) => {
    expect(refusal(src).message).toMatch(message);
  });

  it.each(['range', 'if', 'with', 'template', 'define', 'block', 'else', 'end'])(
    'control structure %s (Go templates can loop; ours cannot)',
    (word) => {
      expect(refusal(`{{ ${word} $labels }}x{{ end }}`).message).toMatch(/control structures or loops/);
    },
  );

  it('a piped control keyword is refused too', () => {
    expect(refusal('{{ $value | range }}').message).toMatch(/control structures/);
  });

  it('parses a large template in one pass (many actions, long text)', () => {
    const big = '{{ $value | humanize }} '.repeat(150) + 'x'.repeat(500);
    expect(() => checkTemplate(big, ['annotations', 'description'])).not.toThrow();
    // An unclosed action after a long prefix is still reported where it starts.
    expect(refusal(`${'a'.repeat(3_000)}{{ $value`).message).toMatch(/character 3001/);
  });

  it('renderTemplate never throws on a stored template that does not parse: it shows the text', () => {
    expect(renderTemplate('{{ range }}', data)).toBe('{{ range }}');
  });
});
