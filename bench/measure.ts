/**
 * What one synthesized app weighs: resources and template bytes per stack, as CloudFormation
 * receives them. Pure functions over the cloud assembly's templates, plus the statistics the
 * benchmark reports.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { CloudAssembly } from 'aws-cdk-lib/cx-api';

export interface StackWeight {
  readonly stackName: string;
  readonly resources: number;
  /** The template file's size: what CloudFormation's template-size limit counts. */
  readonly bytes: number;
  readonly outputs: number;
}

export interface AppWeight {
  readonly stacks: readonly StackWeight[];
  readonly maxResources: number;
  readonly totalResources: number;
  readonly maxBytes: number;
  readonly totalBytes: number;
}

interface TemplateShape {
  readonly Resources?: Record<string, unknown>;
  readonly Outputs?: Record<string, unknown>;
}

/** The weight of every stack of a synthesized assembly. */
export function assemblyWeight(assembly: CloudAssembly): AppWeight {
  return appWeight(
    assembly.stacks.map((stack) => {
      const template = stack.template as TemplateShape;
      return {
        stackName: stack.stackName,
        resources: Object.keys(template.Resources ?? {}).length,
        bytes: statSync(join(assembly.directory, stack.templateFile)).size,
        outputs: Object.keys(template.Outputs ?? {}).length,
      };
    }),
  );
}

export function appWeight(stacks: readonly StackWeight[]): AppWeight {
  const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);
  return {
    stacks,
    maxResources: Math.max(0, ...stacks.map((s) => s.resources)),
    totalResources: sum(stacks.map((s) => s.resources)),
    maxBytes: Math.max(0, ...stacks.map((s) => s.bytes)),
    totalBytes: sum(stacks.map((s) => s.bytes)),
  };
}

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Least-squares slope of y over x: the cost of one more service, whatever the fixed part. */
export function slope(points: readonly (readonly [number, number])[]): number {
  const n = points.length;
  if (n < 2) throw new Error('slope needs two points');
  const meanX = points.reduce((a, [x]) => a + x, 0) / n;
  const meanY = points.reduce((a, [, y]) => a + y, 0) / n;
  const numerator = points.reduce((a, [x, y]) => a + (x - meanX) * (y - meanY), 0);
  const denominator = points.reduce((a, [x]) => a + (x - meanX) ** 2, 0);
  return numerator / denominator;
}
