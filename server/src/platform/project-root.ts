import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The repository root, found by walking up from this module to the nearest package.json, so the
 * same code finds migrations and reference data whether it runs from source (tsx, vitest) or
 * from the bundle `npm start` builds into dist/.
 */
export const projectRoot: string = (() => {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'package.json'))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error('package.json not found above the server code');
    dir = up;
  }
  return dir;
})();

export const projectPath = (...parts: string[]): string => path.join(projectRoot, ...parts);
