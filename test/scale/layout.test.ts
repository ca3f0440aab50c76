/**
 * The scale guard's split rule for 500 services, from the profile alone (no synth): the views
 * split into groups of 50 in declared order, each group a stack, and every estimated stack stays
 * under every CloudFormation limit. The real synth is scripts/check-500-services.sh.
 */
import { scaledProfile } from '../../bench/profiles';
import type { EnvironmentProfile } from '../../lib/profile/schema';
import { loadEnvironmentProfiles } from '../../lib/profile-loader/load';
import {
  CLOUDFORMATION_LIMITS,
  estimateEnvironment,
  type StackEstimate,
  viewGroups,
} from '../../lib/profile-loader/scale';
import { exampleEnvironments } from '../support/example-app';

// Without the services observed elsewhere: the generated services are the whole environment.
const prod = (): EnvironmentProfile => ({
  ...loadEnvironmentProfiles(exampleEnvironments()).prod,
  externalServices: undefined,
});
const profile500 = scaledProfile(prod(), 500);

test('500 services split into 10 view groups of 50: the first in the platform stack, then Views2 to Views10', () => {
  const groups = viewGroups(profile500);
  expect(groups.map((g) => [g.stackPart, g.label ?? null, g.services.length])).toEqual([
    ['Platform', null, 50],
    ...Array.from({ length: 9 }, (_, i) => [`Views${i + 2}`, `services-${50 * (i + 1) + 1}-${50 * (i + 2)}`, 50]),
  ]);
});

test('every service is in exactly one view group, in declared order', () => {
  expect(viewGroups(profile500).flatMap((g) => g.services)).toEqual(Object.keys(profile500.services));
});

test('every estimated stack of a 500-service environment is under every CloudFormation limit', () => {
  const estimate = estimateEnvironment(profile500, 'prod');
  const stacks: StackEstimate[] = [estimate.platform, ...estimate.views, ...Object.values(estimate.services)];
  expect(stacks).toHaveLength(510);
  const limits = Object.keys(CLOUDFORMATION_LIMITS) as (keyof typeof CLOUDFORMATION_LIMITS)[];
  const over = stacks.flatMap((stack) =>
    limits.filter((limit) => stack[limit] > CLOUDFORMATION_LIMITS[limit]).map((limit) => `${stack.stackName} ${limit}`),
  );
  expect(over).toEqual([]);
});

test('a service added at the end changes only the last view group', () => {
  const before = viewGroups(scaledProfile(prod(), 120));
  const after = viewGroups(scaledProfile(prod(), 121));
  expect(after.slice(0, 2)).toEqual(before.slice(0, 2));
  expect(after[2].services).toEqual([...before[2].services, Object.keys(scaledProfile(prod(), 121).services)[120]]);
});

test("services observed from other repositories join the view groups after the profile's own", () => {
  const profile = { ...scaledProfile(prod(), 49), externalServices: ['orders', 'checkout'] };
  const groups = viewGroups(profile);
  expect(groups.map((g) => g.services.slice(-2))).toEqual([
    [Object.keys(profile.services)[48], 'orders'],
    ['checkout'],
  ]);
});

test('an environment of one service still has one view group: the platform stack', () => {
  expect(viewGroups(scaledProfile(prod(), 1)).map((g) => g.stackPart)).toEqual(['Platform']);
});
