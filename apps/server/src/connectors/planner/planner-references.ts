import type { PlacedFile } from '../m365/drive-files.js';

/**
 * Planner keys a task's references by URL with `%`, `.`, `:`, `@` and `#` percent-encoded
 * (docs/microsoft-365.md §7.2); `%` first, so the escapes added after it stay intact.
 */
export function plannerReferenceKey(url: string): string {
  return url
    .replaceAll('%', '%25')
    .replaceAll('.', '%2E')
    .replaceAll(':', '%3A')
    .replaceAll('@', '%40')
    .replaceAll('#', '%23');
}

/** Planner shows at most this many references on a task (docs/microsoft-365.md §7.2, _unclear_). */
export const MAX_REFERENCES = 10;

export function referencesOf(files: PlacedFile[]): Record<string, unknown> {
  return Object.fromEntries(
    files
      .slice(0, MAX_REFERENCES)
      .map((file) => [
        plannerReferenceKey(file.webUrl),
        { '@odata.type': 'microsoft.graph.plannerExternalReference', alias: file.name, type: 'Other' },
      ]),
  );
}
