/**
 * Where one synth spends its time: a V8 CPU profile of one observed N-service build + synth (after
 * a warm-up, so module loading is not in it), summarized by self time per area of code.
 *   tsx bench/cpu-profile.ts <services>
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { BASE_ENVIRONMENT, cdkContext, cdkProfiles } from './context';
import { scaledProfile } from './profiles';
import { buildVariant } from './variants';

/** The parts of a `.cpuprofile` the summary reads. */
export interface CpuProfile {
  readonly nodes: readonly {
    readonly id: number;
    readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
  }[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

export interface ProfileShare {
  readonly name: string;
  readonly ms: number;
  readonly percent: number;
}

export interface ProfileSummary {
  readonly totalMs: number;
  /** Self time by area: a package, a module of this repository, or the engine (GC, natives). */
  readonly areas: readonly ProfileShare[];
  /** The functions with the most self time. */
  readonly functions: readonly ProfileShare[];
}

/**
 * The area a frame's self time is charged to: `node_modules/aws-cdk-lib/core/lib/x.js` ->
 * `aws-cdk-lib/core`, `lib/constructs/x.ts` -> `this repo: lib/constructs`, a frame without a
 * script -> garbage collection or native code (fs writes, JSON, RegExp).
 */
export function areaOf(functionName: string, url: string): string {
  if (url === '') {
    if (functionName === '(garbage collector)') return 'garbage collection';
    return /^\((program|idle|root)\)$/.test(functionName) ? 'engine' : 'native code (fs, JSON, RegExp)';
  }
  const path = url.replace(/^file:\/\//, '');
  const inModules = /node_modules\/((?:@[^/]+\/)?[^/]+)\/(?:lib\/)?([^/]+)?/.exec(path);
  if (inModules !== null) {
    const [, pkg, first] = inModules;
    return pkg === 'aws-cdk-lib' && first !== undefined && !first.endsWith('.js') ? `aws-cdk-lib/${first}` : pkg;
  }
  if (path.startsWith('node:')) return 'node built-ins';
  const inRepo = /\/(lib|bench|bin)\/([^/]+)\//.exec(path);
  if (inRepo !== null) return `this repo: ${inRepo[1]}/${inRepo[2]}`;
  return path.split('/').slice(-2).join('/');
}

export function summarizeCpuProfile(profile: CpuProfile, top = 12): ProfileSummary {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
  const byArea = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, index) => {
    const micros = profile.timeDeltas[index] ?? 0;
    const frame = nodes.get(id);
    if (frame === undefined) return;
    total += micros;
    const area = areaOf(frame.functionName, frame.url);
    byArea.set(area, (byArea.get(area) ?? 0) + micros);
    const fn = `${frame.functionName || '(anonymous)'} (${area})`;
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + micros);
  });
  const shares = (map: Map<string, number>) =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, micros]) => ({ name, ms: micros / 1000, percent: (100 * micros) / total }));
  return { totalMs: total / 1000, areas: shares(byArea), functions: shares(byFunction) };
}

function buildAndSynth(services: number): void {
  const outdir = mkdtempSync(join(tmpdir(), 'bench-profile-'));
  try {
    const app = new App({ context: { ...cdkContext() }, outdir, builtinCloudFormationValidation: false });
    buildVariant(app, 'observed', BASE_ENVIRONMENT, scaledProfile(cdkProfiles()[BASE_ENVIRONMENT], services));
    app.synth();
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

export async function profileObservedSynth(services: number): Promise<ProfileSummary> {
  buildAndSynth(services); // warm-up
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 500 });
  await session.post('Profiler.start');
  buildAndSynth(services);
  const { profile } = await session.post('Profiler.stop');
  session.disconnect();
  return summarizeCpuProfile(profile as unknown as CpuProfile);
}

if (require.main === module) {
  profileObservedSynth(Number(process.argv[2] ?? 50)).then((summary) =>
    process.stdout.write(`${JSON.stringify(summary)}\n`),
  );
}
