/**
 * Prometheus's `humanize` and `humanizePercentage` template functions, so a promtool test can
 * state the annotation an alert will carry (promtool compares annotations exactly).
 *
 * Both print Go's `%.4g`, which rounds to 4 significant digits, an exact tie to even.
 */

/** `{{ $value | humanize }}`: 4 significant digits with an SI prefix, e.g. 1234 -> 1.234k, 0.05 -> 50m. */
export function humanize(value: number): string {
  if (value === 0 || !Number.isFinite(value)) return formatG4(value);
  let scaled = value;
  let prefix = '';
  if (Math.abs(scaled) >= 1) {
    for (const candidate of ['k', 'M', 'G', 'T', 'P', 'E', 'Z', 'Y']) {
      if (Math.abs(scaled) < 1000) break;
      prefix = candidate;
      scaled /= 1000;
    }
  } else {
    for (const candidate of ['m', 'u', 'n', 'p', 'f', 'a', 'z', 'y']) {
      if (Math.abs(scaled) >= 1) break;
      prefix = candidate;
      scaled *= 1000;
    }
  }
  return `${formatG4(scaled)}${prefix}`;
}

/** `{{ $value | humanizePercentage }}`: a ratio as a percentage, e.g. 0.0288 -> 2.88%. */
export function humanizePercentage(ratio: number): string {
  return `${formatG4(ratio * 100)}%`;
}

/** Go's `fmt.Sprintf("%.4g", value)`. */
export function formatG4(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? '+Inf' : '-Inf';
  if (value === 0) return '0';
  const sign = value < 0 ? '-' : '';
  const [mantissa, exponentText] = roundTo4Digits(Math.abs(value)).split('e');
  // Go keeps the rounded significant digits without trailing zeros.
  const digits = mantissa.replace('.', '').replace(/0+$/, '');
  const exponent = Number(exponentText);
  const pointPosition = exponent + 1;
  // Go's rule: scientific notation below 1e-4, or from 10^precision, where the precision shrinks
  // to the digit count when the digits need no padding zeros before the point.
  const scientificFrom = digits.length < 4 && digits.length >= pointPosition ? digits.length : 4;
  if (exponent < -4 || exponent >= scientificFrom) {
    const fraction = digits.slice(1);
    const exponentDigits = String(Math.abs(exponent)).padStart(2, '0');
    return `${sign}${digits[0]}${fraction ? `.${fraction}` : ''}e${exponent < 0 ? '-' : '+'}${exponentDigits}`;
  }
  if (pointPosition <= 0) return `${sign}0.${'0'.repeat(-pointPosition)}${digits}`;
  if (pointPosition >= digits.length) return `${sign}${digits}${'0'.repeat(pointPosition - digits.length)}`;
  return `${sign}${digits.slice(0, pointPosition)}.${digits.slice(pointPosition)}`;
}

/**
 * `d.ddde±x`: JavaScript rounds a tie away from zero, Go to even. A double's exact decimal
 * expansion is finite, so 100 digits show whether the fifth digit onwards is exactly 5000….
 */
function roundTo4Digits(value: number): string {
  const [exact, exponent] = value.toExponential(99).split('e');
  const digits = exact.replace('.', '');
  const tie = digits[4] === '5' && /^0*$/.test(digits.slice(5));
  if (!tie || Number(digits[3]) % 2 === 1) return value.toExponential(3);
  return `${digits[0]}.${digits.slice(1, 4)}e${exponent}`;
}
