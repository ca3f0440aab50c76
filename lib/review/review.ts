/**
 * `obsctl review`'s engine: two sides (a cloud assembly and the generated files beside it) in,
 * the list of observability changes out, grouped by environment and service. Pure: it reads
 * files, never AWS, and never our source model.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { reviewAlarms } from './alarms';
import { type Assembly, ReviewInputError, readAssembly } from './assembly';
import { reviewCollectorConfigs } from './collector';
import { type GeneratedFiles, hasGeneratedFiles, NO_GENERATED_FILES, readGeneratedFiles } from './generated';
import { reviewIam } from './iam';
import { reviewLogGroups, reviewSavedQueries } from './log-groups';
import type { Change, ChangeCategory } from './model';
import { reviewDashboards, reviewRuleFiles } from './rules-and-dashboards';
import { reviewTaskDefinitions } from './task-definitions';

export interface ReviewSide {
  readonly assembly: Assembly;
  readonly files: GeneratedFiles;
}

/**
 * One side of a review from a directory: a cloud assembly (manifest.json) whose generated files are
 * beside it (in it, or in its parent: `cdk.out/` in a repository), or a repository root with `cdk.out/`.
 * @throws ReviewInputError when the directory holds no assembly
 */
export function readReviewSide(directory: string): ReviewSide {
  const path = resolve(directory);
  if (!existsSync(path)) throw new ReviewInputError(`${directory}: no such directory.`);
  const assemblyDirectory = existsSync(join(path, 'manifest.json')) ? path : join(path, 'cdk.out');
  const assembly = readAssembly(assemblyDirectory);
  const filesRoot = [assemblyDirectory, dirname(assemblyDirectory)].find(hasGeneratedFiles);
  return { assembly, files: filesRoot === undefined ? NO_GENERATED_FILES : readGeneratedFiles(filesRoot) };
}

/** The order categories are printed in: what pages people first. */
export const CATEGORY_ORDER: readonly ChangeCategory[] = [
  'alarms',
  'prometheus rules',
  'collector',
  'log groups',
  'saved queries',
  'iam',
  'task definitions',
  'dashboards',
];

export interface Review {
  readonly changes: readonly Change[];
  /** `environment/service: subject: risk` for every risk, in print order. */
  readonly risks: readonly string[];
}

export function review(base: ReviewSide, head: ReviewSide): Review {
  const changes = [
    ...reviewAlarms(base.assembly, head.assembly),
    ...reviewLogGroups(base.assembly, head.assembly),
    ...reviewSavedQueries(base.assembly, head.assembly),
    ...reviewIam(base.assembly, head.assembly),
    ...reviewTaskDefinitions(base.assembly, head.assembly, { base: base.files, head: head.files }),
    ...reviewCollectorConfigs(base.files, head.files),
    ...reviewRuleFiles(base.files.ruleFiles, head.files.ruleFiles),
    ...reviewDashboards(base.files.dashboards, head.files.dashboards),
  ].sort(compareChanges);
  return {
    changes,
    risks: changes.flatMap((change) =>
      change.risks.map((risk) => `${change.environment}/${change.service}: ${change.subject}: ${risk}`),
    ),
  };
}

function compareChanges(a: Change, b: Change): number {
  return (
    a.environment.localeCompare(b.environment) ||
    a.service.localeCompare(b.service) ||
    CATEGORY_ORDER.indexOf(a.category) - CATEGORY_ORDER.indexOf(b.category) ||
    a.subject.localeCompare(b.subject)
  );
}
