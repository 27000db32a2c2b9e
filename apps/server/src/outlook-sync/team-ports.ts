import type { OutlookSyncPorts } from './outlook-sync-ports.js';

/**
 * The ports as wired in this build. Team's tables and `applyOutlookCategoryChange` are not part of
 * this branch yet (issue 9 items 1–4 are built beside it): until they are merged, nothing is
 * watched or mirrored, and a notification changes nothing.
 */
export const teamPorts: OutlookSyncPorts = {
  async applyCategoryChange() {},
  fingerprintOf: ({ fromAddress, subject }) => `${fromAddress.trim().toLowerCase()}\n${subject.trim()}`,
  async loadMirrorPlan() {
    return undefined;
  },
  async listMirroredMailboxes() {
    return [];
  },
};
