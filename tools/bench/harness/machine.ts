import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { resolve } from 'node:path';
import { MongoClient } from 'mongodb';
import { BINARIES } from '../../devstack/paths';

const REPO = resolve(__dirname, '..', '..', '..');

/** What a result was measured on: figures from different machines or servers are not comparable. */
export interface MachineInfo {
  cores: number;
  cpuModel: string;
  memoryGiB: number;
  node: string;
  temporalCli: string;
  ferretDb: string;
  temporalSdk: string;
  gitCommit: string;
}

function run(command: string, args: string[]): string {
  try {
    return execFileSync(command, args, { cwd: REPO, encoding: 'utf8' }).trim();
  } catch (error) {
    return `unknown (${error instanceof Error ? error.message.split('\n')[0] : String(error)})`;
  }
}

/** A module's version as tools/devstack/ferretdb/go.mod pins it (the binary is built from there). */
function goModVersion(module: string): string | undefined {
  try {
    const goMod = readFileSync(resolve(REPO, 'tools', 'devstack', 'ferretdb', 'go.mod'), 'utf8');
    return goMod.match(new RegExp(`${module.replace(/\./g, '\\.')} (v[^\\s]+)`))?.[1];
  } catch {
    return undefined;
  }
}

/**
 * The server's own answer to buildInfo (the MongoDB version it emulates), and the FerretDB and
 * SQLite driver versions our embedded build (tools/devstack/ferretdb) pins: the embedded FerretDB does
 * not report its own version over the wire.
 */
async function ferretDbVersion(mongodbUri: string): Promise<string> {
  const client = await MongoClient.connect(mongodbUri);
  try {
    const info = await client.db('admin').command({ buildInfo: 1 });
    const wire = typeof info.version === 'string' ? info.version : '?';
    const ferret = goModVersion('github.com/FerretDB/FerretDB');
    const sqlite = goModVersion('modernc.org/sqlite');
    return ferret === undefined
      ? `MongoDB-wire server ${wire}`
      : `FerretDB ${ferret} embedded (SQLite: modernc.org/sqlite ${sqlite ?? '?'}; buildInfo ${wire})`;
  } finally {
    await client.close();
  }
}

export async function machineInfo(mongodbUri: string): Promise<MachineInfo> {
  const sdk = JSON.parse(
    readFileSync(resolve(REPO, 'node_modules', '@temporalio', 'worker', 'package.json'), 'utf8'),
  ) as { version: string };
  return {
    cores: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    temporalCli: run(BINARIES.temporal, ['--version']),
    ferretDb: await ferretDbVersion(mongodbUri),
    temporalSdk: sdk.version,
    gitCommit: run('git', ['rev-parse', '--short', 'HEAD']),
  };
}

export function formatMachine(info: MachineInfo): string {
  return [
    `machine: ${info.cores} cores (${info.cpuModel}), ${info.memoryGiB} GiB, node ${info.node}`,
    `servers: ${info.temporalCli}; ${info.ferretDb}; Temporal TS SDK ${info.temporalSdk}; commit ${info.gitCommit}`,
  ].join('\n');
}
