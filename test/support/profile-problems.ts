import { loadEnvironmentProfiles, ProfileError } from '../../lib/profile-loader/load';

// biome-ignore lint/suspicious/noExplicitAny: the tests break untyped JSON on purpose, at any depth.
export type RawEnvironments = Record<string, any>;

/**
 * The problems the profile loader reports after `mutate` has broken `environments` (a fresh copy
 * the caller owns).
 * @throws Error when the broken profiles load anyway
 */
export function profileProblems(
  environments: RawEnvironments,
  mutate: (environments: RawEnvironments) => void,
): readonly string[] {
  mutate(environments);
  try {
    loadEnvironmentProfiles(environments);
  } catch (error) {
    if (error instanceof ProfileError) return error.problems;
    throw error;
  }
  throw new Error('expected the profiles to be rejected');
}
