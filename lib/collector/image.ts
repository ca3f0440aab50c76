/**
 * The collector image a profile runs: `collector.image`, a reference to the pinned distribution
 * (its tag must be that distribution's version, since every generated config is checked against
 * that version's components and keys), best pinned by digest as well, so that a tag pushed again
 * cannot change the collector under a running environment. Pure.
 */

import type { EnvironmentProfile } from '../profile/schema';
import { distributionLabel, PINNED_DISTRIBUTION } from './distributions';

export interface ImageReference {
  /** `ghcr.io/open-telemetry/.../opentelemetry-collector-contrib` */
  readonly repository: string;
  readonly tag?: string;
  /** `sha256:` and 64 lower-case hex digits. */
  readonly digest?: string;
}

/** `registry/path:tag@sha256:hex`, tag and digest each optional (docker/distribution's reference grammar, simplified). */
const REFERENCE =
  /^(?<repository>[a-z0-9]+(?:[._-][a-z0-9]+)*(?::\d+)?(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)+)(?::(?<tag>[\w][\w.-]{0,127}))?(?:@(?<digest>[^@]+))?$/;

const SHA256_DIGEST = /^sha256:[0-9a-f]{64}$/;

/** The reference split into its parts; undefined when it is not an image reference. */
export function parseImageReference(reference: string): ImageReference | undefined {
  const groups = REFERENCE.exec(reference)?.groups;
  if (groups === undefined) return undefined;
  return {
    repository: groups.repository,
    ...(groups.tag === undefined ? {} : { tag: groups.tag }),
    ...(groups.digest === undefined ? {} : { digest: groups.digest }),
  };
}

/** What the profile asks for, or the pinned distribution's own image. */
function configuredImage(profile: EnvironmentProfile): string {
  return profile.collector?.image ?? PINNED_DISTRIBUTION.image;
}

/**
 * What the collector containers run: `repository@digest` when the profile pins a digest (the tag
 * only documents the version), else `repository:tag`.
 */
export function collectorImage(profile: EnvironmentProfile): string {
  const image = configuredImage(profile);
  const reference = parseImageReference(image);
  if (reference?.digest === undefined) return image;
  return `${reference.repository}@${reference.digest}`;
}

/** Problems of `collector.image`, one line each with the fix; empty when it is absent or sound. */
export function collectorImageProblems(profile: EnvironmentProfile, path: string): string[] {
  const image = profile.collector?.image;
  if (image === undefined) return [];
  const where = `${path}.collector.image`;
  const version = PINNED_DISTRIBUTION.version;
  const example = `${PINNED_DISTRIBUTION.image}@sha256:<digest>`;
  const reference = parseImageReference(image);
  if (reference === undefined) {
    return [
      `${where}: "${image}" is not an image reference. Use registry/repository:tag@sha256:digest, e.g. ${example}`,
    ];
  }
  const problems: string[] = [];
  if (reference.digest !== undefined && !SHA256_DIGEST.test(reference.digest)) {
    problems.push(
      `${where}: the digest "${reference.digest}" is malformed; a digest is "sha256:" and 64 lower-case hex digits. ` +
        `Copy it from the registry (crane digest ${reference.repository}:${version})`,
    );
  }
  if (reference.tag !== version) {
    problems.push(
      `${where}: ${reference.tag === undefined ? 'has no tag' : `the tag "${reference.tag}" is not ${version}`}; the ` +
        `generated configs are checked against ${distributionLabel(PINNED_DISTRIBUTION)}, so the image must be that ` +
        `version. Use ${example}`,
    );
  }
  return problems;
}

/**
 * Warnings (synth goes on): a production environment whose collector image is a tag alone, the
 * default included.
 */
export function collectorImageWarnings(profile: EnvironmentProfile, path: string): string[] {
  if (!profile.production) return [];
  const image = configuredImage(profile);
  if (parseImageReference(image)?.digest !== undefined) return [];
  return [
    `${path}.collector.image: "${image}" is a tag without a digest in a production environment: a tag pushed again ` +
      `would change the collector of new tasks. Pin it: "${image}@sha256:<digest>" (the digest of the tag's image index)`,
  ];
}
