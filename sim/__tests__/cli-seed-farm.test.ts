import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments, parse as parseYaml } from 'yaml';
import { type CliOptions, parseArgs } from '../cli/args';
import { REPO_ROOT } from '../cli/paths';
import { FAULT_PROFILE_NAMES } from '../faults/profiles';

type Yaml = Record<string, unknown>;

/** GitHub Actions expressions as the workflow spells them (not JavaScript templates). */
// biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub Actions expression
const MATRIX_SHARD = '${{ matrix.shard }}';
// biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub Actions expression
const MATRIX_FAULTS = '${{ matrix.faults }}';

function field(value: unknown, ...path: (string | number)[]): unknown {
  let current = value;
  for (const key of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string | number, unknown>)[key];
  }
  return current;
}

/**
 * Runs `script` in `sh` with `npm`, `mkdir` and `cp` replaced by shell functions (nothing is run
 * or written), and returns the simulator options of the `npm run sim -- …` call it makes.
 */
function simOptionsOf(script: string, env: Record<string, string>): CliOptions {
  const stubs = [
    `npm() { if [ "$1 $2 $3" != "run sim --" ]; then echo "not npm run sim --: $*" >&2; return 9; fi; shift 3; for word in "$@"; do printf '%s\\0' "$word"; done; }`,
    'mkdir() { :; }',
    'cp() { :; }',
  ].join('\n');
  const done = spawnSync('sh', ['-c', `${stubs}\n${script}`], {
    env: { PATH: process.env.PATH ?? '', ...env },
    encoding: 'utf8',
  });
  expect(done.stderr).toBe('');
  expect(done.status).toBe(0);
  const argv = done.stdout.split('\0').slice(0, -1);
  const parsed = parseArgs(argv);
  if (!parsed.ok) throw new Error(`the manifest's options are refused: ${parsed.error}`);
  return parsed.value;
}

describe('GitHub Actions seed farm (.github/workflows/soak.yml)', () => {
  const text = readFileSync(join(REPO_ROOT, '.github', 'workflows', 'soak.yml'), 'utf8');
  const workflow = parseYaml(text) as Yaml;
  const shardJob = field(workflow, 'jobs', 'shard') as Yaml;
  const steps = field(shardJob, 'steps') as Yaml[];
  const shardCount = Number(field(workflow, 'env', 'SHARD_COUNT'));
  const matrix = field(shardJob, 'strategy', 'matrix') as { faults: string[]; shard: number[] };

  it('is a matrix over every shard of every profile, run by hand or on a schedule', () => {
    expect(field(workflow, 'on', 'workflow_dispatch', 'inputs', 'seeds', 'default')).toMatch(
      /^\d+\.\.\d+$/,
    );
    expect(field(workflow, 'on', 'schedule', 0, 'cron')).toBeTypeOf('string');
    expect(matrix.shard).toEqual(Array.from({ length: shardCount }, (_, index) => index + 1));
    expect(matrix.faults).toEqual(['default', 'chaos', 'swarm', 'trim', 'reincarnation']);
    for (const faults of matrix.faults) expect(FAULT_PROFILE_NAMES).toContain(faults);
    expect(field(shardJob, 'strategy', 'fail-fast')).toBe(false);
  });

  it('runs each shard with --shard i/n and writes its summary', () => {
    const run = steps.find((step) => String(step.run ?? '').includes('npm run sim'));
    const script = String(run?.run)
      .replaceAll(MATRIX_SHARD, '3')
      .replaceAll(MATRIX_FAULTS, 'chaos');
    const options = simOptionsOf(script, { SEEDS: '1..3334', SHARD_COUNT: String(shardCount) });
    expect(options.mode).toEqual({ kind: 'seeds', range: { first: 1, last: 3334 } });
    expect(options.shard).toEqual({ index: 3, count: shardCount });
    expect(options.faults).toBe('chaos');
    expect(options.summaryJson).toBe('soak/summary-chaos-3.json');
    expect(options.reportDir).toBe('soak/reports');
  });

  it('uploads the summary and the failing plans even when the shard fails', () => {
    const plans = steps.find((step) => String(step.run ?? '').includes('-min.json'));
    expect(plans?.if).toBe('always()');
    expect(String(plans?.run)).toContain('cp reports/*-min.json soak/plans/');
    const upload = steps.find((step) =>
      String(step.uses ?? '').startsWith('actions/upload-artifact'),
    );
    expect(upload?.if).toBe('always()');
    expect(field(upload, 'with', 'path')).toBe('soak/');
    expect(String(field(upload, 'with', 'name'))).toContain(MATRIX_SHARD);
  });

  it('merges every shard artefact into one report', () => {
    const merge = field(workflow, 'jobs', 'merge') as Yaml;
    expect(merge.needs).toBe('shard');
    expect(merge.if).toBe('always()');
    const mergeSteps = merge.steps as Yaml[];
    const download = mergeSteps.find((step) =>
      String(step.uses ?? '').startsWith('actions/download-artifact'),
    );
    expect(field(download, 'with', 'pattern')).toBe('soak-*');
    const run = mergeSteps.find((step) => String(step.run ?? '').includes('--merge'));
    const options = simOptionsOf(String(run?.run), {});
    expect(options.mode).toEqual({ kind: 'merge', paths: [field(download, 'with', 'path')] });
    expect(options.summaryJson).toBe('merged/merged.json');
  });
});

