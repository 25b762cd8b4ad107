import {
  cpSync,
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import type { PlantedBug } from './catalogue';

/**
 * Makes a scratch copy of the code a simulation needs (src/, sim/, package.json, tsconfig.json,
 * with node_modules linked) and plants one bug in it. Returns an error message when the bug's
 * `find` text does not occur exactly once, so a stale catalogue entry is reported, not run.
 */
export function plantInScratch(
  repoRoot: string,
  scratchRoot: string,
  bug: PlantedBug,
): string | null {
  const target = join(scratchRoot, bug.id);
  rmSync(target, { recursive: true, force: true });
  mkdirSync(target, { recursive: true });
  for (const entry of ['src', 'sim']) {
    cpSync(join(repoRoot, entry), join(target, entry), {
      recursive: true,
      filter: (path) => !path.includes('__tests__'),
    });
  }
  for (const file of ['package.json', 'tsconfig.json'])
    cpSync(join(repoRoot, file), join(target, file));
  if (!existsSync(join(target, 'node_modules'))) {
    symlinkSync(join(repoRoot, 'node_modules'), join(target, 'node_modules'), 'dir');
  }
  const path = join(target, bug.file);
  if (!existsSync(path)) return `${bug.file} does not exist`;
  const source = readFileSync(path, 'utf8');
  const occurrences = source.split(bug.find).length - 1;
  if (occurrences !== 1)
    return `the text to replace occurs ${occurrences} times in ${bug.file} (expected once)`;
  writeFileSync(path, source.replace(bug.find, bug.replace));
  return null;
}

/** The scratch folder of one bug. */
export function scratchDir(scratchRoot: string, bug: PlantedBug): string {
  return join(scratchRoot, bug.id);
}
