import { formatG4, humanize, humanizePercentage } from '../../lib/alerting/humanize';

// Expected strings are what Prometheus's Go templates print for the same values.
describe("Prometheus's humanize functions", () => {
  test.each([
    [55, '55'],
    [9.75, '9.75'],
    [1000, '1000'],
    [12345, '1.234e+04'],
    [1.0625, '1.062'],
    [12355, '1.236e+04'],
    [0.001234, '0.001234'],
    [0.00001, '1e-05'],
    [-2.5, '-2.5'],
    [0, '0'],
  ])('%.4g formats %p as %p', (value, expected) => {
    expect(formatG4(value)).toBe(expected);
  });

  test.each([
    [1234, '1.234k'],
    [12_345_678, '12.35M'],
    [0.05, '50m'],
    [20, '20'],
    [54.99999999999999, '55'],
  ])('humanize prints %p as %p', (value, expected) => {
    expect(humanize(value)).toBe(expected);
  });

  test('humanizePercentage prints a ratio as a percentage', () => {
    expect(humanizePercentage(0.0288)).toBe('2.88%');
  });
});