describe('Kubernetes seed farm (deploy/k8s)', () => {
  const documents = parseAllDocuments(
    readFileSync(join(REPO_ROOT, 'deploy', 'k8s', 'soak-job.yaml'), 'utf8'),
  ).map((document) => {
    expect(document.errors).toEqual([]);
    return document.toJS() as Yaml;
  });
  const job = documents.find((document) => document.kind === 'Job') as Yaml;
  const claim = documents.find((document) => document.kind === 'PersistentVolumeClaim') as Yaml;
  const pod = field(job, 'spec', 'template', 'spec') as Yaml;
  const container = field(pod, 'containers', 0) as Yaml;
  const env = Object.fromEntries(
    (container.env as { name: string; value: string }[]).map(({ name, value }) => [name, value]),
  );

  it('is an Indexed Job with one pod per shard', () => {
    expect(job.apiVersion).toBe('batch/v1');
    expect(field(job, 'spec', 'completionMode')).toBe('Indexed');
    expect(field(job, 'spec', 'completions')).toBe(Number(env.SHARD_COUNT));
    expect(field(job, 'spec', 'parallelism')).toBeLessThanOrEqual(Number(env.SHARD_COUNT));
    expect(pod.restartPolicy).toBe('Never');
    expect(FAULT_PROFILE_NAMES).toContain(env.FAULTS);
  });

  it('maps JOB_COMPLETION_INDEX (0-based) to --shard (1-based) and writes to the results volume', () => {
    const script = String(field(container, 'args', 0));
    for (const index of [0, Number(env.SHARD_COUNT) - 1]) {
      const options = simOptionsOf(script, { ...env, JOB_COMPLETION_INDEX: String(index) });
      expect(options.shard).toEqual({ index: index + 1, count: Number(env.SHARD_COUNT) });
      expect(options.mode).toMatchObject({ kind: 'seeds' });
      expect(options.summaryJson).toBe(`/results/${env.FAULTS}-${index + 1}/summary.json`);
    }
    expect(field(container, 'volumeMounts', 0, 'mountPath')).toBe('/results');
    expect(field(pod, 'volumes', 0, 'persistentVolumeClaim', 'claimName')).toBe(
      field(claim, 'metadata', 'name'),
    );
  });

  it('does not retry a violation (deterministic) and stops the Job on bad usage', () => {
    const rules = field(job, 'spec', 'podFailurePolicy', 'rules') as Yaml[];
    const actionFor = (code: number) =>
      rules.find((rule) => (field(rule, 'onExitCodes', 'values') as number[]).includes(code))
        ?.action;
    expect(actionFor(1)).toBe('FailIndex');
    expect(actionFor(2)).toBe('FailJob');
    expect(field(job, 'spec', 'backoffLimitPerIndex')).toBeGreaterThan(0);
  });

  it('merges the results volume with --merge, from the same image', () => {
    const merge = parseYaml(
      readFileSync(join(REPO_ROOT, 'deploy', 'k8s', 'merge-job.yaml'), 'utf8'),
    ) as Yaml;
    const mergeContainer = field(merge, 'spec', 'template', 'spec', 'containers', 0) as Yaml;
    expect(mergeContainer.image).toBe(container.image);
    const command = mergeContainer.command as string[];
    expect(command.slice(0, 4)).toEqual(['npm', 'run', 'sim', '--']);
    const options = parseArgs(command.slice(4));
    expect(options.ok && options.value.mode).toEqual({ kind: 'merge', paths: ['/results'] });
    const dockerfile = readFileSync(join(REPO_ROOT, 'deploy', 'k8s', 'Dockerfile'), 'utf8');
    for (const line of ['RUN npm ci', 'COPY src ./src', 'COPY sim ./sim', 'COPY server ./server'])
      expect(dockerfile).toContain(line);
  });
});
