import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import semver from 'semver';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

interface LockedPackage {
  version?: string;
  engines?: { node?: string } | string[];
}

async function readJson<T>(file: string): Promise<T> {
  return JSON.parse(await readFile(path.join(root, file), 'utf8')) as T;
}

describe('the installed dependencies', () => {
  // The machines and the image run Node.js 20 (decision 001). A package whose authors dropped Node 20
  // may still load today, but nobody tests it there: its next patch can break the server (decision 188).
  it('all declare support for the oldest Node.js the product says it runs on', async () => {
    const product = await readJson<{ engines: { node: string } }>('package.json');
    const oldest = semver.minVersion(product.engines.node)?.version;
    expect(oldest).toMatch(/^20\./);

    const lock = await readJson<{ packages: Record<string, LockedPackage> }>('package-lock.json');
    const unsupported = Object.entries(lock.packages).flatMap(([where, locked]) => {
      const wanted = Array.isArray(locked.engines) ? undefined : locked.engines?.node;
      if (!where || !wanted || semver.satisfies(oldest ?? '', wanted)) return [];
      return [`${where.replace(/^.*node_modules\//, '')}@${locked.version} wants Node.js ${wanted}`];
    });
    expect(unsupported).toEqual([]);
  });
});
