import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  hitCount?: number;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileShare {
  /** Where self time went: a package (mongodb, @temporalio/worker…), our code, node internals, idle, GC. */
  where: string;
  ms: number;
  share: number;
}

/** The bucket a frame's self time counts under: the package for node_modules, else the project folder. */
function bucketOf(frame: ProfileNode['callFrame']): string {
  const { url, functionName } = frame;
  if (functionName === '(idle)' || functionName === '(program)' || functionName === '(garbage collector)')
    return functionName;
  if (url === '') return '(native)';
  // The workflow sandbox runs the prebuilt bundle: our workflow and interpreter code, and the SDK's.
  if (url.includes('workflow-bundle')) return 'workflow bundle (workflows/, engine/)';
  const modules = url.lastIndexOf('node_modules/');
  if (modules >= 0) {
    const rest = url.slice(modules + 'node_modules/'.length).split('/');
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  if (url.startsWith('node:')) return 'node internals';
  const project = url.match(/\/work\/[^/]+\/([^/]+)\//);
  return project ? `our code: ${project[1]}/` : url;
}

/**
 * Self time per bucket from the .cpuprofile files a process wrote with --cpu-prof: the split of a
 * process's CPU between the MongoDB driver, the Temporal SDK, our own code and Node itself.
 */
export function summarizeCpuProfiles(dir: string, top = 12): ProfileShare[] {
  const totals = new Map<string, number>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'))) {
    const profile = JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile;
    const byId = new Map(profile.nodes.map((n) => [n.id, n]));
    profile.samples.forEach((id, i) => {
      const node = byId.get(id);
      if (!node) return;
      const bucket = bucketOf(node.callFrame);
      totals.set(bucket, (totals.get(bucket) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
    });
  }
  const busy = [...totals].filter(([where]) => where !== '(idle)');
  const sum = busy.reduce((s, [, ms]) => s + ms, 0) || 1;
  return busy
    .map(([where, ms]) => ({ where, ms: Math.round(ms), share: Math.round((ms / sum) * 1000) / 1000 }))
    .sort((a, b) => b.ms - a.ms)
    .slice(0, top);
}

/*
 * Plain JavaScript, written next to the profiles and loaded with NODE_OPTIONS="--import <file>":
 * Node refuses --cpu-prof in NODE_OPTIONS, and the worker is spawned by devstack, so it profiles
 * itself through an in-thread inspector session, which answers synchronously: that is what lets
 * the 'exit' handler write the profile. Plain JS because it runs before tsx is loaded.
 * Worker threads do not run --import preloads, and the workflows run in one (the SDK's workflow
 * thread): the preload wraps worker_threads.Worker so that each thread started after it first
 * starts its own session. The SDK ends that thread with terminate(), which runs no 'exit' handler,
 * so a thread writes its profile every few seconds instead (one file per stretch, summed after).
 */
const PRELOAD = `
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Session } from 'node:inspector';
const require = createRequire(import.meta.url);
const dir = process.env.CPU_PROFILE_DIR;
if (dir) {
  const session = new Session();
  session.connect();
  session.post('Profiler.enable');
  session.post('Profiler.setSamplingInterval', { interval: 1000 });
  session.post('Profiler.start');
  process.once('exit', () => {
    session.post('Profiler.stop', (error, result) => {
      if (!error) writeFileSync(dir + '/' + process.pid + '-0.cpuprofile', JSON.stringify(result.profile));
    });
  });
  const threads = require('node:worker_threads');
  const Original = threads.Worker;
  const inThread = \`
    const { writeFileSync } = require('node:fs');
    const { Session } = require('node:inspector');
    const { threadId } = require('node:worker_threads');
    const session = new Session();
    session.connect();
    session.post('Profiler.enable');
    session.post('Profiler.setSamplingInterval', { interval: 1000 });
    session.post('Profiler.start');
    let stretch = 0;
    setInterval(() => {
      session.post('Profiler.stop', (error, result) => {
        if (!error) writeFileSync(\${JSON.stringify(dir)} + '/' + process.pid + '-' + threadId + '-' + stretch++ + '.cpuprofile', JSON.stringify(result.profile));
        session.post('Profiler.start');
      });
    }, 5000).unref();
  \`;
  threads.Worker = class extends Original {
    constructor(filename, options) {
      if (typeof filename !== 'string' || (options && options.eval)) super(filename, options);
      else super(inThread + 'require(' + JSON.stringify(filename) + ');', { ...options, eval: true });
    }
  };
}
`;

/** Environment that makes a spawned Node process (the worker) profile itself into `dir` until it exits. */
export function cpuProfileEnv(dir: string): Record<string, string> {
  const preload = join(dir, 'profile-preload.mjs');
  writeFileSync(preload, PRELOAD);
  return { NODE_OPTIONS: `--import ${preload}`, CPU_PROFILE_DIR: dir };
}
