import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SERVER_NODE_FLAGS } from './server-node-flags.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

describe('the flags the server runs with', () => {
  it('are the same in npm start, in the image and in the benches', async () => {
    const packageJson = JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    const dockerfile = await readFile(path.join(root, 'Dockerfile'), 'utf8');
    const imageCommand = dockerfile.split('\n').find((line) => line.startsWith('CMD '));
    expect(imageCommand).toBeDefined();
    for (const flag of SERVER_NODE_FLAGS) {
      expect(packageJson.scripts.start).toContain(` ${flag} `);
      expect(imageCommand).toContain(`"${flag}"`);
    }
  });
});
