import type { Random } from '@hourglass/common';

import type { JsonValue, ParameterSpec, RangeSpec } from './sweep-spec.ts';

// Grid points are computed in floating point; twelve significant digits
// keep 1e-3 from being stored as 0.0010000000000000002.
const SIGNIFICANT_DIGITS = 12;

function tidy(value: number): number {
  return Number(value.toPrecision(SIGNIFICANT_DIGITS));
}

function spacedPoints(range: RangeSpec, steps: number): number[] {
  if (steps === 1) return [range.min];
  const isLog = range.distribution === 'log-uniform';
  const low = isLog ? Math.log10(range.min) : range.min;
  const high = isLog ? Math.log10(range.max) : range.max;
  return Array.from({ length: steps }, (_, index) => {
    const point = low + ((high - low) * index) / (steps - 1);
    return isLog ? 10 ** point : point;
  });
}

function integerPoints(range: RangeSpec): number[] {
  if (range.steps === undefined) {
    return Array.from({ length: range.max - range.min + 1 }, (_, index) => range.min + index);
  }
  // Rounding evenly spaced points can land two on one integer: keep each once.
  return [...new Set(spacedPoints(range, range.steps).map(Math.round))];
}

/**
 * How many values a grid takes for one parameter, computed without listing
 * them, so that a grid too large to expand can be refused first.
 */
export function countGridValues(parameter: ParameterSpec): number {
  if (Array.isArray(parameter)) return parameter.length;
  if (parameter.distribution === 'integer') {
    const integers = parameter.max - parameter.min + 1;
    return parameter.steps === undefined ? integers : integerPoints(parameter).length;
  }
  // A parsed grid range always has steps; random search never asks.
  return parameter.steps ?? 1;
}

/**
 * Every value a grid takes for one parameter, in order: a list as given, a
 * range as `steps` points from min to max (evenly spaced in log10 for
 * log-uniform; min alone when steps is 1), an integer range without steps
 * as every integer from min to max.
 */
export function listGridValues(parameter: ParameterSpec): JsonValue[] {
  if (Array.isArray(parameter)) return parameter;
  if (parameter.distribution === 'integer') return integerPoints(parameter);
  return spacedPoints(parameter, parameter.steps ?? 1).map(tidy);
}

/**
 * Draws one value of a parameter: a list's values are equally likely; a
 * uniform range is uniform on [min, max), a log-uniform one uniform in
 * log space, an integer one uniform over min..max inclusive.
 */
export function sampleValue(parameter: ParameterSpec, random: Random): JsonValue {
  if (Array.isArray(parameter)) {
    return parameter[Math.floor(random() * parameter.length)];
  }
  const { min, max } = parameter;
  switch (parameter.distribution) {
    case 'uniform':
      return min + random() * (max - min);
    case 'log-uniform': {
      const drawn = Math.exp(Math.log(min) + random() * (Math.log(max) - Math.log(min)));
      // exp(log(x)) can miss x by a rounding step; the bounds are promised.
      return Math.min(max, Math.max(min, drawn));
    }
    case 'integer':
      return min + Math.floor(random() * (max - min + 1));
  }
}
